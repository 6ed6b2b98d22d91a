/**
 * Praktik lapangan: a pembina desa/kecamatan records, in one form, the observation of
 * one practice task for several kader of one posyandu (each step met or not, result,
 * note). Records are never changed: a correction is a new record naming the one it
 * replaces. Every record is audited, and certification is evaluated afterwards.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { withinScope } from "~/db/scope";
import { z } from "zod";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { practiceObservations, PRACTICE_RESULTS, regions, statsKader, users, type Role } from "~/db/schema";
import { levelOfCode } from "~/lib/region";
import { kaderInputsChanged } from "~/features/certification/evaluate.server";
import { content } from "~/features/catalogue/content.server";
import type { PracticeTask } from "~/features/catalogue/content-schema";
import { getPosyanduInScope } from "~/features/regions/posyandu.server";
import { IDEMPOTENCY_KEY_RE } from "~/lib/idempotency";
import { todayWita } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";
import { assignableRoles, PEMBINA_ROLES } from "~/lib/roles";

/** Who observes practice (in their scope). */
export const OBSERVER_ROLES: readonly Role[] = rolesFor("practice-observe");

/** The practice tasks of the programmes users of these roles take, once each. */
function tasksForRoles(roles: readonly Role[]): PracticeTask[] {
  const seen = new Map<string, PracticeTask>();
  for (const p of content().programmes)
    if (p.roles.some((r) => roles.includes(r)))
      for (const t of p.practice.tasks) if (!seen.has(t.id)) seen.set(t.id, t);
  return [...seen.values()];
}

/** The kader's practice tasks (the posyandu sheet). */
export const kaderPracticeTasks = () => tasksForRoles(["kader"]);
/** The Tim Pembina's practice tasks (the /tim-pembina sheet, observed by the level above). */
export const pembinaPracticeTasks = () => tasksForRoles(PEMBINA_ROLES);

/** The posyandu (in scope), its active kader and, for the chosen task, each kader's latest result. */
export async function practiceSheet(actor: SessionUser, posyanduId: number, taskId: string | null) {
  const p = await getPosyanduInScope(actor, posyanduId);
  const kader = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.posyanduId, p.id), eq(users.role, "kader"), eq(users.active, true)))
    .orderBy(users.name);
  const task = kaderPracticeTasks().find((t) => t.id === taskId);
  return { posyandu: p, ...(await sheetOf(kader, task)), tasks: kaderPracticeTasks() };
}

/** The subjects of a sheet with, for the chosen task, each one's latest result. */
async function sheetOf<S extends { id: string }>(kader: S[], task: PracticeTask | undefined) {
  const latest = new Map<string, { result: string; observedOn: string }>();
  if (task && kader.length) {
    const rows = await db
      .select({
        userId: practiceObservations.userId,
        result: practiceObservations.result,
        observedOn: practiceObservations.observedOn,
      })
      .from(practiceObservations)
      .where(
        and(
          eq(practiceObservations.taskId, task.id),
          inArray(
            practiceObservations.userId,
            kader.map((k) => k.id),
          ),
        ),
      )
      .orderBy(desc(practiceObservations.recordedAt), desc(practiceObservations.id));
    for (const r of rows) if (!latest.has(r.userId)) latest.set(r.userId, r);
  }
  return { kader: kader.map((k) => ({ ...k, latest: latest.get(k.id) ?? null })), task };
}

/**
 * The Tim Pembina members an actor observes: active pembina of a level below her own
 * (canManageAccount's order: kecamatan observes desa, kabupaten observes kecamatan and desa,
 * DPMD and admin every pembina) inside her region; in one area when given, and only the
 * users `ids` when given (a submitted sheet checks the people it names, not the whole region).
 */
export async function observablePembina(actor: SessionUser, area?: PembinaArea, ids?: readonly string[]) {
  const roles = PEMBINA_ROLES.filter((r) => assignableRoles(actor.role).includes(r));
  if (!roles.length || ids?.length === 0) return [];
  const where = !area
    ? withinScope(users.scopeCode, actor.scopeCode)
    : area.exact
      ? eq(users.scopeCode, area.code)
      : withinScope(users.scopeCode, area.code);
  return db
    .select({ id: users.id, name: users.name, role: users.role, scopeCode: users.scopeCode })
    .from(users)
    .where(
      and(inArray(users.role, roles), eq(users.active, true), where, ids ? inArray(users.id, [...ids]) : undefined),
    )
    .orderBy(desc(users.role), users.name);
}

/**
 * One area of the Tim Pembina pages, so that a page lists a bounded number of people: a
 * kecamatan (its team and its desa teams), or a kabupaten's own team (`exact`). An observer
 * at kecamatan level has one area, her own; above it she picks one.
 */
export interface PembinaArea {
  code: string;
  name: string;
  exact: boolean;
}

/** The areas an observer picks from, and the one asked for (null: none chosen or not hers). */
export async function pembinaAreas(
  actor: SessionUser,
  wanted: string | null,
): Promise<{ areas: PembinaArea[]; area: PembinaArea | null }> {
  if (levelOfCode(actor.scopeCode) === "kecamatan" || levelOfCode(actor.scopeCode) === "desa") {
    const own = { code: actor.scopeCode, name: "", exact: false };
    return { areas: [own], area: own };
  }
  const canSeeKabupatenTeams = assignableRoles(actor.role).includes("pembina_kabupaten");
  const rows = await db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(and(inArray(regions.level, ["kabupaten", "kecamatan"]), withinScope(regions.code, actor.scopeCode)))
    .orderBy(regions.code);
  const areas = rows.flatMap((r): PembinaArea[] =>
    r.level === "kabupaten"
      ? canSeeKabupatenTeams
        ? [{ code: r.code, name: `Tim kabupaten ${r.name}`, exact: true }]
        : []
      : [{ code: r.code, name: `Kecamatan ${r.name}`, exact: false }],
  );
  return { areas, area: areas.find((a) => a.code === wanted) ?? null };
}

/** The /tim-pembina/praktik sheet: the pembina of one area the actor observes and, for the task, their latest results. */
export async function pembinaSheet(actor: SessionUser, taskId: string | null, area: PembinaArea | null) {
  const task = pembinaPracticeTasks().find((t) => t.id === taskId);
  const people = area ? await observablePembina(actor, area) : [];
  return { ...(await sheetOf(people, task)), tasks: pembinaPracticeTasks() };
}

const headerSchema = z.object({
  taskId: z.string({ error: "Pilih tugas praktik." }).min(1, "Pilih tugas praktik."),
  observedOn: z
    .string({ error: "Isi tanggal pengamatan." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Tanggal pengamatan tidak valid (format TTTT-BB-HH)."),
  place: z
    .string({ error: "Isi tempat pengamatan." })
    .trim()
    .min(3, "Isi tempat pengamatan (minimal 3 huruf).")
    .max(120, "Tempat terlalu panjang (maksimal 120 huruf)."),
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_RE, "Formulir tidak valid. Muat ulang halaman lalu coba lagi."),
});

/**
 * The outcome of one submitted sheet. `ok: false` lists every problem at once, keyed by
 * field name (`observedOn`, `place`, `hasil_<kaderId>`, `catatan_<kaderId>`, or `form`),
 * and names in `saved` the kader whose rows were stored anyway: a mistake in one row does
 * not hold back the others (README, Praktik lapangan). A problem with the sitting itself
 * (task, date, place, the form) saves nothing.
 */
export type RecordResult =
  | { ok: true; recorded: number; already: number }
  | { ok: false; errors: Record<string, string>; saved: SavedRow[] };

type Entry = { userId: string; steps: boolean[]; result: (typeof PRACTICE_RESULTS)[number]; note: string };
/** A row of this sitting as stored (under the sheet's idempotency key). */
export type SavedRow = Entry;

/** The rows stored under one sheet's idempotency key for a task, among the given kader. */
async function savedRows(key: unknown, taskId: string, kaderIds: string[]): Promise<SavedRow[]> {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY_RE.test(key) || !kaderIds.length) return [];
  const rows = await db
    .select({
      userId: practiceObservations.userId,
      steps: practiceObservations.steps,
      result: practiceObservations.result,
      note: practiceObservations.note,
    })
    .from(practiceObservations)
    .where(
      and(
        eq(practiceObservations.idempotencyKey, key),
        eq(practiceObservations.taskId, taskId),
        inArray(practiceObservations.userId, kaderIds),
      ),
    );
  return rows.map((r) => ({ ...r, note: r.note ?? "", result: r.result as Entry["result"] }));
}

/** Why the observation date cannot be used, or null. */
function observedOnProblem(observedOn: string, now: Date): string | null {
  const day = new Date(`${observedOn}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== observedOn)
    return "Tanggal pengamatan tidak valid.";
  if (observedOn > todayWita(now)) return "Tanggal pengamatan tidak boleh di masa depan.";
  if (now.getTime() - day.getTime() > 366 * 86_400_000) return "Tanggal pengamatan lebih dari setahun yang lalu.";
  return null;
}

/**
 * Reads the sheet: `hasil_<kaderId>` = kompeten | belum_kompeten (empty = not observed
 * this time), `langkah_<kaderId>` = indexes of the steps met, `catatan_<kaderId>`.
 * Valid rows are saved even when other rows are not; every row is saved once per
 * idempotency key (a double submit, or the corrected sheet sent again after an error,
 * does not store a row twice).
 */
export async function recordObservations(
  actor: SessionUser,
  posyanduId: number,
  form: FormData,
  now = new Date(),
): Promise<RecordResult> {
  const p = await getPosyanduInScope(actor, posyanduId);
  const kader = await db
    .select({ id: users.id, name: users.name, scopeCode: users.scopeCode })
    .from(users)
    .where(and(eq(users.posyanduId, p.id), eq(users.role, "kader"), eq(users.active, true)));
  return recordSheet(actor, kader, kaderPracticeTasks(), form, now, "Ada kader yang bukan kader aktif Posyandu ini.");
}

/**
 * The /tim-pembina/praktik sheet: observations of Tim Pembina members by the level above. The
 * people named are checked against the sheet's area (`wilayah`, as pembinaAreas drew it; an
 * observer at kecamatan level has only her own), and only they are read: a bounded lookup
 * whatever the size of the actor's region. An area that is not the actor's refuses the sheet.
 */
export async function recordPembinaObservations(actor: SessionUser, form: FormData, now = new Date()) {
  const wanted = form.get("wilayah");
  const { area } = await pembinaAreas(actor, typeof wanted === "string" && wanted ? wanted : null);
  const named = [...form.keys()].filter((k) => k.startsWith("hasil_")).map((k) => k.slice("hasil_".length));
  const subjects =
    typeof wanted === "string" && wanted && !area
      ? []
      : await observablePembina(actor, area ?? undefined, named.slice(0, 500));
  return recordSheet(
    actor,
    subjects,
    pembinaPracticeTasks(),
    form,
    now,
    "Ada anggota Tim Pembina yang tidak dapat Anda nilai (bukan di bawah jenjang Anda atau di luar wilayah Anda).",
  );
}

/**
 * What a sheet answers with when it was not (all) saved: the errors, everything entered (a
 * mistake in one row must not clear the sheet), the rows saved, and the sheet's own key, so
 * that sending it again (corrected) never stores a saved row twice.
 */
export function sheetFailure(form: FormData, result: Extract<RecordResult, { ok: false }>) {
  const values: Record<string, string[]> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = [...(values[k] ?? []), v];
  const key = form.get("idempotencyKey");
  return {
    errors: result.errors,
    values,
    saved: result.saved,
    idempotencyKey: typeof key === "string" && IDEMPOTENCY_KEY_RE.test(key) ? key : null,
  };
}

/** One sheet: the subjects it may name, the tasks it may record. */
async function recordSheet(
  actor: SessionUser,
  kader: { id: string; name: string; scopeCode: string }[],
  tasks: PracticeTask[],
  form: FormData,
  now: Date,
  notOnSheet: string,
): Promise<RecordResult> {
  const header = headerSchema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.includes("_"))));
  const errors: Record<string, string> = {};
  if (!header.success) for (const i of header.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
  const taskId = String(form.get("taskId") ?? "");
  const task = tasks.find((t) => t.id === taskId);
  if (!task)
    return { ok: false, errors: { ...errors, taskId: errors.taskId ?? "Tugas praktik tidak dikenal." }, saved: [] };
  if (header.success) {
    const problem = observedOnProblem(header.data.observedOn, now);
    if (problem) errors.observedOn = problem;
  }

  const byId = new Map(kader.map((k) => [k.id, k]));
  const entries: Entry[] = [];
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("hasil_") || typeof value !== "string" || value === "") continue;
    const userId = key.slice("hasil_".length);
    const k = byId.get(userId);
    // A kader who is not (or no longer) on this posyandu's sheet, or a step the task does not
    // have: the page is stale or was altered, so nothing of it is saved.
    if (!k)
      return {
        ok: false,
        errors: { form: `${notOnSheet} Muat ulang halaman.` },
        saved: [],
      };
    const met = new Set(form.getAll(`langkah_${userId}`).map(String));
    for (const m of met) {
      if (!/^\d{1,2}$/.test(m) || Number(m) >= task.steps.length)
        return { ok: false, errors: { form: "Langkah tidak dikenal. Muat ulang halaman." }, saved: [] };
    }
    const steps = task.steps.map((_, i) => met.has(String(i)));
    const note = String(form.get(`catatan_${userId}`) ?? "").trim();
    let valid = true;
    if (!(PRACTICE_RESULTS as readonly string[]).includes(value)) {
      errors[`hasil_${userId}`] = `${k.name}: pilih Kompeten atau Belum kompeten.`;
      valid = false;
    } else if (value === "kompeten" && !steps.every(Boolean)) {
      errors[`hasil_${userId}`] =
        `${k.name}: hasil "Kompeten" hanya bila semua langkah terpenuhi. Centang langkahnya atau pilih "Belum kompeten".`;
      valid = false;
    }
    if (note.length > 500) {
      errors[`catatan_${userId}`] = `Catatan untuk ${k.name} terlalu panjang (maksimal 500 huruf).`;
      valid = false;
    }
    if (valid) entries.push({ userId, steps, result: value as Entry["result"], note });
  }
  const rowErrors = Object.keys(errors).some((k) => k.includes("_"));
  if (!entries.length && !rowErrors)
    errors.form ??= "Belum ada kader yang dinilai. Pilih hasil untuk setidaknya satu kader.";
  // The sitting itself (date, place, form) must be right before any row is stored. Rows an
  // earlier submit of this sheet stored are still reported as stored.
  if (!header.success || errors.observedOn || errors.form || !entries.length)
    return { ok: false, errors, saved: await savedRows(form.get("idempotencyKey"), task.id, [...byId.keys()]) };
  const { observedOn, place, idempotencyKey } = header.data;

  const result = await db.transaction(async (tx) => {
    const ids = entries.map((e) => e.userId);
    const previous = await tx
      .select({ id: practiceObservations.id, userId: practiceObservations.userId })
      .from(practiceObservations)
      .where(and(eq(practiceObservations.taskId, task.id), inArray(practiceObservations.userId, ids)))
      .orderBy(desc(practiceObservations.recordedAt), desc(practiceObservations.id));
    const latest = new Map<string, number>();
    for (const r of previous) if (!latest.has(r.userId)) latest.set(r.userId, r.id);
    let recorded = 0;
    for (const e of entries) {
      const [row] = await tx
        .insert(practiceObservations)
        .values({
          userId: e.userId,
          taskId: task.id,
          observedOn,
          place,
          steps: e.steps,
          result: e.result,
          note: e.note,
          observerId: actor.id,
          correctsId: latest.get(e.userId) ?? null,
          idempotencyKey,
        })
        .onConflictDoNothing()
        .returning({ id: practiceObservations.id });
      if (!row) continue; // this row of this sitting was already saved (double submit, or sent again)
      recorded++;
      await audit(
        {
          actorId: actor.id,
          action: latest.has(e.userId) ? "practice.correct" : "practice.observe",
          entity: "practice_observation",
          entityId: row.id,
          regionCode: byId.get(e.userId)!.scopeCode,
          detail: {
            kader: e.userId,
            taskId: task.id,
            observedOn,
            place,
            result: e.result,
            stepsMet: e.steps.filter(Boolean).length,
            corrects: latest.get(e.userId) ?? null,
          },
        },
        tx,
      );
    }
    // An observation may complete the certification rule (a failed evaluation never fails the save).
    if (recorded)
      await kaderInputsChanged(
        tx,
        entries.map((e) => e.userId),
        { now },
      );
    return { recorded, already: entries.length - recorded };
  });
  if (Object.keys(errors).length)
    return { ok: false, errors, saved: await savedRows(idempotencyKey, task.id, [...byId.keys()]) };
  return { ok: true, ...result };
}

/**
 * The dashboard's funnel step "praktik": active kader in the region who meet the
 * programme's practice requirement today (latest observation per task, as the rule
 * reads it: kader_progress.practised_at, projection.server.ts practisedSql). One indexed
 * row of the rollup stats_kader, whatever the size of the region; the year filter does not
 * apply to it.
 */
export async function practisedCount(regionCode: string, programmeId: string, bidang: string | null): Promise<number> {
  const programme = content().programmes.find((p) => p.id === programmeId);
  if (!programme?.practice.required) return 0;
  const [row] = await db
    .select({ n: statsKader.practised })
    .from(statsKader)
    .where(
      and(
        eq(statsKader.regionCode, regionCode),
        eq(statsKader.programmeId, programmeId),
        eq(statsKader.spmBidang, bidang ?? "*"),
      ),
    );
  return row?.n ?? 0;
}
