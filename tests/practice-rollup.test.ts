/**
 * The funnel's praktik step as a bounded rollup (issue 23): kader_progress.practised_at and
 * stats_kader.practised, kept by the rollup trigger (drizzle/0020), equal a recount from
 * practice_observations (written here in SQL, not with our code) at every level and bidang,
 * after corrections, a deactivated kader and a kader moved to another desa; the rebuild gives
 * the same; the Tim Pembina sheet checks the people it names against the sheet's area.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth.server";
import { db, rowsOf } from "~/db.server";
import { kaderProgress, practiceObservations, type SpmBidang, users } from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { content } from "~/features/catalogue/content.server";
import {
  pembinaPracticeTasks,
  practisedCount,
  recordObservations,
  recordPembinaObservations,
} from "~/features/certification/practice.server";
import { rebuildReporting, refreshKaderProgress, reportingMismatches } from "~/features/projection/projection.server";
import { idempotencyKey, sessionUser, setupDatabase } from "./helpers";

const KAB = "64.08";
const KEC = "64.08.01";
const D1 = "64.08.01.2001";
const D2 = "64.08.01.2003";
let D3 = ""; // a desa of another kecamatan of the same kabupaten
let KEC3 = "";
const key = idempotencyKey;
const programme = () => content().defaultProgramme;
const TASK = (i: number) => programme().practice.tasks[i];

function sheet(taskId: string, steps: number, results: Record<string, string>, extra: Record<string, string> = {}) {
  const f = new FormData();
  f.set("taskId", taskId);
  f.set("observedOn", new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  f.set("place", "Posyandu Melati");
  f.set("idempotencyKey", key());
  for (const [k, v] of Object.entries(extra)) f.set(k, v);
  for (const [id, result] of Object.entries(results)) {
    if (result === "kompeten") for (let i = 0; i < steps; i++) f.append(`langkah_${id}`, String(i));
    f.set(`hasil_${id}`, result);
  }
  return f;
}

let observer: SessionUser;
const pos: Record<string, number> = {};

/** The pembina kabupaten records one task for kader of one posyandu. */
async function observe(posyanduId: number, task: number, results: Record<string, string>) {
  const r = await recordObservations(observer, posyanduId, sheet(TASK(task).id, TASK(task).steps.length, results));
  expect(r).toMatchObject({ ok: true });
}

/** The recount: active kader in the region (and bidang) whose latest observation is kompeten in `required` programme tasks. */
async function recount(region: string, bidang: string | null): Promise<number> {
  const p = programme();
  const tasks = `{${p.practice.tasks.map((t) => t.id).join(",")}}`;
  const inRegion = region === "ID" ? sql`true` : sql`(u.scope_code = ${region} or u.scope_code like ${`${region}.%`})`;
  const [r] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select count(*)::int as n from users u
      where u.role = 'kader' and u.active and ${inRegion} ${bidang ? sql`and u.spm_bidang = ${bidang}` : sql``}
        and (select count(*) from (
               select distinct on (o.task_id) o.result from practice_observations o
               where o.user_id = u.id and o.task_id = any(${tasks}::text[])
               order by o.task_id, o.recorded_at desc, o.id desc) l
             where l.result = 'kompeten') >= ${p.practice.required}`),
  );
  return r.n;
}

const REGIONS = () => [D1, D2, D3, KEC, KEC3, KAB, "64", "ID"];
const BIDANG = [null, "kesehatan", "pendidikan"];

async function expectEqualToRecount() {
  const got: string[] = [];
  const want: string[] = [];
  for (const r of REGIONS())
    for (const b of BIDANG) {
      got.push(`${r} ${b}: ${await practisedCount(r, programme().id, b)}`);
      want.push(`${r} ${b}: ${await recount(r, b)}`);
    }
  expect(got).toEqual(want);
  return got;
}

beforeAll(async () => {
  await setupDatabase();
  const [d3] = rowsOf<{ code: string; parent: string }>(
    await db.execute(
      sql`select code, parent_code as parent from regions where level = 'desa' and code like '64.08.%' and code not like '64.08.01.%' order by code limit 1`,
    ),
  );
  D3 = d3.code;
  KEC3 = d3.parent;
  observer = await sessionUser(
    (await makeUser({ role: "pembina_kabupaten", scopeCode: KAB, name: "Bu Kabupaten" })).id,
  );
  for (const d of [D1, D2, D3]) pos[d] = await makePosyandu({ name: `Posyandu ${d}`, desaCode: d });
});

describe("the praktik step from the rollup (issue 23)", () => {
  it("equals a recount at desa, kecamatan, kabupaten, provinsi and nation after corrections, a deactivation and a move", async () => {
    const p = programme();
    expect(p.practice.required).toBe(2);
    const kader = async (name: string, desa: string, spmBidang: SpmBidang) =>
      (await makeUser({ role: "kader", scopeCode: desa, posyanduId: pos[desa], name, spmBidang })).id;
    const a = await kader("Ani", D1, "kesehatan"); // kompeten in 2 tasks
    const b = await kader("Bunga", D1, "pendidikan"); // 2 kompeten, then a later 'belum' on one
    const c = await kader("Citra", D2, "kesehatan"); // 3 kompeten, then 'belum' on one: still 2
    const d = await kader("Dewi", D2, "kesehatan"); // 2 kompeten, then deactivated
    const e = await kader("Eka", D1, "pendidikan"); // 2 kompeten, then moved to D3
    const f = await kader("Fitri", D1, "kesehatan"); // 1 kompeten only
    await refreshKaderProgress([a, b, c, d, e, f]);

    await observe(pos[D1], 0, { [a]: "kompeten", [b]: "kompeten", [e]: "kompeten", [f]: "kompeten" });
    await observe(pos[D2], 0, { [c]: "kompeten", [d]: "kompeten" });
    expect(await practisedCount(KEC, p.id, null)).toBe(0);
    await observe(pos[D1], 1, { [a]: "kompeten", [b]: "kompeten", [e]: "kompeten", [f]: "belum_kompeten" });
    await observe(pos[D2], 1, { [c]: "kompeten", [d]: "kompeten" });
    await observe(pos[D2], 2, { [c]: "kompeten" });
    const before = await expectEqualToRecount();
    expect(before).toContain(`${KEC} null: 5`);

    // practised_at: the recording time of the observation that completed the rule (Ani's second task).
    const [second] = await db
      .select({ at: practiceObservations.recordedAt })
      .from(practiceObservations)
      .where(sql`${practiceObservations.userId} = ${a} and ${practiceObservations.taskId} = ${TASK(1).id}`);
    const [ka] = await db.select().from(kaderProgress).where(eq(kaderProgress.userId, a));
    expect(ka.practisedAt?.getTime()).toBe(second.at.getTime());

    // Corrections: a later 'belum kompeten' undoes Bunga's; Citra keeps two of three.
    await observe(pos[D1], 1, { [b]: "belum_kompeten" });
    await observe(pos[D2], 2, { [c]: "belum_kompeten" });
    // Dewi deactivated, Eka moved to a desa of another kecamatan (each write refreshes her progress).
    await db.update(users).set({ active: false }).where(eq(users.id, d));
    await db.update(users).set({ scopeCode: D3, posyanduId: pos[D3] }).where(eq(users.id, e));
    await refreshKaderProgress([d, e]);
    const after = await expectEqualToRecount();
    expect(after).toContain(`${KEC} null: 2`);
    expect(after).toContain(`${D3} pendidikan: 1`);
    expect(after).toContain(`${D2} null: 1`);

    expect(await reportingMismatches()).toEqual([]);
    await rebuildReporting();
    expect(await expectEqualToRecount()).toEqual(after);
  });

  it("the Tim Pembina sheet accepts the people of its area and refuses another area's", async () => {
    const [other] = rowsOf<{ code: string }>(
      await db.execute(
        sql`select code from regions where level = 'kecamatan' and code like '64.08.%' and code <> ${KEC} order by code limit 1`,
      ),
    );
    const member = (await makeUser({ role: "pembina_kecamatan", scopeCode: KEC, name: "Pak Camat" })).id;
    const task = pembinaPracticeTasks()[0];
    const form = (wilayah: string) => sheet(task.id, task.steps.length, { [member]: "kompeten" }, { wilayah });
    const refused = await recordPembinaObservations(observer, form(other.code));
    expect(refused.ok).toBe(false);
    expect(await db.select().from(practiceObservations).where(eq(practiceObservations.userId, member))).toHaveLength(0);
    expect(await recordPembinaObservations(observer, form(KEC))).toMatchObject({ ok: true, recorded: 1 });
    // A pembina is not a kader: no progress row.
    expect(await db.select().from(kaderProgress).where(eq(kaderProgress.userId, member))).toHaveLength(0);
  });
});
