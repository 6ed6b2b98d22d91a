/**
 * Ed25519 signatures over the certificate payload (node:crypto). The private key comes
 * from the deployment (env CERT_SIGNING_KEY); the signature travels in the QR code's
 * verification URL (?s=…) and is stored with the certificate, so a certificate whose
 * printed QR, or whose database row, was altered is detected.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { env } from "~/env.server";

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
  /** Key id: first 16 hex of sha256 of the public key (for a future key rotation). */
  kid: string;
}

/**
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
    const der = publicKey.export({ format: "der", type: "spki" });
    cached = { pem, privateKey, publicKey, kid: createHash("sha256").update(der).digest("hex").slice(0, 16) };
  }
  return cached;
}

export function signingKeyId(): string {
  return keys().kid;
}

/** The key pair as node KeyObjects (for jose) and its key id. */
export function signingKeyPair(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
  const k = keys();
  return { privateKey: k.privateKey, publicKey: k.publicKey, kid: k.kid };
}

/** The public key as a JWK (OKP, Ed25519) with its kid, for /verifikasi/kunci. */
export function publicJwk(): { kty: string; crv: string; x: string; kid: string; alg: string; use: string } {
  const jwk = keys().publicKey.export({ format: "jwk" }) as { kty: string; crv: string; x: string };
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: keys().kid, alg: "EdDSA", use: "sig" };
}

/** The public key (SPKI PEM), e.g. for an offline verifier. */
export function publicKeyPem(): string {
  return keys().publicKey.export({ format: "pem", type: "spki" }).toString();
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

/** True when `signature` (base64url) is this deployment's signature over `payload`. */
export function verifyPayload(payload: Record<string, string>, signature: string | null | undefined): boolean {
  if (!signature || !SIGNATURE_RE.test(signature)) return false;
  try {
    return verify(null, canonicalPayload(payload), keys().publicKey, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

export function verificationUrl(origin: string, code: string, signature: string): string {
  return `${origin}/verifikasi/${code}?s=${signature}`;
}
