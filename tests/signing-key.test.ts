/**
 * The certificate signing key: recorded at the first issue; a start with another key is
 * refused with one line; `npm run key:rotate` keeps the old public key, so certificates and
 * Open Badges credentials signed before still verify while new ones use the new key; a key
 * written into the table by hand is not trusted.
 */
// A pilot (PGlite) or production (PostgreSQL) instance, as boot() sees it; set before env() is read.
process.env.AKADEMI_MODE = process.env.DATABASE_URL ? "production" : "pilot";
process.env.APP_URL = "http://akademi.test";

import { createLocalJWKSet, jwtVerify } from "jose";
import { generateKeyPairSync, createPublicKey, sign } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot } from "~/boot.server";
import { db } from "~/db.server";
import { certificates, signingKeys } from "~/db/schema";
import { makeUser } from "~/demo/factories.server";
import { EnvError, env } from "~/env.server";
import { claimInstanceMode } from "~/instance.server";
import { findCertificate } from "~/features/certification/certificates.server";
import { evaluateCertificationStrict } from "~/features/certification/evaluate.server";
import { openBadgeJwt } from "~/features/certification/open-badge.server";
import {
  canonicalPayload,
  checkSigningKey,
  loadSigningKeys,
  rotateSigningKey,
  signingKeyId,
} from "~/features/certification/signing.server";
import { verify, verifyCredential } from "~/features/certification/verification.server";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import * as kunci from "~/routes/verifikasi.kunci";
import { almostCertified, newKader } from "./certification-helpers";
import { BASE, call, makeRequest, setupDatabase } from "./helpers";

const newKey = () => generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
let ipSeq = 0;
const ip = () => `192.0.2.${++ipSeq % 250}`;

let keyA: string;
const keyB = newKey();
let kidA: string;
let kidB: string;
let certA: typeof certificates.$inferSelect;
let jwtA: string;

async function certificateOf(userId: string) {
  const [c] = await db.select().from(certificates).where(eq(certificates.userId, userId));
  return c;
}

beforeAll(async () => {
  await setupDatabase();
  await claimInstanceMode(env().MODE); // as its first start did, before any account existed
  await syncModuleVersions();
  await makeUser({ role: "admin", scopeCode: "64", password: "admin-pilot-uji-2026" }); // a pilot does not start without one
  keyA = env().CERT_SIGNING_KEY;
  kidA = signingKeyId();
  const a = await newKader({ name: "Fitri Handayani" });
  await almostCertified(a.id);
  certA = await certificateOf(a.id);
  jwtA = await openBadgeJwt((await findCertificate(certA.code))!, BASE);
}, 120_000);
afterAll(() => {
  env().CERT_SIGNING_KEY = keyA;
});

describe("the signing key", () => {
  it("is recorded at the first issue, and the start accepts it", async () => {
    expect(certA.payload.kid).toBe(kidA);
    const rows = await db.select().from(signingKeys);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kid: kidA, retiredAt: null });
    expect(createPublicKey(rows[0].publicKey).export({ format: "jwk" })).toEqual(
      createPublicKey(keyA).export({ format: "jwk" }),
    );
    await expect(boot(() => {})).resolves.toBeUndefined();
  }, 60_000);

  it("a start with another CERT_SIGNING_KEY is refused with one line, and nothing is signed with it", async () => {
    env().CERT_SIGNING_KEY = keyB;
    kidB = signingKeyId();
    expect(kidB).not.toBe(kidA);
    const refused = await boot(() => {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EnvError);
    const message = (refused as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain("CERT_SIGNING_KEY");
    expect(message).toContain(kidA);
    expect(message).toContain("npm run key:rotate");
    // A script started with the other key (npm run certify) does not issue with it either.
    const b = await newKader({ name: "Halimah Nurjanah" });
    await almostCertified(b.id, "lastQuiz");
    const { takeQuiz, SLUGS } = await import("./certification-helpers");
    const slugs = SLUGS();
    await takeQuiz(b.id, slugs[slugs.length - 1]);
    await expect(evaluateCertificationStrict(b.id)).rejects.toThrow(/CERT_SIGNING_KEY/);
    expect(await certificateOf(b.id)).toBeUndefined();
    // Without rotation, the old certificate does not verify with the new key: that is why the start is refused.
    expect((await verify(certA.code, certA.signature, ip())).state).toBe("tanda_tangan_salah");
  }, 120_000);

  it("key:rotate: certificates and credentials signed before still verify; new ones use the new key; both keys are published", async () => {
    const r = await rotateSigningKey();
    expect(r).toEqual({ from: kidA, to: kidB, changed: true, unverifiable: 0 });
    await expect(boot(() => {})).resolves.toBeUndefined();

    expect(await verify(certA.code, certA.signature, ip())).toMatchObject({ state: "berlaku", signatureChecked: true });
    expect(await verifyCredential(jwtA, ip())).toMatchObject({ state: "berlaku" });

    const c = await newKader({ name: "Nur Aisyah" });
    await almostCertified(c.id);
    const certC = await certificateOf(c.id);
    expect(certC.payload.kid).toBe(kidB);
    expect(await verify(certC.code, certC.signature, ip())).toMatchObject({ state: "berlaku", signatureChecked: true });
    const jwtC = await openBadgeJwt((await findCertificate(certC.code))!, BASE);
    expect(await verifyCredential(jwtC, ip())).toMatchObject({ state: "berlaku" });

    const jwks = JSON.parse((await call(kunci.loader, makeRequest("/verifikasi/kunci"))).data);
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([kidB, kidA]);
    // A third party verifies the old credential offline with the published set.
    await expect(jwtVerify(jwtA, createLocalJWKSet(jwks))).resolves.toBeTruthy();
    const oldPem = await call(kunci.loader, makeRequest(`/verifikasi/kunci?format=pem&kid=${kidA}`));
    expect(oldPem.data).toBe(createPublicKey(keyA).export({ format: "pem", type: "spki" }).toString());
    expect((await call(kunci.loader, makeRequest("/verifikasi/kunci?format=pem&kid=0000000000000000"))).status).toBe(
      404,
    );
    // Rotating again to the same key changes nothing.
    expect(await rotateSigningKey()).toMatchObject({ from: kidB, to: kidB, changed: false });
  }, 120_000);

  it("an earlier key written into the table by hand (no endorsement by a trusted key) is not trusted", async () => {
    const forger = generateKeyPairSync("ed25519");
    const forgedKid = "f0f0f0f0f0f0f0f0";
    await db.insert(signingKeys).values({
      kid: forgedKid,
      publicKey: forger.publicKey.export({ format: "pem", type: "spki" }).toString(),
      retiredAt: new Date(),
      successorKid: kidB,
      endorsement: sign(null, Buffer.from("akademi"), forger.privateKey).toString("base64url"),
    });
    expect(await loadSigningKeys()).toBe(1); // key A only
    const payload = { ...certA.payload, name: "Orang Lain", kid: forgedKid };
    const signature = sign(null, canonicalPayload(payload), forger.privateKey).toString("base64url");
    await db.update(certificates).set({ payload, signature }).where(eq(certificates.code, certA.code));
    try {
      expect((await verify(certA.code, signature, ip())).state).toBe("tanda_tangan_salah");
      const keys = JSON.parse((await call(kunci.loader, makeRequest("/verifikasi/kunci"))).data).keys;
      expect(keys.map((k: { kid: string }) => k.kid)).not.toContain(forgedKid);
    } finally {
      await db
        .update(certificates)
        .set({ payload: certA.payload, signature: certA.signature })
        .where(eq(certificates.code, certA.code));
      await db.delete(signingKeys).where(eq(signingKeys.kid, forgedKid));
    }
  });

  it("bringing the first key back is a rotation too: everything signed by either key still verifies", async () => {
    env().CERT_SIGNING_KEY = keyA;
    await expect(checkSigningKey()).rejects.toThrow(EnvError);
    expect(await rotateSigningKey()).toMatchObject({ from: kidB, to: kidA, changed: true, unverifiable: 0 });
    await checkSigningKey();
    const all = await db.select().from(certificates);
    expect(new Set(all.map((c) => c.payload.kid))).toEqual(new Set([kidA, kidB]));
    for (const c of all) {
      expect((await verify(c.code, c.signature, ip())).state, c.code).toBe("berlaku");
    }
  }, 60_000);
});
