/**
 * Every quiz attempt of the demo has a valid attempt id, so its result page opens: Rina's and
 * Sari's (the demo accounts people click through) were `rina0`, `sari0`…, which the attempt id
 * pattern refuses, so their links answered 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { db } from "~/db.server";
import { quizAttempts, users } from "~/db/schema";
import { seedDemo } from "~/demo/demo.server";
import * as attemptPage from "~/routes/modul.$slug.kuis.$attemptId";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

/** The attempt id pattern (getOwnAttempt in app/features/learning/quiz.server.ts). */
const ATTEMPT_ID = /^[a-z0-9]{8,40}$/;

beforeAll(async () => {
  await setupDatabase();
  await seedDemo();
}, 300_000);

describe("demo quiz attempts", () => {
  it("every id passes the attempt id pattern", async () => {
    const ids = (await db.select({ id: quizAttempts.id }).from(quizAttempts)).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.filter((id) => !ATTEMPT_ID.test(id))).toEqual([]);
  });

  it("the result page of every attempt of the demo accounts opens for its owner (and a sample of the others)", async () => {
    const demo = await db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.phone, ["6281100000006", "6281100000008", "6281100000009"]));
    const owners = new Set(demo.map((u) => u.id));
    const all = await db
      .select({ id: quizAttempts.id, userId: quizAttempts.userId, slug: quizAttempts.slug })
      .from(quizAttempts)
      .orderBy(quizAttempts.id);
    const mine = all.filter((a) => owners.has(a.userId));
    expect(mine.length).toBeGreaterThanOrEqual(11 + 3); // Rina's passed quizzes, Sari's three fails
    const sample = [...mine, ...all.filter((_, i) => i % 97 === 0)];
    const cookies = new Map<string, string>();
    for (const a of sample) {
      if (!cookies.has(a.userId)) cookies.set(a.userId, await sessionCookie(a.userId));
      const res = await call(
        attemptPage.loader,
        makeRequest(`/modul/${a.slug}/kuis/${a.id}`, { cookie: cookies.get(a.userId) }),
        { slug: a.slug, attemptId: a.id },
      );
      expect(res.status, `${a.id} ${res.data}`).toBe(200);
    }
    const [sari] = await db.select({ id: users.id }).from(users).where(eq(users.phone, "6281100000009"));
    expect(mine.filter((a) => a.userId === sari.id)).toHaveLength(3);
  }, 120_000);
});
