/**
 * Ed25519 signatures over the certificate payload (node:crypto). The private key comes
 * from the deployment (env CERT_SIGNING_KEY); the signature travels in the QR code's
 * verification URL (?s=…) and is stored with the certificate, so a certificate whose
 * printed QR, or whose database row, was altered is detected.
 *
 * Which key signs is recorded in `signing_keys` at the first issue (its kid, the first 16
 * hex of sha256 of the public key, is also in every payload). A start with another key is
 * refused (`checkSigningKey`, at boot) until the operator runs `npm run key:rotate`: the old
 * public key stays, endorsed by the new key, so every certificate verifies with the key
 * that signed it (`verifyPayload` picks it by kid) and new ones are signed with the new key.
 * A key written into the table by hand, without the endorsement of a trusted key, is not
 * trusted.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { count, eq, isNull, notInArray, sql } from "drizzle-orm";
import { type Conn, db, sqlRows } from "~/db.server";
import { certificates, signingKeys } from "~/db/schema";
import { EnvError, env } from "~/env.server";

/** What is printed on the certificate; every field is signed. */
export interface CertificatePayload {
  [field: string]: string;
  v: string;
  code: string;
  name: string;
  posyandu: string;
  desa: string;
  programmeId: string;
  programme: string;
  issued: string;
  expires: string;
  issuer: string;
  issuerCode: string;
  /** Key id: first 16 hex of sha256 of the public key (which key verifies it). */
  kid: string;
}

/**
 * An optional `peran` (issue 20) names a Tim Pembina member's team ("Tim Pembina Posyandu
 * Kecamatan") on her certificate; a kader's certificate has none.
 *
 * Version 2 adds (when the kabupaten had a signatory at issue) `signatoryName`,
 * `signatoryTitle`, `signatoryNip`, and `practice`: the titles of the practice tasks
 * observed kompeten, joined by " | ". Version 1 payloads stay valid as they were signed.
 */
export const PAYLOAD_VERSION = "2";

interface Keys {
  pem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

let cached: Keys | undefined;

function keys(): Keys {
  const pem = env().CERT_SIGNING_KEY;
  if (cached?.pem !== pem) {
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    cached = { pem, privateKey, publicKey, kid: kidOf(publicKey) };
  }
  return cached;
}

function kidOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: "der", type: "spki" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

function spkiPem(publicKey: KeyObject): string {
  return publicKey.export({ format: "pem", type: "spki" }).toString();
}

export function signingKeyId(): string {
  return keys().kid;
}

/** The key pair as node KeyObjects (for jose) and its key id. */
export function signingKeyPair(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
  const k = keys();
  return { privateKey: k.privateKey, publicKey: k.publicKey, kid: k.kid };
}

// ---------------------------------------------------------------- earlier keys

/** Retired keys trusted for verification, as loaded for the current key (`loadSigningKeys`). */
let retired: { forKid: string; keys: Map<string, KeyObject> } | undefined;

/** The public key that verifies what `kid` signed: the current key, a trusted earlier one, or null. */
export function publicKeyFor(kid: string | undefined): KeyObject | null {
  const k = keys();
  if (!kid || kid === k.kid) return k.publicKey;
  return retired?.forKid === k.kid ? (retired.keys.get(kid) ?? null) : null;
}

/** Every public key that verifies certificates, the current one first. */
export function verificationKeys(): { kid: string; publicKey: KeyObject; current: boolean }[] {
  const k = keys();
  const older = retired?.forKid === k.kid ? [...retired.keys] : [];
  return [
    { kid: k.kid, publicKey: k.publicKey, current: true },
    ...older.map(([kid, publicKey]) => ({ kid, publicKey, current: false })),
  ];
}

/** The bytes a successor key signs to vouch for the key it replaced. */
function endorsementMessage(kid: string, publicKeyPem: string): Buffer {
  return Buffer.from(`akademi-posyandu/kunci-lama\0${kid}\0${publicKeyPem.trim()}`, "utf8");
}

/**
 * Reads the retired keys and keeps those vouched for by a trusted key: the current key's
 * endorsement of the one it replaced, that key's of the one before, and so on.
 */
export async function loadSigningKeys(conn: Conn = db): Promise<number> {
  const k = keys();
  const rows = await conn
    .select({
      kid: signingKeys.kid,
      publicKey: signingKeys.publicKey,
      successorKid: signingKeys.successorKid,
      endorsement: signingKeys.endorsement,
    })
    .from(signingKeys);
  const trusted = new Map<string, KeyObject>([[k.kid, k.publicKey]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (trusted.has(r.kid) || !r.successorKid || !r.endorsement) continue;
      const successor = trusted.get(r.successorKid);
      if (!successor) continue;
      try {
        const key = createPublicKey(r.publicKey);
        const vouched = verify(
          null,
          endorsementMessage(r.kid, r.publicKey),
          successor,
          Buffer.from(r.endorsement, "base64url"),
        );
        if (vouched && kidOf(key) === r.kid) {
          trusted.set(r.kid, key);
          grew = true;
        }
      } catch {
        // not a key: not trusted
      }
    }
  }
  trusted.delete(k.kid);
  retired = { forKid: k.kid, keys: trusted };
  return trusted.size;
}

function mismatch(recorded: string, configured: string): EnvError {
  return new EnvError(
    `CERT_SIGNING_KEY bukan kunci yang menandatangani sertifikat yang sudah terbit (kunci tercatat ${recorded}, kunci sekarang ${configured}): pasang kembali kunci lama, atau jalankan \`npm run key:rotate\` bila kunci memang diganti (sertifikat lama tetap dapat diverifikasi).`,
  );
}

/**
 * At start: the configured key must be the one that signs (recorded at the first issue).
 * A database from before keys were recorded is judged by its newest certificate's kid.
 * Throws an EnvError (one line) otherwise; then loads the earlier keys for verification.
 */
export async function checkSigningKey(): Promise<void> {
  const k = keys();
  const [current] = await db.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
  if (current) {
    if (current.kid !== k.kid) throw mismatch(current.kid, k.kid);
  } else {
    const [newest] = await sqlRows<{ kid: string | null }>(
      sql`select payload->>'kid' as kid from certificates order by issued_at desc limit 1`,
    );
    if (newest) {
      if (newest.kid && newest.kid !== k.kid) throw mismatch(newest.kid, k.kid);
      await recordSigningKey(db);
    }
  }
  await loadSigningKeys();
}

let recorded: string | undefined;

/**
 * Records the signing key at the first issue (in the issuing transaction) and refuses to
 * sign with a key that is not the current one (a script started with another key).
 */
export async function recordSigningKey(conn: Conn): Promise<void> {
  const k = keys();
  if (recorded === k.kid) return;
  const inserted = await conn
    .insert(signingKeys)
    .values({ kid: k.kid, publicKey: spkiPem(k.publicKey) })
    .onConflictDoNothing()
    .returning({ kid: signingKeys.kid });
  const [current] = await conn.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
  if (current?.kid !== k.kid) throw mismatch(current?.kid ?? "?", k.kid);
  // Remembered only once the row was there before: an insert may still be rolled back.
  if (!inserted.length) recorded = k.kid;
}

export interface Rotation {
  /** The key retired, or null when none was recorded. */
  from: string | null;
  to: string;
  changed: boolean;
  /** Certificates signed by a key whose public key is not recorded (they will not verify). */
  unverifiable: number;
}

/**
 * `npm run key:rotate`: makes the configured key the current one. The key it replaces is
 * kept, endorsed by the new key, so certificates it signed keep verifying. Bringing back
 * an earlier key works the same way.
 */
export async function rotateSigningKey(): Promise<Rotation> {
  const k = keys();
  const pem = spkiPem(k.publicKey);
  const result = await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ kid: signingKeys.kid, publicKey: signingKeys.publicKey })
      .from(signingKeys)
      .where(isNull(signingKeys.retiredAt))
      .for("update");
    const changed = current?.kid !== k.kid;
    if (current && changed) {
      const endorsement = sign(null, endorsementMessage(current.kid, current.publicKey), k.privateKey);
      await tx
        .update(signingKeys)
        .set({ retiredAt: new Date(), successorKid: k.kid, endorsement: endorsement.toString("base64url") })
        .where(eq(signingKeys.kid, current.kid));
    }
    if (changed) {
      await tx
        .insert(signingKeys)
        .values({ kid: k.kid, publicKey: pem })
        .onConflictDoUpdate({
          target: signingKeys.kid,
          set: { retiredAt: null, successorKid: null, endorsement: null },
        });
    }
    const known = (await tx.select({ kid: signingKeys.kid }).from(signingKeys)).map((r) => r.kid);
    const [{ n }] = await tx
      .select({ n: count() })
      .from(certificates)
      .where(notInArray(sql`${certificates.payload}->>'kid'`, known));
    return { from: current?.kid ?? null, to: k.kid, changed, unverifiable: n };
  });
  recorded = undefined;
  await loadSigningKeys();
  return result;
}

// ---------------------------------------------------------------- publishing and checking

/** A public key as a JWK (OKP, Ed25519) with its kid, for /verifikasi/kunci. */
function jwkOf(publicKey: KeyObject, kid: string) {
  const jwk = publicKey.export({ format: "jwk" }) as { kty: string; crv: string; x: string };
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: "EdDSA", use: "sig" };
}

/** The current public key as a JWK. */
export function publicJwk(): { kty: string; crv: string; x: string; kid: string; alg: string; use: string } {
  return jwkOf(keys().publicKey, keys().kid);
}

/** Every verification key as a JWK, the current one first (the JWKS at /verifikasi/kunci). */
export function publicJwks() {
  return verificationKeys().map((k) => jwkOf(k.publicKey, k.kid));
}

/** A public key (SPKI PEM), e.g. for an offline verifier: the current one, or an earlier one by kid. */
export function publicKeyPem(kid?: string): string | null {
  const key = kid ? publicKeyFor(kid) : keys().publicKey;
  return key ? spkiPem(key) : null;
}

/** Sorted-key JSON: the same bytes for the same fields, whatever their order in the row. */
export function canonicalPayload(payload: Record<string, string>): Buffer {
  const sorted = Object.keys(payload)
    .sort()
    .map((k) => [k, String(payload[k])]);
  return Buffer.from(JSON.stringify(sorted), "utf8");
}

export function signPayload(payload: Record<string, string>): string {
  return sign(null, canonicalPayload(payload), keys().privateKey).toString("base64url");
}

const SIGNATURE_RE = /^[A-Za-z0-9_-]{86}$/;

/** True when `signature` (base64url) is a signature over `payload` by the key its kid names (current or trusted earlier). */
export function verifyPayload(payload: Record<string, string>, signature: string | null | undefined): boolean {
  if (!signature || !SIGNATURE_RE.test(signature)) return false;
  const key = publicKeyFor(payload.kid);
  if (!key) return false;
  try {
    return verify(null, canonicalPayload(payload), key, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

export function verificationUrl(origin: string, code: string, signature: string): string {
  return `${origin}/verifikasi/${code}?s=${signature}`;
}
