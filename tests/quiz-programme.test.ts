/** A module outside every programme has no quiz to take or submit. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";

const root = mkdtempSync(path.join(tmpdir(), "akademi-programme-"));
cpSync("content", root, { recursive: true });
const programme = path.join(root, "programme.yaml");
writeFileSync(programme, readFileSync(programme, "utf8").replace("      - spm-sosial\n", ""));
process.env.CONTENT_DIR = root;

const { db } = await import("~/db.server");
const { quizAttempts } = await import("~/db/schema");
const { makeUser } = await import("~/demo/factories.server");
const quizInfo = await import("~/routes/modul.$slug.kuis._index");
const attemptPage = await import("~/routes/modul.$slug.kuis.$attemptId");
const modulePage = await import("~/routes/modul.$slug._index");
const { call, makeRequest, sessionCookie, setupDatabase } = await import("./helpers");

let cookie: string;
let userId: string;
beforeAll(async () => {
  await setupDatabase();
  const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2003" });
  userId = k.id;
  cookie = await sessionCookie(k.id);
});

describe("module outside the programme", () => {
  it("can be read, but its quiz cannot be opened, started or submitted", async () => {
    const page = await call(modulePage.loader, makeRequest("/modul/spm-sosial", { cookie }), { slug: "spm-sosial" });
    expect(page.status).toBe(200);
    expect(page.data.hasQuiz).toBe(false);
    const info = await call(quizInfo.loader, makeRequest("/modul/spm-sosial/kuis", { cookie }), { slug: "spm-sosial" });
    expect(info.status).toBe(404);
    expect(info.data).toBe("Modul ini tidak memiliki kuis dalam program sertifikasi.");
    const startRes = await call(
      quizInfo.action,
      makeRequest("/modul/spm-sosial/kuis", { cookie, form: { idempotencyKey: "a".repeat(32) } }),
      { slug: "spm-sosial" },
    );
    expect(startRes.status).toBe(404);
    const submit = await call(
      attemptPage.action,
      makeRequest("/modul/spm-sosial/kuis/abcdefghijklmnop", { cookie, form: { q_q01: "a" } }),
      { slug: "spm-sosial", attemptId: "abcdefghijklmnop" },
    );
    expect(submit.status).toBe(404);
    const [{ n }] = await db.select({ n: count() }).from(quizAttempts).where(eq(quizAttempts.userId, userId));
    expect(n).toBe(0);
  });
});
