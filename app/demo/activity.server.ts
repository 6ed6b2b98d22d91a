/**
 * Demo activity on top of the demo roster: workshops with enrolment and attendance in
 * every kecamatan of Kutai Kartanegara and Kutai Timur, module progress and quiz results
 * for the attendees, and the accounts the browser tests and the demo walk-through use.
 * Deterministic (seeded PRNG), demo mode only.
 */
import { and, asc, eq, or, sql } from "drizzle-orm";
import { content } from "~/features/catalogue/content.server";
import { presentStatuses } from "~/features/catalogue/present";
import { db, type Tx } from "~/db.server";
import {
  attendance,
  enrolments,
  moduleAssignments,
  moduleProgress,
  quizAttempts,
  regions,
  users,
  workshops,
  type AttendanceStatus,
  type DrawnQuestion,
} from "~/db/schema";
import { withinScope } from "~/db/scope";
import { refreshRegion } from "~/features/projection/projection.server";
import { drawQuestions, scoreAttempt } from "~/features/learning/quiz-rules";

const DAY = 86_400_000;

export interface ActivityResult {
  workshops: number;
  enrolments: number;
  attendance: number;
  progress: number;
  attempts: number;
}

export function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Answers that look like a real kader's, so "Analisis soal" has something to show: each item
 * has a difficulty and each distractor a pull (from their ids; about one item in six has a
 * distractor nobody picks), the kader an ability; right with the logistic chance of ability
 * minus difficulty. Drawn again (own PRNG, from the attempt key) until pass/fail is `pass`.
 */
function demoAnswers(draw: DrawnQuestion[], pass: boolean, passScore: number, key: string) {
  const r = prng(hashSeed(key));
  const wrongAnswer = (q: DrawnQuestion): string[] => {
    const wrong = q.options.filter((o) => !q.answer.includes(o.id));
    if (q.type === "multiple") {
      // Half of the keys, or the keys plus a distractor: both are wrong.
      return r() < 0.5 || !wrong.length
        ? q.answer.slice(0, Math.max(1, q.answer.length - 1))
        : [...q.answer, wrong[0].id].sort();
    }
    const dead = hashSeed(q.id) % 6 === 0 ? wrong.slice().sort((a, b) => a.id.localeCompare(b.id))[0]?.id : undefined;
    const pulls = wrong.map((o) => (o.id === dead && wrong.length > 1 ? 0 : 0.2 + (hashSeed(q.id + o.id) % 100) / 100));
    let x = r() * pulls.reduce((a, b) => a + b, 0);
    for (const [i, o] of wrong.entries()) {
      x -= pulls[i];
      if (x <= 0 && pulls[i] > 0) return [o.id];
    }
    return [wrong.find((_, i) => pulls[i] > 0)?.id ?? q.answer[0]];
  };
  let answers: Record<string, string[]> = {};
  for (let attempt = 0; attempt < 40; attempt++) {
    const ability = pass ? 1.2 + r() * 1.5 : -0.8 + r() * 1.4;
    answers = Object.fromEntries(
      draw.map((q) => {
        const difficulty = ((hashSeed(q.id) % 1000) / 1000) * 3 - 1.5;
        const right = r() < 1 / (1 + Math.exp(-1.4 * (ability - difficulty)));
        return [q.id, right ? q.answer : wrongAnswer(q)];
      }),
    );
    if (scoreAttempt(draw, answers, passScore).passed === pass) return answers;
  }
  // Rarely reached: all right for a pass, every other one wrong for a fail.
  return Object.fromEntries(draw.map((q, i) => [q.id, pass || i % 2 === 0 ? q.answer : wrongAnswer(q)]));
}

/**
 * A submitted attempt whose answers give `pass` or a fail, with its draw stored. `key` is
 * also the attempt id, so it must be a valid one (8-40 of a-z0-9, as getOwnAttempt checks):
 * the quiz result page of a demo attempt must open.
 */
export function attemptRow(userId: string, slug: string, pass: boolean, at: Date, rand: () => number, key: string) {
  const mod = content().bySlug.get(slug)!;
  const draw = drawQuestions(mod.quiz!, rand);
  const answers = demoAnswers(draw, pass, mod.quiz!.passScore, key);
  const result = scoreAttempt(draw, answers, mod.quiz!.passScore);
  return {
    row: {
      id: key,
      userId,
      slug,
      contentHash: mod.hash,
      questionIds: draw.map((q) => q.id),
      draw,
      passScore: mod.quiz!.passScore,
      startedAt: new Date(at.getTime() - 12 * 60_000),
      submittedAt: at,
      answers,
      score: result.score,
      passed: result.passed,
      idempotencyKey: `demo-${key}`,
    },
    score: result.score,
    passed: result.passed,
  };
}

/**
 * One insert per 1,000 rows: a single drizzle insert of tens of thousands of rows (demo on
 * top of seed:scale data) overflows the stack while building the statement.
 */
async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * The activity in one transaction, with the dashboard inputs of the kader of `refresh`
 * (region codes) recomputed inside it: a start interrupted here leaves neither.
 */
export async function seedDemoActivity(
  creatorId: string,
  refresh: readonly string[],
  now = new Date(),
): Promise<ActivityResult> {
  const rand = prng(2024);
  const programme = content().defaultProgramme;
  const slugs = programme.requiredModules;
  // Who gets the pelatihan's follow-up modules: the statuses that count as present.
  const present = presentStatuses(content(), "pelatihan");
  const result: ActivityResult = { workshops: 0, enrolments: 0, attendance: 0, progress: 0, attempts: 0 };
  const kecamatan = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(
      and(eq(regions.level, "kecamatan"), or(withinScope(regions.code, "64.02"), withinScope(regions.code, "64.08"))),
    )
    .orderBy(asc(regions.code));

  await db.transaction(async (tx) => {
    for (const [ki, kec] of kecamatan.entries()) {
      const kader = await tx
        .select({ id: users.id, phone: users.phone })
        .from(users)
        .where(
          and(
            eq(users.role, "kader"),
            eq(users.active, true),
            withinScope(users.scopeCode, kec.code),
            sql`${users.phone} not like '628110000000%'`,
          ),
        )
        .orderBy(asc(users.id));
      if (!kader.length) continue;
      // A completed pelatihan one to four months ago, for about 60% of the kader.
      // Muara Muntai (64.02.01) trained almost two years ago: its certificates expire soon.
      const start = new Date(now.getTime() - (kec.code === "64.02.01" ? 715 : 30 + Math.floor(rand() * 90)) * DAY);
      start.setUTCHours(0, 30, 0, 0); // 08.30 WITA
      const [w] = await tx
        .insert(workshops)
        .values({
          title: `Pelatihan Kader Posyandu 6 SPM Kecamatan ${kec.name}`,
          kind: "pelatihan",
          audience: "kader",
          regionCode: kec.code,
          venue: `Aula Kantor Camat ${kec.name}`,
          startsAt: start,
          endsAt: new Date(start.getTime() + 7 * 3600_000),
          capacity: Math.max(10, Math.ceil(kader.length * 0.7)),
          status: "completed",
          moduleSlugs: slugs,
          createdBy: creatorId,
        })
        .returning({ id: workshops.id });
      result.workshops++;
      const participants = kader.filter(() => rand() < 0.6);
      if (participants.length) {
        await insertInChunks(
          participants.map((k) => ({
            workshopId: w.id,
            userId: k.id,
            status: "enrolled" as const,
            at: new Date(start.getTime() - 7 * DAY),
            enrolledBy: creatorId,
          })),
          (c) => tx.insert(enrolments).values(c),
        );
        result.enrolments += participants.length;
        const statuses = participants.map((): AttendanceStatus => {
          const r = rand();
          return r < 0.75 ? "hadir" : r < 0.85 ? "terlambat" : r < 0.93 ? "izin" : "alpa";
        });
        await insertInChunks(
          participants.map((k, i) => ({
            workshopId: w.id,
            userId: k.id,
            status: statuses[i],
            method: "roster" as const,
            recordedBy: creatorId,
            at: start,
          })),
          (c) => tx.insert(attendance).values(c),
        );
        result.attendance += participants.length;
        const attended = participants.filter((_, i) => present.has(statuses[i]));
        if (attended.length) {
          await insertInChunks(
            attended.flatMap((k) =>
              slugs.map((slug) => ({
                userId: k.id,
                slug,
                source: "workshop" as const,
                workshopId: w.id,
                assignedAt: start,
              })),
            ),
            (c) => tx.insert(moduleAssignments).values(c),
          );
          // Follow-up study: most read most modules; most who read pass.
          const progressRows: (typeof moduleProgress.$inferInsert)[] = [];
          const attemptRows: (typeof quizAttempts.$inferInsert)[] = [];
          const diligence = () => (rand() < 0.45 ? 1 : 0.55 + rand() * 0.35);
          for (const [ai, k] of attended.entries()) {
            const d = diligence();
            for (const [si, slug] of slugs.entries()) {
              if (rand() > d) continue;
              const at = new Date(start.getTime() + (3 + si * 4 + Math.floor(rand() * 10)) * DAY);
              if (at > now) continue;
              const passed = rand() < (d === 1 ? 0.97 : 0.8);
              const score = passed ? 75 + Math.floor(rand() * 6) * 5 : 37 + Math.floor(rand() * 4) * 6;
              progressRows.push({
                userId: k.id,
                slug,
                contentHash: content().bySlug.get(slug)!.hash,
                openedAt: new Date(at.getTime() - DAY),
                completedAt: at,
                bestScore: score,
                passedAt: passed ? at : null,
              });
              // The attempt behind the score, with its draw (certification reads attempts).
              {
                const a = attemptRow(k.id, slug, passed, at, rand, `demo${ki}x${ai}x${si}`);
                progressRows[progressRows.length - 1].bestScore = a.score;
                progressRows[progressRows.length - 1].passedAt = a.passed ? at : null;
                attemptRows.push(a.row);
              }
            }
          }
          for (let i = 0; i < progressRows.length; i += 1000)
            await tx.insert(moduleProgress).values(progressRows.slice(i, i + 1000));
          for (let i = 0; i < attemptRows.length; i += 200)
            await tx.insert(quizAttempts).values(attemptRows.slice(i, i + 200));
          result.progress += progressRows.length;
          result.attempts += attemptRows.length;
        }
      }
    }
    await seedShowcase(tx, creatorId, now, result);
    for (const code of refresh) await refreshRegion(code, tx);
  });
  return result;
}

/** The sessions and people the walk-through and the browser tests rely on (Muara Ancalong). */
async function seedShowcase(tx: Tx, creatorId: string, now: Date, result: ActivityResult): Promise<void> {
  const [dewi] = await tx.select().from(users).where(eq(users.phone, "6281100000006"));
  const [rina] = await tx.select().from(users).where(eq(users.phone, "6281100000008"));
  const [pembinaKec] = await tx.select().from(users).where(eq(users.phone, "6281100000004"));
  const [pembinaKab] = await tx.select().from(users).where(eq(users.phone, "6281100000003"));
  const slugs = content().defaultProgramme.requiredModules;
  const rand = prng(8);

  // Rina attended the Muara Ancalong pelatihan, read every module and passed every quiz but the last one.
  const [done] = await tx
    .select({ id: workshops.id, startsAt: workshops.startsAt })
    .from(workshops)
    .where(and(eq(workshops.regionCode, "64.08.01"), eq(workshops.status, "completed")));
  await tx
    .insert(enrolments)
    .values({ workshopId: done.id, userId: rina.id, status: "enrolled", at: done.startsAt, enrolledBy: creatorId })
    .onConflictDoNothing();
  await tx
    .insert(attendance)
    .values({
      workshopId: done.id,
      userId: rina.id,
      status: "hadir",
      method: "roster",
      recordedBy: creatorId,
      at: done.startsAt,
    })
    .onConflictDoNothing();
  await tx
    .insert(moduleAssignments)
    .values(slugs.map((slug) => ({ userId: rina.id, slug, source: "workshop" as const, workshopId: done.id })))
    .onConflictDoNothing();
  for (const [i, slug] of slugs.entries()) {
    const at = new Date(now.getTime() - (20 - i) * DAY);
    const last = i === slugs.length - 1;
    if (!last) {
      const a = attemptRow(rina.id, slug, true, at, rand, `demorina${i}`);
      await tx.insert(quizAttempts).values(a.row);
      result.attempts++;
    }
    await tx.insert(moduleProgress).values({
      userId: rina.id,
      slug,
      contentHash: content().bySlug.get(slug)!.hash,
      openedAt: at,
      completedAt: at,
      bestScore: last ? null : 100,
      passedAt: last ? null : at,
    });
  }

  // Upcoming: a published pelatihan next week (Dewi enrolled), a draft, and a kabupaten sosialisasi for pembina.
  const nextWeek = new Date(now.getTime() + 7 * DAY);
  nextWeek.setUTCHours(1, 0, 0, 0); // 09.00 WITA
  const [upcoming] = await tx
    .insert(workshops)
    .values({
      title: "Pelatihan Lanjutan Kader: Pencatatan dan Musrenbang",
      kind: "pelatihan",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Balai Desa Senyiur",
      startsAt: nextWeek,
      endsAt: new Date(nextWeek.getTime() + 5 * 3600_000),
      capacity: 40,
      status: "published",
      moduleSlugs: ["pencatatan-pelaporan-musrenbang"],
      createdBy: pembinaKec.id,
    })
    .returning({ id: workshops.id });
  await tx
    .insert(enrolments)
    .values({ workshopId: upcoming.id, userId: dewi.id, status: "enrolled", enrolledBy: dewi.id });
  await tx.insert(workshops).values({
    title: "Pendampingan Posyandu Desa Long Nah (draf)",
    kind: "pendampingan",
    audience: "kader",
    regionCode: "64.08.01.2004",
    venue: "Posyandu Melati, Long Nah",
    startsAt: new Date(nextWeek.getTime() + 7 * DAY),
    endsAt: new Date(nextWeek.getTime() + 7 * DAY + 3 * 3600_000),
    capacity: 20,
    status: "draft",
    moduleSlugs: [],
    createdBy: pembinaKec.id,
  });
  const sosStart = new Date(now.getTime() - 75 * DAY);
  sosStart.setUTCHours(1, 0, 0, 0);
  const [sos] = await tx
    .insert(workshops)
    .values({
      title: "Sosialisasi Permendagri 13/2024 bagi Tim Pembina Posyandu Kecamatan se-Kutai Timur",
      kind: "sosialisasi",
      audience: "pembina",
      regionCode: "64.08",
      venue: "Ruang Meranti, Kantor Bupati Kutai Timur, Sangatta",
      startsAt: sosStart,
      endsAt: new Date(sosStart.getTime() + 6 * 3600_000),
      capacity: 60,
      status: "completed",
      moduleSlugs: ["permendagri-13-2024"],
      createdBy: pembinaKab.id,
    })
    .returning({ id: workshops.id });
  await tx
    .insert(enrolments)
    .values({ workshopId: sos.id, userId: pembinaKec.id, status: "enrolled", enrolledBy: pembinaKab.id });
  await tx.insert(attendance).values({
    workshopId: sos.id,
    userId: pembinaKec.id,
    status: "hadir",
    method: "roster",
    recordedBy: pembinaKab.id,
    at: sosStart,
  });
  result.workshops += 3;

  // Sari failed the first quiz three times: locked out until a pembina grants another round.
  const [sari] = await tx.select().from(users).where(eq(users.phone, "6281100000009"));
  if (sari) {
    const slug = slugs[0];
    let best = 0;
    for (let i = 0; i < 3; i++) {
      const a = attemptRow(sari.id, slug, false, new Date(now.getTime() - (3 - i) * DAY), rand, `demosari${i}`);
      await tx.insert(quizAttempts).values(a.row);
      best = Math.max(best, a.score);
      result.attempts++;
    }
    const read = new Date(now.getTime() - 4 * DAY);
    await tx.insert(moduleProgress).values({
      userId: sari.id,
      slug,
      contentHash: content().bySlug.get(slug)!.hash,
      openedAt: read,
      completedAt: read,
      bestScore: best,
      passedAt: null,
    });
  }
}
