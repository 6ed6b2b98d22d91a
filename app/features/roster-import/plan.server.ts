/** Roster import, step 3: resolve validated rows against the database within the importer's scope. */
import { and, eq, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { type Conn, sqlRows } from "~/db.server";
import { posyandu, regions, type Role, type SpmBidang } from "~/db/schema";
import { formatPhone } from "~/lib/phone";
import { isWithinScope } from "~/lib/region";
import { canManageAccount, ROLE_LABEL } from "~/lib/roles";
import { posyanduNameKey } from "~/features/roster-import/columns";
import { withinScope } from "~/db/scope";
import { type KaderInput, type PosyanduInput, addError } from "~/features/roster-import/parse.server";

export type Actor = Pick<SessionUser, "id" | "role" | "scopeCode">;
// ---------------------------------------------------------------- resolving against the database

export type RowStatus = "baru" | "diperbarui" | "sama";

export interface KaderPlan {
  line: number;
  status: RowStatus;
  userId: string | null;
  name: string;
  phone: string;
  posyanduId: number;
  posyanduName: string;
  desaCode: string;
  spmBidang: SpmBidang;
  gender: "L" | "P" | null;
  birthYear: number | null;
}

export interface PosyanduPlan {
  line: number;
  status: RowStatus;
  id: number | null;
  name: string;
  desaCode: string;
  registrationNo: string | null;
  address: string | null;
}

interface Plan<T> {
  plans: T[];
  errors: Map<number, string[]>;
}

export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

async function desaInScope(conn: Conn, scope: string): Promise<Set<string>> {
  const rows = await conn
    .select({ code: regions.code })
    .from(regions)
    .where(and(eq(regions.level, "desa"), withinScope(regions.code, scope)));
  return new Set(rows.map((r) => r.code));
}

interface PosyanduRef {
  id: number;
  name: string;
  desaCode: string;
  registrationNo: string | null;
  address: string | null;
  active: boolean;
}

async function posyanduIndex(conn: Conn, scope: string) {
  const rows: PosyanduRef[] = await conn
    .select({
      id: posyandu.id,
      name: posyandu.name,
      desaCode: posyandu.desaCode,
      registrationNo: posyandu.registrationNo,
      address: posyandu.address,
      active: posyandu.active,
    })
    .from(posyandu)
    .where(withinScope(posyandu.desaCode, scope));
  const byReg = new Map<string, PosyanduRef>();
  const byName = new Map<string, PosyanduRef[]>();
  for (const p of rows) {
    if (p.registrationNo) byReg.set(p.registrationNo, p);
    const k = `${p.desaCode}|${posyanduNameKey(p.name)}`;
    const list = byName.get(k);
    if (list) list.push(p);
    else byName.set(k, [p]);
  }
  return { byReg, byName };
}

/** Registration numbers that exist anywhere (used to tell "outside your area" from "unknown"). */
async function registrationsAnywhere(conn: Conn, regs: string[]): Promise<Set<string>> {
  const rows = await sqlRows<{ r: string }>(
    sql`
      select registration_no as r from posyandu
      where registration_no in (select json_array_elements_text(${JSON.stringify(regs)}::json))`,
    conn,
  );
  return new Set(rows.map((r) => r.r));
}

function desaProblem(code: string, scope: string, desa: Set<string>): string | null {
  if (!isWithinScope(code, scope)) return `kode desa ${code} berada di luar wilayah Anda (${scope})`;
  if (!desa.has(code)) return `kode desa ${code} tidak ditemukan`;
  return null;
}

export async function planKader(conn: Conn, actor: Actor, rows: KaderInput[]): Promise<Plan<KaderPlan>> {
  const scope = actor.scopeCode;
  const errors = new Map<number, string[]>();
  const desa = await desaInScope(conn, scope);
  const { byReg, byName } = await posyanduIndex(conn, scope);
  const missingRegs = [...new Set(rows.map((r) => r.registrationNo).filter((r): r is string => !!r && !byReg.has(r)))];
  const elsewhere = missingRegs.length ? await registrationsAnywhere(conn, missingRegs) : new Set<string>();

  const existing = new Map<
    string,
    {
      id: string;
      name: string;
      role: Role;
      scopeCode: string;
      posyanduId: number | null;
      spmBidang: SpmBidang | null;
      gender: "L" | "P" | null;
      birthYear: number | null;
    }
  >();
  // One JSON parameter instead of tens of thousands of bind parameters.
  const phones = JSON.stringify([...new Set(rows.map((r) => r.phone))]);
  const found = await sqlRows<{
    id: string;
    phone: string;
    name: string;
    role: Role;
    scope_code: string;
    posyandu_id: number | null;
    spm_bidang: SpmBidang | null;
    gender: "L" | "P" | null;
    birth_year: number | null;
  }>(
    sql`
      select id, phone, name, role, scope_code, posyandu_id, spm_bidang, gender, birth_year from users
      where phone in (select json_array_elements_text(${phones}::json))`,
    conn,
  );
  for (const u of found) {
    existing.set(u.phone, {
      id: u.id,
      name: u.name,
      role: u.role,
      scopeCode: u.scope_code,
      posyanduId: u.posyandu_id === null ? null : Number(u.posyandu_id),
      spmBidang: u.spm_bidang,
      gender: u.gender,
      birthYear: u.birth_year === null ? null : Number(u.birth_year),
    });
  }

  const firstLine = new Map<string, number>();
  const plans: KaderPlan[] = [];
  for (const r of rows) {
    const problems: string[] = [];
    const seen = firstLine.get(r.phone);
    if (seen !== undefined) problems.push(`nomor HP ${formatPhone(r.phone)} sudah ada di baris ${seen}`);
    else firstLine.set(r.phone, r.line);

    let p: PosyanduRef | undefined;
    if (r.desaCode) {
      const d = desaProblem(r.desaCode, scope, desa);
      if (d) problems.push(d);
    }
    if (r.registrationNo) {
      p = byReg.get(r.registrationNo);
      if (!p) {
        problems.push(
          elsewhere.has(r.registrationNo)
            ? `posyandu dengan nomor registrasi ${r.registrationNo} berada di luar wilayah Anda`
            : `posyandu dengan nomor registrasi ${r.registrationNo} tidak ditemukan`,
        );
      } else if (r.desaCode && p.desaCode !== r.desaCode) {
        problems.push(
          `nomor registrasi ${r.registrationNo} milik ${p.name} di desa ${p.desaCode}, bukan ${r.desaCode}`,
        );
        p = undefined;
      }
    } else if (r.posyanduName && r.desaCode && !problems.length) {
      const candidates = byName.get(`${r.desaCode}|${posyanduNameKey(r.posyanduName)}`) ?? [];
      if (candidates.length === 1) p = candidates[0];
      else if (candidates.length === 0) {
        problems.push(
          `posyandu "${r.posyanduName}" tidak ditemukan di desa ${r.desaCode} (tambahkan atau impor posyandu terlebih dahulu)`,
        );
      } else {
        problems.push(
          `ada ${candidates.length} posyandu bernama "${r.posyanduName}" di desa ${r.desaCode}: isi nomor registrasi posyandu`,
        );
      }
    }
    if (p && !p.active) problems.push(`${p.name} sudah nonaktif`);

    const u = existing.get(r.phone);
    if (u) {
      if (!isWithinScope(u.scopeCode, scope)) {
        // Not "registered outside your region": the same words as any number this importer cannot use.
        problems.push(`nomor HP ${formatPhone(r.phone)} tidak dapat dipakai di wilayah Anda`);
      } else if (u.role !== "kader") {
        problems.push(`nomor HP ${formatPhone(r.phone)} sudah dipakai akun ${ROLE_LABEL[u.role]}, bukan kader`);
      } else if (!canManageAccount(actor, u)) {
        problems.push(`Anda tidak berhak mengubah akun dengan nomor HP ${formatPhone(r.phone)}`);
      }
    }
    if (problems.length || !p) {
      if (!problems.length) problems.push("posyandu tidak dapat ditentukan");
      for (const m of problems) addError(errors, r.line, m);
      continue;
    }
    let status: RowStatus = "baru";
    if (u) {
      const same =
        u.name === r.name &&
        u.posyanduId === p.id &&
        u.scopeCode === p.desaCode &&
        u.spmBidang === r.spmBidang &&
        (r.gender === null || u.gender === r.gender) &&
        (r.birthYear === null || u.birthYear === r.birthYear);
      status = same ? "sama" : "diperbarui";
    }
    plans.push({
      line: r.line,
      status,
      userId: u?.id ?? null,
      name: r.name,
      phone: r.phone,
      posyanduId: p.id,
      posyanduName: p.name,
      desaCode: p.desaCode,
      spmBidang: r.spmBidang,
      gender: r.gender,
      birthYear: r.birthYear,
    });
  }
  return { plans, errors };
}

export async function planPosyandu(conn: Conn, actor: Actor, rows: PosyanduInput[]): Promise<Plan<PosyanduPlan>> {
  const scope = actor.scopeCode;
  const errors = new Map<number, string[]>();
  const desa = await desaInScope(conn, scope);
  const { byReg, byName } = await posyanduIndex(conn, scope);
  const missingRegs = [...new Set(rows.map((r) => r.registrationNo).filter((r): r is string => !!r && !byReg.has(r)))];
  const elsewhere = missingRegs.length ? await registrationsAnywhere(conn, missingRegs) : new Set<string>();
  const regLine = new Map<string, number>();
  const nameLine = new Map<string, number>();
  const plans: PosyanduPlan[] = [];
  for (const r of rows) {
    const problems: string[] = [];
    const nameKey = `${r.desaCode}|${posyanduNameKey(r.name)}`;
    if (r.registrationNo) {
      const seen = regLine.get(r.registrationNo);
      if (seen !== undefined) problems.push(`nomor registrasi ${r.registrationNo} sudah ada di baris ${seen}`);
      else regLine.set(r.registrationNo, r.line);
    }
    const seenName = nameLine.get(nameKey);
    if (seenName !== undefined)
      problems.push(`posyandu "${r.name}" di desa ${r.desaCode} sudah ada di baris ${seenName}`);
    else nameLine.set(nameKey, r.line);
    const d = desaProblem(r.desaCode, scope, desa);
    if (d) problems.push(d);

    let match: PosyanduRef | undefined;
    if (!problems.length) {
      if (r.registrationNo && byReg.has(r.registrationNo)) {
        match = byReg.get(r.registrationNo)!;
        if (match.desaCode !== r.desaCode) {
          problems.push(
            `nomor registrasi ${r.registrationNo} milik ${match.name} di desa ${match.desaCode}; pindah desa lewat halaman posyandu`,
          );
        }
      } else if (r.registrationNo && elsewhere.has(r.registrationNo)) {
        problems.push(`nomor registrasi ${r.registrationNo} sudah dipakai posyandu di luar wilayah Anda`);
      } else {
        const candidates = byName.get(nameKey) ?? [];
        if (candidates.length > 1) {
          problems.push(
            `ada ${candidates.length} posyandu bernama "${r.name}" di desa ${r.desaCode}: isi nomor registrasinya`,
          );
        } else if (candidates.length === 1) {
          match = candidates[0];
          if (r.registrationNo && match.registrationNo && match.registrationNo !== r.registrationNo) {
            problems.push(
              `${match.name} di desa ${r.desaCode} sudah terdaftar dengan nomor registrasi ${match.registrationNo}`,
            );
          }
        }
      }
    }
    if (problems.length) {
      for (const m of problems) addError(errors, r.line, m);
      continue;
    }
    let status: RowStatus = "baru";
    if (match) {
      const same =
        match.name === r.name &&
        match.desaCode === r.desaCode &&
        (r.registrationNo === null || match.registrationNo === r.registrationNo) &&
        (r.address === null || match.address === r.address);
      status = same ? "sama" : "diperbarui";
    }
    plans.push({
      line: r.line,
      status,
      id: match?.id ?? null,
      name: r.name,
      desaCode: r.desaCode,
      registrationNo: r.registrationNo,
      address: r.address,
    });
  }
  return { plans, errors };
}
