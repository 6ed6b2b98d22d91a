/** Posyandu: list, read and change within the actor's scope. */
import { and, asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit.server";
import { createOnce } from "~/form-key.server";
import type { SessionUser } from "~/auth.server";
import { type Conn, db } from "~/db.server";
import { posyandu, regions, users } from "~/db/schema";
import { forbidden, notFound } from "~/lib/http";
import { isRegionCode, isWithinScope, levelOfCode } from "~/lib/region";
import { parseIntId } from "~/lib/query";
import { withinScope } from "~/db/scope";
import { refreshKaderProgress } from "~/features/projection/projection.server";

export const posyanduFormSchema = z.object({
  name: z
    .string({ error: "Nama posyandu wajib diisi." })
    .trim()
    .min(3, "Nama posyandu minimal 3 karakter.")
    .max(120, "Nama posyandu terlalu panjang."),
  desaCode: z
    .string({ error: "Pilih desa/kelurahan." })
    .trim()
    .refine((v) => isRegionCode(v) && levelOfCode(v) === "desa", "Pilih desa/kelurahan yang valid."),
  registrationNo: z
    .string()
    .trim()
    .max(40, "Nomor registrasi terlalu panjang.")
    .regex(
      /^[0-9A-Za-z.\-/]*$/,
      "Nomor registrasi hanya boleh berisi angka, huruf, titik, garis miring atau tanda hubung.",
    )
    .optional()
    .transform((v) => (v ? v : null)),
  address: z
    .string()
    .trim()
    .max(300, "Alamat terlalu panjang.")
    .optional()
    .transform((v) => (v ? v : null)),
  active: z
    .enum(["on", "off"])
    .optional()
    .transform((v) => v !== "off"),
});
export type PosyanduForm = z.infer<typeof posyanduFormSchema>;

export interface PosyanduListItem {
  id: number;
  name: string;
  desaCode: string;
  desaName: string;
  kecamatanName: string;
  registrationNo: string | null;
  active: boolean;
  kaderCount: number;
}

export async function listPosyandu(
  scope: string,
  opts: { q?: string; regionCode?: string; limit?: number; offset?: number } = {},
): Promise<{ items: PosyanduListItem[]; total: number }> {
  const filterScope = opts.regionCode && isWithinScope(opts.regionCode, scope) ? opts.regionCode : scope;
  // One box searches the posyandu name, its desa, its kecamatan and its registration number.
  const q = opts.q ? `%${escapeLike(opts.q)}%` : null;
  const where = and(
    withinScope(posyandu.desaCode, filterScope),
    q
      ? or(
          ilike(posyandu.name, q),
          ilike(posyandu.registrationNo, q),
          ilike(regions.name, q),
          sql`exists (select 1 from regions k where k.code = ${regions.parentCode} and k.name ilike ${q})`,
        )
      : undefined,
  );
  const kec = sql<string>`(select r2.name from regions r2 where r2.code = ${regions.parentCode})`;
  const items = await db
    .select({
      id: posyandu.id,
      name: posyandu.name,
      desaCode: posyandu.desaCode,
      desaName: regions.name,
      kecamatanName: kec,
      registrationNo: posyandu.registrationNo,
      active: posyandu.active,
      kaderCount: sql<number>`(select count(*)::int from users u where u.posyandu_id = ${posyandu.id} and u.role = 'kader' and u.active)`,
    })
    .from(posyandu)
    .innerJoin(regions, eq(regions.code, posyandu.desaCode))
    .where(where)
    .orderBy(asc(posyandu.desaCode), asc(posyandu.name))
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0);
  const [{ total }] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(posyandu)
    .innerJoin(regions, eq(regions.code, posyandu.desaCode))
    .where(where);
  return { items, total };
}

/** Names of the given posyandu that lie inside the scope (others are left out), in desa order. */
export async function posyanduInScopeByIds(
  scope: string,
  ids: number[],
): Promise<{ id: number; name: string; desaName: string }[]> {
  if (!ids.length) return [];
  return db
    .select({ id: posyandu.id, name: posyandu.name, desaName: regions.name })
    .from(posyandu)
    .innerJoin(regions, eq(regions.code, posyandu.desaCode))
    .where(and(inArray(posyandu.id, ids), withinScope(posyandu.desaCode, scope)))
    .orderBy(asc(posyandu.desaCode), asc(posyandu.name));
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => "\\" + c);
}

/** The posyandu, or 404 when missing and 403 when outside the actor's scope. */
export async function getPosyanduInScope(actor: Pick<SessionUser, "scopeCode">, id: number) {
  const [row] = await db
    .select({
      id: posyandu.id,
      name: posyandu.name,
      desaCode: posyandu.desaCode,
      desaName: regions.name,
      registrationNo: posyandu.registrationNo,
      address: posyandu.address,
      active: posyandu.active,
      createdAt: posyandu.createdAt,
    })
    .from(posyandu)
    .innerJoin(regions, eq(regions.code, posyandu.desaCode))
    .where(eq(posyandu.id, id));
  if (!row) throw notFound("Posyandu tidak ditemukan.");
  if (!isWithinScope(row.desaCode, actor.scopeCode)) throw forbidden("Posyandu ini berada di luar wilayah tugas Anda.");
  return row;
}

export async function kaderOfPosyandu(posyanduId: number) {
  return db
    .select({ id: users.id, name: users.name, phone: users.phone, spmBidang: users.spmBidang, active: users.active })
    .from(users)
    .where(and(eq(users.posyanduId, posyanduId), eq(users.role, "kader")))
    .orderBy(asc(users.name));
}

type SaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

async function registrationTaken(registrationNo: string | null, exceptId?: number, conn: Conn = db): Promise<boolean> {
  if (!registrationNo) return false;
  const [row] = await conn
    .select({ id: posyandu.id })
    .from(posyandu)
    .where(eq(posyandu.registrationNo, registrationNo));
  return !!row && row.id !== exceptId;
}

export async function createPosyandu(actor: SessionUser, form: PosyanduForm, formKey?: string): Promise<SaveResult> {
  if (!isWithinScope(form.desaCode, actor.scopeCode)) throw forbidden("Desa ini berada di luar wilayah tugas Anda.");
  const [desa] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, form.desaCode));
  if (!desa) return { ok: false, errors: { desaCode: "Desa/kelurahan tidak ditemukan." } };
  // A retried submit (same form key) answers the posyandu its first try created; a double
  // submit with a registration number also meets its unique index: on conflict do nothing.
  const r = await db.transaction((tx) =>
    createOnce(tx, formKey, { actorId: actor.id, entity: "posyandu", decode: Number }, async () => {
      if (await registrationTaken(form.registrationNo, undefined, tx)) return null;
      const [row] = await tx.insert(posyandu).values(form).onConflictDoNothing().returning({ id: posyandu.id });
      if (!row) return null;
      await audit(
        {
          actorId: actor.id,
          action: "posyandu.create",
          entity: "posyandu",
          entityId: row.id,
          regionCode: form.desaCode,
          detail: { ...form },
        },
        tx,
      );
      return row.id;
    }),
  );
  if (r.ok) return { ok: true, id: r.id };
  if (r.reason === "other-form")
    return { ok: false, errors: { form: "Formulir tidak valid. Muat ulang halaman lalu coba lagi." } };
  return { ok: false, errors: { registrationNo: "Nomor registrasi sudah dipakai posyandu lain." } };
}

export async function updatePosyandu(actor: SessionUser, id: number, form: PosyanduForm): Promise<SaveResult> {
  const before = await getPosyanduInScope(actor, id);
  if (!isWithinScope(form.desaCode, actor.scopeCode)) throw forbidden("Desa ini berada di luar wilayah tugas Anda.");
  if (await registrationTaken(form.registrationNo, id))
    return { ok: false, errors: { registrationNo: "Nomor registrasi sudah dipakai posyandu lain." } };
  await db.transaction(async (tx) => {
    await tx.update(posyandu).set(form).where(eq(posyandu.id, id));
    if (form.desaCode !== before.desaCode) {
      // The kader of a posyandu live in its desa: they move with it.
      const moved = await tx
        .update(users)
        .set({ scopeCode: form.desaCode })
        .where(and(eq(users.posyanduId, id), eq(users.role, "kader")))
        .returning({ id: users.id });
      await refreshKaderProgress(
        moved.map((m) => m.id),
        tx,
      );
    }
    await audit(
      {
        actorId: actor.id,
        action: "posyandu.update",
        entity: "posyandu",
        entityId: id,
        regionCode: form.desaCode,
        detail: {
          before: {
            name: before.name,
            desaCode: before.desaCode,
            registrationNo: before.registrationNo,
            active: before.active,
          },
          after: form,
        },
      },
      tx,
    );
  });
  return { ok: true, id };
}

/** The :id route param as a posyandu id, or 404. */
export function posyanduIdParam(params: { id?: string }): number {
  const id = parseIntId(params.id);
  if (!id) throw notFound("Posyandu tidak ditemukan.");
  return id;
}
