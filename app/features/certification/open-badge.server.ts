/**
 * Open Badges 3.0: each certificate as an OpenBadgeCredential (W3C Verifiable
 * Credential, data model 2.0) secured as a VC-JWT (OB 3.0 §8.2): the JWT payload is the
 * credential itself, with iss / sub / jti / nbf / exp mirrored from it, signed EdDSA
 * with the certificate key (jose). The public key is published at /verifikasi/kunci
 * (JWKS) and carried in the JOSE header, so a third party can verify offline.
 *
 * /verifikasi checks a token against that key and then against our records, and answers
 * with the same states as a code: Berlaku, Kedaluwarsa, Dicabut, Tidak ditemukan, Tanda
 * tangan tidak valid.
 */
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { publicJwk, publicJwks, publicKeyFor, signingKeyPair } from "~/features/certification/signing.server";
import type { CertificateRecord } from "~/features/certification/certificates.server";
import { getProgramme } from "~/features/catalogue/content.server";
import { ruleCriteria } from "~/features/certification/rule-text";

export const OB_CONTEXT = [
  "https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];
export const KEY_PATH = "/verifikasi/kunci";

/** The credential (unsigned) for a certificate; everything comes from its signed payload. */
export function openBadgeCredential(cert: Pick<CertificateRecord, "code" | "payload">, origin: string) {
  const p = cert.payload;
  const programme = getProgramme(p.programmeId);
  const practice = p.practice ? p.practice.split(" | ").filter(Boolean) : [];
  // The programme's rule in words (rule-text.ts), as on the PDF and the verification page.
  const criteria = programme ? ruleCriteria(programme) : "menyelesaikan program sertifikasi kader Posyandu";
  const narrative = `${criteria.charAt(0).toUpperCase()}${criteria.slice(1)}.`;
  return {
    "@context": OB_CONTEXT,
    id: `${origin}/verifikasi/${cert.code}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: {
      id: `${origin}/`,
      type: ["Profile"],
      name: `Akademi Posyandu, ${p.issuer}`,
      ...(p.signatoryName ? { description: `Ditandatangani oleh ${p.signatoryName}, ${p.signatoryTitle}` } : {}),
    },
    validFrom: p.issued,
    validUntil: p.expires,
    name: p.programme,
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: p.name }],
      achievement: {
        id: `${origin}/program/${p.programmeId}`,
        type: ["Achievement"],
        achievementType: "Certificate",
        name: p.programme,
        description:
          `${p.peran ? `Sertifikasi ${p.peran}` : "Sertifikasi kader Posyandu"} (Permendagri 13/2024), ${p.posyandu ? `Posyandu ${p.posyandu.replace(/^Posyandu\s+/i, "")}, ` : ""}${p.desa}`.replace(
            /, $/,
            "",
          ),
        criteria: { narrative },
        ...(practice.length ? { tag: practice } : {}),
      },
    },
  };
}

/** The signed VC-JWT of a certificate. */
export async function openBadgeJwt(cert: Pick<CertificateRecord, "code" | "payload">, origin: string): Promise<string> {
  const vc = openBadgeCredential(cert, origin);
  const { privateKey, kid } = signingKeyPair();
  const jwk = publicJwk();
  return new SignJWT(vc as unknown as JWTPayload)
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } })
    .setIssuer(vc.issuer.id)
    .setSubject(vc.id)
    .setJti(vc.id)
    .setNotBefore(Math.floor(new Date(vc.validFrom).getTime() / 1000))
    .setExpirationTime(Math.floor(new Date(vc.validUntil).getTime() / 1000))
    .sign(privateKey);
}

/** The JWKS published at /verifikasi/kunci: the current key and the earlier ones still trusted. */
export function jwks() {
  return { keys: publicJwks() };
}

export type TokenCheck =
  | { ok: true; code: string; payload: JWTPayload; expired: boolean }
  | { ok: false; reason: "format" | "signature" };

const CODE_IN_ID = /\/verifikasi\/(AP-[A-Z0-9]{4}-[A-Z0-9]{4})$/;

/**
 * Checks the signature with our public key, or the earlier one its header names (a token
 * signed by any other key, or with a changed byte, fails) and reads the certificate code from its id. An expired token
 * whose signature is good is reported as expired, not as forged.
 */
export async function checkToken(raw: string, now = new Date()): Promise<TokenCheck> {
  const token = raw.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) || token.length > 20_000)
    return { ok: false, reason: "format" };
  let payload: JWTPayload;
  let expired = false;
  try {
    // The key its header names (a credential downloaded before a key rotation), else the current one.
    const key = (header: { kid?: string }) => publicKeyFor(header.kid) ?? signingKeyPair().publicKey;
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ["EdDSA"],
      currentDate: now,
      clockTolerance: 60,
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) {
      payload = e.payload; // jose authenticates the token before it validates the claims
      expired = true;
    } else if (
      e instanceof errors.JWSSignatureVerificationFailed ||
      e instanceof errors.JWSInvalid ||
      e instanceof errors.JWTInvalid ||
      e instanceof errors.JOSEAlgNotAllowed
    ) {
      return {
        ok: false,
        reason:
          e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JOSEAlgNotAllowed
            ? "signature"
            : "format",
      };
    } else if (e instanceof errors.JOSEError) {
      return { ok: false, reason: "signature" };
    } else {
      return { ok: false, reason: "format" };
    }
  }
  const m = typeof payload.jti === "string" ? CODE_IN_ID.exec(payload.jti) : null;
  if (!m) return { ok: false, reason: "format" };
  return { ok: true, code: m[1], payload, expired };
}
