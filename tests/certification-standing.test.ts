/**
 * The certificate catch-up, out of the /sertifikat loader (issue 22): `standingWithCatchUp`
 * (certification/standing.server.ts) issues a certificate the rule says is due but no
 * trigger issued, and evaluates nothing when none is due.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { certificates } from "~/db/schema";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { kaderStanding } from "~/features/certification/evaluate.server";
import { missedIssuance, standingWithCatchUp } from "~/features/certification/standing.server";
import { setupDatabase } from "./helpers";
import { almostCertified, attend, newKader } from "./certification-helpers";

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

const certsOf = (userId: string) => db.select().from(certificates).where(eq(certificates.userId, userId));

describe("standingWithCatchUp", () => {
  it("issues a missed certificate and returns the standing with it in force", async () => {
    const k = await newKader();
    await almostCertified(k.id, "attendance");
    await attend(k.id); // recorded without calling evaluateCertification: the issuance is missed
    const before = await kaderStanding(k.id);
    expect(missedIssuance(before)).toBe(true);
    expect(await certsOf(k.id)).toHaveLength(0);

    const standings = await standingWithCatchUp(k.id);
    expect(standings[0].valid).not.toBeNull();
    expect(missedIssuance(standings)).toBe(false);
    const certs = await certsOf(k.id);
    expect(certs).toHaveLength(1);
    expect(standings[0].valid?.code).toBe(certs[0].code);

    // Again: nothing more is issued.
    await standingWithCatchUp(k.id);
    expect(await certsOf(k.id)).toHaveLength(1);
  });

  it("a kader who does not meet the rule gets her standing and no certificate", async () => {
    const k = await newKader();
    await almostCertified(k.id, "attendance");
    const standings = await standingWithCatchUp(k.id);
    expect(missedIssuance(standings)).toBe(false);
    expect(standings[0].valid).toBeNull();
    expect(standings[0].rule.certified).toBe(false);
    expect(await certsOf(k.id)).toHaveLength(0);
  });
});
