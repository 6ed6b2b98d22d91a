/**
 * Demo data for Kutai Kartanegara (64.02) and Kutai Timur (64.08): posyandu in every
 * desa, a few thousand synthetic kader and one account per role. Demo mode only.
 */
import { and, asc, eq, or } from "drizzle-orm";
import { db, sqlRows } from "~/db.server";
import { withinScope } from "~/db/scope";
import {
  auditLog,
  certificateSignatories,
  practiceObservations,
  regions,
  SPM_BIDANG,
  users,
  type Role,
} from "~/db/schema";
import { audit } from "~/audit.server";
import { content } from "~/features/catalogue/content.server";
import { hashPassword } from "~/auth.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { newUserId } from "~/features/accounts/users.server";
import { seedDemoActivity, type ActivityResult } from "~/demo/activity.server";
import { seedDemoPembina, type PembinaDemoResult } from "~/demo/pembina.server";
import { derivedTablesList, refreshRegion } from "~/features/projection/projection.server";
import { evaluateCertificationStrict, kaderInputsChanged } from "~/features/certification/evaluate.server";
import { sql } from "drizzle-orm";
import { REPORTING_ZONE } from "~/lib/timezone";
import { claimInstanceMode } from "~/instance.server";

export const DEMO_PASSWORD = "posyandu-demo";

/**
 * The demo's kabupaten: Kutai Kartanegara and Kutai Timur. Refreshes of the dashboard inputs
 * cover only these (on top of seed:scale data a refresh of everyone would take minutes).
 */
const DEMO_KABUPATEN = ["64.02", "64.08"] as const;

/**
 * Who signs the demo certificates (set before any is issued, so each prints a signer):
 * names that say they are demo ones, never a real official's; no NIP.
 */
const DEMO_SIGNATORIES: { kabupatenCode: (typeof DEMO_KABUPATEN)[number]; name: string; title: string }[] = [
  {
    kabupatenCode: "64.02",
    name: "Drs. Ahmad Contoh, M.Si. (demo)",
    title: "Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kutai Kartanegara",
  },
  {
    kabupatenCode: "64.08",
    name: "Hj. Siti Contoh, S.Sos. (demo)",
    title: "Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kutai Timur",
  },
];

export const DEMO_ACCOUNTS: { phone: string; name: string; role: Role; scope: string; note: string }[] = [
  { phone: "6281100000001", name: "Admin Akademi", role: "admin", scope: "64", note: "64 Kalimantan Timur" },
  {
    phone: "6281100000002",
    name: "Rahmawati (DPMD Kukar)",
    role: "dpmd",
    scope: "64.02",
    note: "64.02 Kutai Kartanegara",
  },
  {
    phone: "6281100000003",
    name: "Hj. Fatimah (TP Posyandu Kutim)",
    role: "pembina_kabupaten",
    scope: "64.08",
    note: "64.08 Kutai Timur",
  },
  {
    phone: "6281100000004",
    name: "Siti Aminah (TP Posyandu Muara Ancalong)",
    role: "pembina_kecamatan",
    scope: "64.08.01",
    note: "64.08.01 Muara Ancalong",
  },
  {
    phone: "6281100000005",
    name: "Nurhayati (TP Posyandu Muara Muntai)",
    role: "pembina_kecamatan",
    scope: "64.02.01",
    note: "64.02.01 Muara Muntai",
  },
  {
    phone: "6281100000006",
    name: "Dewi Lestari",
    role: "kader",
    scope: "64.08.01",
    note: "kader di sebuah posyandu di Muara Ancalong",
  },
  {
    phone: "6281100000010",
    name: "Admin Nasional (Kemendagri)",
    role: "admin",
    scope: "ID",
    note: "seluruh Indonesia: dasbor nasional, 38 provinsi",
  },
];

/** Extra demo people: a pembina desa, and a kader one quiz short of certification. */
const DEMO_EXTRA: { phone: string; name: string; role: Role; note: string }[] = [
  { phone: "6281100000007", name: "Kartini (TP Posyandu Desa)", role: "pembina_desa", note: "desa dari kader demo" },
  {
    phone: "6281100000008",
    name: "Rina Marlina",
    role: "kader",
    note: "kader: tinggal 1 kuis dan praktik lapangan untuk sertifikat",
  },
  {
    phone: "6281100000009",
    name: "Sari Handayani",
    role: "kader",
    note: "kader: kuis modul 1 terkunci (3 kali gagal)",
  },
];

const FLOWERS = [
  "Melati",
  "Mawar",
  "Anggrek",
  "Kenanga",
  "Dahlia",
  "Flamboyan",
  "Cempaka",
  "Teratai",
  "Seroja",
  "Bougenville",
  "Kamboja",
  "Tulip",
  "Sakura",
  "Aster",
  "Lily",
];
const GIVEN = [
  "Siti",
  "Nur",
  "Sri",
  "Dewi",
  "Rina",
  "Yuliana",
  "Fitri",
  "Ani",
  "Rahma",
  "Wati",
  "Sumarni",
  "Lestari",
  "Hasanah",
  "Aisyah",
  "Masitah",
  "Rusmini",
  "Erna",
  "Linda",
  "Yanti",
  "Ratna",
  "Noor",
  "Halimah",
  "Juwita",
  "Ernawati",
  "Rosita",
  "Suriani",
  "Kartini",
  "Mardiana",
  "Salmah",
  "Herlina",
];
const SECOND = [
  "Aminah",
  "Rahayu",
  "Wulandari",
  "Susanti",
  "Handayani",
  "Purnamasari",
  "Anggraini",
  "Safitri",
  "Ramadhani",
  "Kurniasih",
  "Maharani",
  "Hidayati",
  "Fauziah",
  "Nurjanah",
  "Marlina",
  "Yusuf",
  "Saputri",
  "Indriani",
  "Setiawati",
  "Rohani",
];
const MALE = ["Ahmad", "Budi", "Rudi", "Hendra", "Syamsul", "Iwan", "Joko", "Arif", "Darmawan", "Yusran"];

/** Deterministic PRNG so the demo looks the same on every machine. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Written last, after every step of the seed: its absence means "not (completely) seeded". */
const SEEDED_MARKER = "demo.seeded";

export async function demoSeeded(): Promise<boolean> {
  const [row] = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, SEEDED_MARKER)).limit(1);
  return !!row;
}

/**
 * A start interrupted during the seed (the first start takes a while) leaves part of the
 * demo: the demo database holds nothing else, so it is emptied and seeded again. TRUNCATE
 * runs no row triggers, so every derived table (DERIVED_TABLES: kader_progress, each
 * stats_*, quiz_item_answers) is emptied in the same statement; the seed then fills them
 * again. Every step of the seed commits with its rollups up to date, so a start
 * interrupted at any point leaves consistent figures (tests/demo-interrupted.test.ts).
 */
async function clearPartialDemo(): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  if (!row) return false;
  await db.execute(sql`truncate users, posyandu, workshops, audit_log, verification_log, rate_limits, import_batches,
    ${derivedTablesList} restart identity cascade`);
  return true;
}

export interface DemoSeedResult extends ActivityResult {
  posyandu: number;
  kader: number;
  pembina: PembinaDemoResult;
  ms: number;
}

export async function seedDemo(): Promise<DemoSeedResult | null> {
  // Never into a pilot or production database (the redo below would empty it).
  await claimInstanceMode("demo");
  if (await demoSeeded()) return null;
  const t0 = performance.now();
  if (await clearPartialDemo()) console.warn("Data demo dari awal yang terputus dihapus; data demo dibuat ulang.");
  const rand = mulberry32(6402);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const desa = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.level, "desa"), or(withinScope(regions.code, "64.02"), withinScope(regions.code, "64.08"))))
    .orderBy(asc(regions.code));
  if (!desa.length) throw new Error("Data wilayah Kutai Kartanegara/Kutai Timur belum ada.");

  let posyanduCount = 0;
  let kaderCount = 0;
  let phoneSeq = 0;
  let demoKaderPosyandu: { id: number; desaCode: string } | null = null;

  await db.transaction(async (tx) => {
    for (const d of desa) {
      const n = 1 + Math.floor(rand() * 3); // 1-3 posyandu per desa
      const kaderRows: (typeof users.$inferInsert)[] = [];
      for (let i = 0; i < n; i++) {
        const flower = FLOWERS[(i + d.code.length + Number(d.code.slice(-2))) % FLOWERS.length];
        const seq = String(i + 1).padStart(3, "0");
        const id = await makePosyandu(
          {
            name: `Posyandu ${flower} ${i + 1}`,
            desaCode: d.code,
            registrationNo: rand() < 0.6 ? `${d.code.replaceAll(".", "")}${seq}` : null,
          },
          tx,
        );
        posyanduCount++;
        if (!demoKaderPosyandu && d.code.startsWith("64.08.01.")) demoKaderPosyandu = { id, desaCode: d.code };
        const kader = 3 + Math.floor(rand() * 4); // 3-6 kader per posyandu
        for (let k = 0; k < kader; k++) {
          const male = rand() < 0.08;
          phoneSeq++;
          kaderRows.push({
            id: newUserId(),
            name: male ? `${pick(MALE)} ${pick(SECOND)}` : `${pick(GIVEN)} ${pick(SECOND)}`,
            phone: "62812" + String(90000000 + phoneSeq),
            passwordHash,
            role: "kader",
            scopeCode: d.code,
            posyanduId: id,
            spmBidang: SPM_BIDANG[k % SPM_BIDANG.length],
            gender: male ? "L" : "P",
            birthYear: 1965 + Math.floor(rand() * 40),
            active: rand() > 0.03,
            createdAt: new Date(Date.now() - (760 + Math.floor(rand() * 300)) * 86_400_000), // registered before the first pelatihan
          });
        }
      }
      kaderCount += kaderRows.length;
      for (let i = 0; i < kaderRows.length; i += 1000) await tx.insert(users).values(kaderRows.slice(i, i + 1000));
    }
    for (const a of DEMO_ACCOUNTS) {
      if (a.role === "kader") {
        await makeUser(
          {
            name: a.name,
            phone: a.phone,
            role: "kader",
            scopeCode: demoKaderPosyandu!.desaCode,
            posyanduId: demoKaderPosyandu!.id,
            spmBidang: "kesehatan",
            passwordHash,
          },
          tx,
        );
      } else {
        await makeUser({ name: a.name, phone: a.phone, role: a.role, scopeCode: a.scope, passwordHash }, tx);
      }
    }
    for (const e of DEMO_EXTRA) {
      await makeUser(
        {
          name: e.name,
          phone: e.phone,
          role: e.role,
          scopeCode: demoKaderPosyandu!.desaCode,
          posyanduId: e.role === "kader" ? demoKaderPosyandu!.id : null,
          spmBidang: e.role === "kader" ? "sosial" : null,
          passwordHash,
        },
        tx,
      );
    }
    // Dashboard inputs and rollups for every demo kader, in the same transaction.
    for (const kab of DEMO_KABUPATEN) await refreshRegion(kab, tx);
  });
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.phone, DEMO_ACCOUNTS[0].phone));
  for (const s of DEMO_SIGNATORIES) {
    const values = { name: s.name, title: s.title, nip: null, logo: null, updatedBy: admin.id };
    await db
      .insert(certificateSignatories)
      .values({ kabupatenCode: s.kabupatenCode, ...values })
      .onConflictDoUpdate({ target: certificateSignatories.kabupatenCode, set: values });
  }
  const activity = await seedDemoActivity(admin.id, DEMO_KABUPATEN);
  // Certificates for everyone who met the rule, issued the day after they did.
  const due = await sqlRows<{
    user_id: string;
    at: string | Date;
  }>(sql`select user_id, greatest(attended_at, modules_passed_at) as at from kader_progress
      where attended_at is not null and modules_passed_at is not null and certified_at is null`);
  // Their praktik lapangan, observed the day after they met the rest (demo data: written directly).
  const practice = content().defaultProgramme.practice;
  const observed = due.flatMap((d) =>
    practice.tasks.slice(0, practice.required).map((t) => {
      const on = new Date(Math.min(Date.now(), new Date(d.at).getTime() + 86_400_000));
      return {
        userId: d.user_id,
        taskId: t.id,
        observedOn: new Date(on.getTime() + REPORTING_ZONE.offsetMinutes * 60_000).toISOString().slice(0, 10),
        place: "Posyandu",
        steps: t.steps.map(() => true),
        result: "kompeten" as const,
        observerId: admin.id,
        recordedAt: on,
        idempotencyKey: `demo-${t.id}`,
      };
    }),
  );
  // Like every write of a practice observation, with the kader's progress (practised_at) in
  // the same transaction; the certificates are evaluated below, on the day after.
  await db.transaction(async (tx) => {
    for (let i = 0; i < observed.length; i += 1000)
      await tx
        .insert(practiceObservations)
        .values(observed.slice(i, i + 1000))
        .onConflictDoNothing();
    await kaderInputsChanged(
      tx,
      due.map((d) => d.user_id),
      { certify: false },
    );
  });
  for (const d of due) {
    const at = new Date(Math.min(Date.now(), new Date(d.at).getTime() + 86_400_000));
    await evaluateCertificationStrict(d.user_id, at);
  }
  // The Tim Pembina in a cascade, some certified, and a session with pre/post results (issue 20).
  const pembina = await seedDemoPembina(admin.id, DEMO_KABUPATEN, passwordHash);
  // The trend's history from the dates (accounts, certificates), as after a bulk load.
  await db.execute(sql`select rebuild_stats_flow()`);
  await audit({ actorId: admin.id, action: SEEDED_MARKER, entity: "demo", entityId: null, regionCode: "64" });
  return { posyandu: posyanduCount, kader: kaderCount, ...activity, pembina, ms: Math.round(performance.now() - t0) };
}

export function demoAccountsTable(): string {
  const rows = [...DEMO_ACCOUNTS, ...DEMO_EXTRA].map((a) => ({
    phone: "0" + a.phone.slice(2),
    role: a.role,
    scope: a.note,
  }));
  const lines = rows.map((r) => `  ${r.phone.padEnd(14)} ${r.role.padEnd(18)} ${r.scope}`);
  return [
    `Akun demo (kata sandi untuk semua: ${DEMO_PASSWORD})`,
    `  ${"nomor HP".padEnd(14)} ${"peran".padEnd(18)} wilayah`,
    ...lines,
  ].join("\n");
}
