/**
 * One phone, several kader (issue 24): a post the page script queued on the phone names the
 * account that made it (X-Akun); the server records it only for that account. The public
 * "Anda sudah keluar" page the service worker shows after a logout without signal.
 * The browser side (the outbox, Keluar without signal) is tests/e2e/shared-phone.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { moduleProgress, quizAttempts } from "~/db/schema";
import { OUTBOX_OWNER_HEADER } from "~/auth.server";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { kaderWithCookie as newKader } from "./certification-helpers";
import * as modulePage from "~/routes/modul.$slug._index";
import * as quizIndex from "~/routes/modul.$slug.kuis._index";
import * as quizAttempt from "~/routes/modul.$slug.kuis.$attemptId";
import * as keluar from "~/routes/keluar";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const SLUG = "spm-kesehatan";
beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

async function progressOf(userId: string) {
  const [row] = await db
    .select()
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.slug, SLUG)));
  return row ? { last: row.lastSection, completed: row.completedAt !== null } : null;
}

describe("a queued post names its account", () => {
  it("is refused (409) under another kader's session and when nobody is signed in; nothing is recorded", async () => {
    const a = await newKader();
    const b = await newKader();
    const page = await call(modulePage.loader, makeRequest(`/modul/${SLUG}`, { cookie: a.cookie }), { slug: SLUG });
    const first: string = page.data.sections[0].id;
    const post = (cookie: string | undefined, owner: string, form: Record<string, string>) =>
      call(
        modulePage.action,
        makeRequest(`/modul/${SLUG}?index`, { cookie, form, headers: { [OUTBOX_OWNER_HEADER]: owner } }),
        { slug: SLUG },
      );

    const forms: Record<string, string>[] = [{ intent: "bagian", bagian: first }, { intent: "selesai" }];
    for (const form of forms) {
      const other = await post(b.cookie, a.id, form);
      expect(other.status).toBe(409);
      expect(other.data).toContain("milik akun lain");
      expect((await post(undefined, a.id, form)).status).toBe(409); // signed out: not a redirect to /masuk
    }
    expect(await progressOf(b.id)).toBeNull();
    expect(await progressOf(a.id)).toEqual({ last: null, completed: false }); // opened, nothing recorded

    // Her own session: recorded as always.
    expect((await post(a.cookie, a.id, { intent: "bagian", bagian: first })).status).toBe(302);
    expect((await post(a.cookie, a.id, { intent: "selesai" })).status).toBe(302);
    expect(await progressOf(a.id)).toMatchObject({ last: expect.any(String), completed: true });
    expect(await progressOf(b.id)).toBeNull();
  });

  it("a queued quiz answer is refused under another kader's session, and graded for its owner", async () => {
    const a = await newKader();
    const b = await newKader();
    const started = await call(
      quizIndex.action,
      makeRequest(`/modul/${SLUG}/kuis?index`, { cookie: a.cookie, form: { idempotencyKey: "5a".repeat(16) } }),
      { slug: SLUG },
    );
    expect(started.status).toBe(302);
    const attemptId = started.location!.split("/").pop()!;
    const [attempt] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
    const answers = attempt.draw.map((q) => [`q_${q.id}`, q.options[0].id] as [string, string]);
    const send = (cookie: string) =>
      call(
        quizAttempt.action,
        makeRequest(started.location!, {
          cookie,
          form: Object.fromEntries(answers),
          headers: { [OUTBOX_OWNER_HEADER]: a.id },
        }),
        { slug: SLUG, attemptId },
      );
    expect((await send(b.cookie)).status).toBe(409);
    const [before] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
    expect(before.submittedAt).toBeNull();
    expect((await send(a.cookie)).status).toBe(302);
    const [after] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
    expect(after.submittedAt).not.toBeNull();
  });
});

describe("the page after a logout without signal (/keluar)", () => {
  it("is public, says the session on the server ends with the signal; signed in it goes home", async () => {
    const anonymous = await call(keluar.loader, makeRequest("/keluar"));
    expect(anonymous.status).toBe(200);
    const k = await newKader();
    const signedIn = await call(keluar.loader, makeRequest("/keluar", { cookie: k.cookie }));
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/");
  });
});
