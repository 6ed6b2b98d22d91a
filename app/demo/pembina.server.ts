/**
 * Demo Tim Pembina (issue 20): a team member for every kecamatan and desa of the demo
 * kabupaten, trained in a cascade (the kabupaten's sosialisasi for kecamatan teams, then each
 * trained kecamatan team's sosialisasi for its desa teams), some certified and some not, so the
 * dashboards' cascade, the Tim Pembina list and a session's pre/post results are filled after
 * `npm start`. Written directly (demo data), then certified through the real rule.
 */
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { db } from "~/db.server";
import {
  attendance,
  enrolments,
  moduleProgress,
  practiceObservations,
  quizAttempts,
  regions,
  users,
  workshopEvaluations,
  workshops,
  workshopSpeakers,
  workshopTestAnswers,
  workshopTestResults,
  workshopTests,
} from "~/db/schema";
import { withinScope } from "~/db/scope";
import { attemptRow, prng } from "~/demo/activity.server";
import { makeUser } from "~/demo/factories.server";
import { content, pembinaProgramme } from "~/features/catalogue/content.server";
import { evaluateCertificationStrict } from "~/features/certification/evaluate.server";
import { pickGrouped } from "~/features/learning/quiz-rules";
import { REPORTING_ZONE } from "~/lib/timezone";

const DAY = 86_400_000;
const NAMES = [
  "Hj. Rosmini",
  "Nurlaila",
  "Sri Wahyuni",
  "Masitah",
  "Rusmini",
  "Hartati",
  "Suryani",
  "Jumiati",
  "Salmah",
];

export interface PembinaDemoResult {
  pembina: number;
  certified: number;
}

type Person = { id: string; role: "pembina_kecamatan" | "pembina_desa" | "pembina_kabupaten"; scope: string };

const isoDay = (at: Date) => new Date(at.getTime() + REPORTING_ZONE.offsetMinutes * 60_000).toISOString().slice(0, 10);

/** Demo accounts 03 (kabupaten, certified) and 04 (kecamatan, half way) take part; 05 and 07 have not started. */
export async function seedDemoPembina(
  adminId: string,
  kabupaten: readonly string[],
  passwordHash: string,
  now = new Date(),
): Promise<PembinaDemoResult> {
  const programme = pembinaProgramme();
  if (!programme) return { pembina: 0, certified: 0 };
  const rand = prng(1309);
  const areas = await db
    .select({ code: regions.code, level: regions.level })
    .from(regions)
    .where(
      and(inArray(regions.level, ["kecamatan", "desa"]), or(...kabupaten.map((k) => withinScope(regions.code, k)))),
    )
    .orderBy(asc(regions.code));
  const demo = await db
    .select({ id: users.id, role: users.role, scope: users.scopeCode, phone: users.phone })
    .from(users)
    .where(inArray(users.phone, ["6281100000003", "6281100000004", "6281100000005", "6281100000007"]));
  const demoScopes = new Set(demo.map((d) => `${d.role}:${d.scope}`));
  const people: Person[] = [];
  let seq = 0;
  for (const a of areas) {
    const role = a.level === "kecamatan" ? "pembina_kecamatan" : "pembina_desa";
    if (demoScopes.has(`${role}:${a.code}`)) continue;
    seq++;
    const u = await makeUser({
      name: `${NAMES[seq % NAMES.length]} (TP Posyandu)`,
      phone: `62813${String(70000000 + seq)}`,
      role,
      scopeCode: a.code,
      passwordHash,
    });
    people.push({ id: u.id, role, scope: a.code });
  }
  const byPhone = new Map(demo.map((d) => [d.phone, d]));
  const kab03 = byPhone.get("6281100000003");
  const kec04 = byPhone.get("6281100000004");

  // The cascade: the kabupaten sosialisasi for kecamatan teams (18 Sep 2025, as DPMD Kukar held it),
  // then a sosialisasi of each trained kecamatan team for its desa teams.
  const start = new Date("2025-09-18T01:00:00Z");
  const sessionFor = async (region: string, at: Date, title: string) => {
    const [w] = await db
      .insert(workshops)
      .values({
        title,
        kind: "sosialisasi",
        audience: "pembina",
        regionCode: region,
        venue: region.split(".").length === 2 ? "Pendopo Odah Etam" : "Aula Kantor Camat",
        startsAt: at,
        endsAt: new Date(at.getTime() + 6 * 3600_000),
        capacity: 200,
        status: at < now ? "completed" : "published",
        moduleSlugs: programme.requiredModules,
        createdBy: adminId,
      })
      .returning({ id: workshops.id });
    return w.id;
  };
  const attend = async (workshopId: number, ids: string[]) => {
    if (!ids.length) return;
    await db.insert(enrolments).values(ids.map((userId) => ({ workshopId, userId, status: "enrolled" as const })));
    await db
      .insert(attendance)
      .values(ids.map((userId) => ({ workshopId, userId, status: "hadir" as const, method: "roster" as const })));
  };

  const certify: { id: string; at: Date }[] = [];
  let attemptSeq = 0;
  /** Reads and passes every module (or the first `modules`), and is observed kompeten in both tasks when `practice`. */
  const learn = async (id: string, from: Date, modules: number, practice: boolean) => {
    const progress: (typeof moduleProgress.$inferInsert)[] = [];
    const attempts: (typeof quizAttempts.$inferInsert)[] = [];
    let at = from;
    for (const slug of programme.requiredModules.slice(0, modules)) {
      at = new Date(at.getTime() + (2 + Math.floor(rand() * 6)) * DAY);
      if (at > now) return;
      // Some fail once first (a day earlier): the item analysis needs the spread.
      if (rand() < 0.45)
        attempts.push(
          attemptRow(
            id,
            slug,
            false,
            new Date(at.getTime() - DAY),
            rand,
            `demop${String(++attemptSeq).padStart(5, "0")}`,
          ).row,
        );
      const a = attemptRow(id, slug, true, at, rand, `demop${String(++attemptSeq).padStart(5, "0")}`);
      attempts.push(a.row);
      progress.push({
        userId: id,
        slug,
        contentHash: content().bySlug.get(slug)!.hash,
        openedAt: new Date(at.getTime() - DAY),
        completedAt: at,
        bestScore: a.score,
        passedAt: a.passed ? at : null,
      });
    }
    if (progress.length) await db.insert(moduleProgress).values(progress);
    if (attempts.length) await db.insert(quizAttempts).values(attempts);
    if (!practice) return;
    at = new Date(at.getTime() + 7 * DAY);
    if (at > now) return;
    await db.insert(practiceObservations).values(
      programme.practice.tasks.map((t) => ({
        userId: id,
        taskId: t.id,
        observedOn: isoDay(at),
        place: "Aula Kantor Camat",
        steps: t.steps.map(() => true),
        result: "kompeten" as const,
        observerId: kab03?.id ?? adminId,
        recordedAt: at,
        idempotencyKey: `demo-${t.id}`,
      })),
    );
    certify.push({ id, at: new Date(at.getTime() + 3600_000) });
  };

  for (const kab of kabupaten) {
    const kec = people.filter((p) => p.role === "pembina_kecamatan" && p.scope.startsWith(`${kab}.`));
    const w = await sessionFor(
      kab,
      start,
      "Sosialisasi peningkatan kapasitas Tim Pembina Posyandu kabupaten dan kecamatan",
    );
    const present = kec.filter(() => rand() < 0.85);
    const extra = [kab03, kec04].filter((d) => d && d.scope.startsWith(kab)).map((d) => d!.id);
    await attend(w, [...present.map((p) => p.id), ...extra]);
    if (kab03?.scope === kab) await learn(kab03.id, start, 5, true);
    if (kec04?.scope.startsWith(`${kab}.`)) await learn(kec04.id, start, 2, false);
    for (const p of present) {
      const certified = rand() < 0.7;
      await learn(p.id, start, certified ? 5 : Math.floor(rand() * 4), certified);
      if (!certified) continue;
      // A trained kecamatan team trains its desa teams (most of them come; about half finish).
      const desaTeams = people.filter((d) => d.role === "pembina_desa" && d.scope.startsWith(`${p.scope}.`));
      const at = new Date(start.getTime() + (45 + Math.floor(rand() * 30)) * DAY);
      const dw = await sessionFor(p.scope, at, "Sosialisasi Tim Pembina Posyandu desa");
      const came = desaTeams.filter(() => rand() < 0.75);
      await attend(
        dw,
        came.map((d) => d.id),
      );
      for (const d of came) {
        const done = rand() < 0.5;
        await learn(d.id, at, done ? 5 : Math.floor(rand() * 4), done);
      }
    }
  }
  let certified = 0;
  for (const c of certify) {
    const outcomes = await evaluateCertificationStrict(c.id, c.at < now ? c.at : now);
    if (outcomes.some((o) => o.status === "issued")) certified++;
  }
  await seedPrePost(adminId, now);
  return { pembina: people.length, certified };
}

/**
 * A session with pre/post results, evaluations and narasumber: the most recent demo desa-team
 * sosialisasi, with its attendees' answers written as the paper entry would store them.
 */
async function seedPrePost(adminId: string, now: Date): Promise<void> {
  const rand = prng(2025);
  const [w] = await db
    .select({ id: workshops.id, slugs: workshops.moduleSlugs })
    .from(workshops)
    .where(
      and(
        eq(workshops.audience, "pembina"),
        eq(workshops.status, "completed"),
        withinScope(workshops.regionCode, "64.08"),
      ),
    )
    .orderBy(asc(workshops.startsAt))
    .limit(1);
  if (!w) return;
  const banks = w.slugs.map((slug) => ({ slug, quiz: content().bySlug.get(slug)?.quiz })).filter((b) => b.quiz);
  const items = banks.flatMap((b) =>
    pickGrouped(b.quiz!.questions, 2, rand).map((q) => ({ slug: b.slug, questionId: q.id, q })),
  );
  await db.insert(workshopTests).values({
    workshopId: w.id,
    items: items.map(({ slug, questionId }) => ({ slug, questionId })),
    createdBy: adminId,
    createdAt: now,
  });
  const present = await db
    .select({ userId: attendance.userId })
    .from(attendance)
    .where(eq(attendance.workshopId, w.id));
  for (const [i, p] of present.entries()) {
    for (const phase of ["pre", "post"] as const) {
      const answers = items.map(({ slug, questionId, q }) => {
        const ok = rand() < (phase === "pre" ? 0.45 : 0.78);
        const key =
          q.type === "truefalse" ? [q.answer ? "benar" : "salah"] : Array.isArray(q.answer) ? q.answer : [q.answer];
        const wrong =
          q.type === "truefalse" ? [q.answer ? "salah" : "benar"] : [q.options.find((o) => !key.includes(o.id))!.id];
        return { slug, questionId, section: q.section ?? "", given: (ok ? key : wrong).join(","), ok: ok ? 1 : 0 };
      });
      const correct = answers.filter((a) => a.ok).length;
      await db.insert(workshopTestResults).values({
        workshopId: w.id,
        userId: p.userId,
        phase,
        source: i % 3 === 0 ? "kertas" : "ponsel",
        score: Math.round((100 * correct) / answers.length),
        correct,
        total: answers.length,
        enteredBy: adminId,
      });
      await db
        .insert(workshopTestAnswers)
        .values(answers.map((a) => ({ workshopId: w.id, userId: p.userId, phase, ...a })));
    }
    const scale = () => 3 + Math.floor(rand() * 3);
    await db.insert(workshopEvaluations).values({
      workshopId: w.id,
      userId: p.userId,
      relevance: scale(),
      clarity: scale(),
      speaker: scale(),
      comment: i % 4 === 0 ? "Contoh lembar pengamatan sangat membantu; waktu praktik perlu ditambah." : "",
    });
  }
  await db.insert(workshopSpeakers).values([
    {
      workshopId: w.id,
      name: "dr. Andi Saputra",
      organisation: "Dinas Kesehatan",
      topic: "Layanan kesehatan di Posyandu",
      position: 0,
    },
    {
      workshopId: w.id,
      name: "Rahmat Hidayat",
      organisation: "DPMD",
      topic: "Permendagri 13/2024 dan Tim Pembina",
      position: 1,
    },
  ]);
}
