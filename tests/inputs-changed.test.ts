/**
 * "A kader's inputs changed" has one entry, kaderInputsChanged (certification/evaluate.server.ts):
 * every writer of a rule input calls it inside its own transaction, which evaluates the rule
 * there (a failure never undoes the write) and refreshes the projection once.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { certificates, kaderProgress, users } from "~/db/schema";
import { makeUser } from "~/demo/factories.server";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { setUserActive } from "~/features/accounts/users.server";
import type { SessionUser } from "~/auth.server";
import { almostCertified, newKader, SLUGS, takeQuiz } from "./certification-helpers";
import { setupDatabase } from "./helpers";

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.tsx?$/.test(name)) yield p;
  }
}

describe("one entry for a kader's changed inputs", () => {
  it("no writer refreshes the projection or evaluates certification by itself", () => {
    const direct: string[] = [];
    for (const f of files("app")) {
      const rel = f.split(path.sep).join("/");
      // The entry itself, the projection, and the two catch-ups that are not writes.
      if (/features\/(certification\/(evaluate|standing)\.server|projection\/)/.test(rel)) continue;
      // Regions sit below certification: moving a posyandu changes no rule input, only the projection.
      if (rel === "app/features/regions/posyandu.server.ts") continue;
      const src = readFileSync(f, "utf8");
      if (/\b(refreshKaderProgress|evaluateCertification|evaluateCertificationFor)\(/.test(src)) direct.push(rel);
    }
    expect(direct).toEqual([]);
  });

  it("reactivating a kader who meets the rule issues her certificate at once, with the projection", async () => {
    const k = await newKader({ name: "Kader Aktif Lagi" });
    await almostCertified(k.id, "lastQuiz");
    await db.update(users).set({ active: false }).where(eq(users.id, k.id));
    await takeQuiz(k.id, SLUGS()[SLUGS().length - 1]); // passed while inactive: nothing is issued
    expect(await db.select().from(certificates).where(eq(certificates.userId, k.id))).toHaveLength(0);
    const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" });
    const actor = { id: pembina.id, role: "pembina_kecamatan", scopeCode: "64.08.01", name: "P" } as SessionUser;
    expect(await setUserActive(actor, k.id, true)).toEqual({ changed: true });
    const certs = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    expect(certs).toHaveLength(1);
    const [row] = await db.select().from(kaderProgress).where(eq(kaderProgress.userId, k.id));
    expect(row.active).toBe(true);
    expect(row.certifiedAt?.getTime()).toBe(certs[0].issuedAt.getTime());
  });
});
