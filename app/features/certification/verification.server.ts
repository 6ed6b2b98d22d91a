/**
 * Public certificate verification (/verifikasi/:code, no login). Rate limited per
 * client address; every check is written to verification_log with a keyed hash of the
 * address (never the address itself). Shows only what is printed on the certificate:
 * name, programme, dates and issuer.
 */
import { createHmac } from "node:crypto";
import { db, onReplica } from "~/db.server";
import { verificationLog } from "~/db/schema";
import { env } from "~/env.server";
import { verifyPayload } from "~/features/certification/signing.server";
import { findCertificate, stateOf, type CertificateRecord } from "~/features/certification/certificates.server";
import { parseCertificateCode } from "~/features/certification/code";
import { tanggalWita } from "~/lib/timezone";
import { hitRateLimit } from "~/rate-limit.server";
import { checkToken } from "~/features/certification/open-badge.server";
import { ruleCriteria } from "~/features/certification/rule-text";
import { getProgramme } from "~/features/catalogue/content.server";

export const VERIFY_LIMITS = { perIp: 60, windowSeconds: 10 * 60 };

export type VerificationState =
  | "berlaku"
  | "kedaluwarsa"
  | "dicabut"
  | "tidak_ditemukan"
  | "tanda_tangan_salah"
  | "format_salah";

export interface VerifiedCertificate {
  code: string;
  name: string;
  programme: string;
  issued: string;
  expires: string;
  issuer: string;
  /** What the certificate attests: the programme's rule (rule-text.ts), null for a programme no longer defined. */
  criteria: string | null;
}

export type Verification =
  | { state: "berlaku" | "kedaluwarsa"; code: string; certificate: VerifiedCertificate; signatureChecked: boolean }
  | {
      state: "dicabut";
      code: string;
      certificate: VerifiedCertificate;
      revokedAt: string;
      reason: string;
      signatureChecked: boolean;
    }
  | { state: "tidak_ditemukan"; code: string }
  | { state: "tanda_tangan_salah"; code: string }
  | { state: "format_salah"; code: string; reason: "format" | "check" };

function keyedHash(label: string, ip: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(`${label}\0${ip}`).digest("hex").slice(0, 32);
}

export function clientHash(ip: string): string {
  return keyedHash("verifikasi-log", ip);
}

export class RateLimited extends Error {
  constructor(public retryAfterSeconds: number) {
    super("rate limited");
  }
}

/** The row's own signature and the columns that matter must agree with the signed payload. */
function rowIsAuthentic(c: CertificateRecord): boolean {
  const p = c.payload;
  return (
    p.code === c.code &&
    p.expires === c.expiresAt.toISOString() &&
    p.issued === c.issuedAt.toISOString() &&
    p.programmeId === c.programmeId &&
    verifyPayload(p, c.signature)
  );
}

/** Normalises the code, but does not check anything yet: null = keep the URL as it is. */
export function canonicalPath(rawCode: string, signature: string | null): string | null {
  const parsed = parseCertificateCode(rawCode);
  if (!parsed.ok || parsed.code === rawCode) return null;
  return `/verifikasi/${parsed.code}${signature !== null ? `?s=${encodeURIComponent(signature)}` : ""}`;
}

/**
 * Checks a code (and the signature from the QR, when given). Throws RateLimited when
 * this client address has checked too often.
 */
export async function verify(
  rawCode: string,
  signature: string | null,
  clientIp: string,
  now = new Date(),
  /** The request, when the certificate may be read from the replica (see onReplica). */
  request?: Request,
): Promise<Verification> {
  const rate = await hitRateLimit(`verify:ip:${keyedHash("verifikasi-batas", clientIp)}`, VERIFY_LIMITS.windowSeconds);
  if (rate.count > VERIFY_LIMITS.perIp) throw new RateLimited(rate.retryAfterSeconds);

  const result = request
    ? await onReplica(request, () => check(rawCode, signature, now))
    : await check(rawCode, signature, now);
  // What was typed is logged, without control characters (PostgreSQL stores no NUL byte).
  const logged = result.code.replace(/[\u0000-\u001F\u007F]/g, "").slice(0, 40);
  await db.insert(verificationLog).values({ code: logged, result: result.state, clientHash: clientHash(clientIp) });
  return result;
}

async function check(rawCode: string, signature: string | null, now: Date): Promise<Verification> {
  const parsed = parseCertificateCode(rawCode);
  if (!parsed.ok) return { state: "format_salah", code: rawCode.slice(0, 40), reason: parsed.reason };
  const cert = await findCertificate(parsed.code);
  if (!cert) return { state: "tidak_ditemukan", code: parsed.code };
  // A row altered in the database, or a QR whose signature was changed, is not trusted.
  if (!rowIsAuthentic(cert)) return { state: "tanda_tangan_salah", code: cert.code };
  if (signature !== null && !verifyPayload(cert.payload, signature))
    return { state: "tanda_tangan_salah", code: cert.code };
  return describe(cert, now, signature !== null);
}

/** "membaca 12 modul wajib …" for a programme id, from content/programme.yaml. */
function criteriaOf(programmeId: string): string | null {
  const p = getProgramme(programmeId);
  return p ? ruleCriteria(p) : null;
}

function describe(cert: CertificateRecord, now: Date, signatureChecked: boolean, tokenExpired = false): Verification {
  const certificate: VerifiedCertificate = {
    code: cert.code,
    name: cert.payload.name,
    programme: cert.payload.programme,
    issued: tanggalWita(cert.issuedAt),
    expires: tanggalWita(cert.expiresAt),
    issuer: cert.payload.issuer,
    criteria: criteriaOf(cert.payload.programmeId),
  };
  const stored = stateOf(cert, now);
  // A credential file past its own expiry says Kedaluwarsa even if the record were extended.
  const state = stored === "berlaku" && tokenExpired ? "kedaluwarsa" : stored;
  if (state === "dicabut") {
    return {
      state,
      code: cert.code,
      certificate,
      revokedAt: tanggalWita(cert.revokedAt!),
      reason: cert.revokedReason ?? "",
      signatureChecked,
    };
  }
  return { state, code: cert.code, certificate, signatureChecked };
}

/**
 * Checks an Open Badges 3.0 credential (VC-JWT, pasted or uploaded): our signature
 * first, then our record of the certificate it names. Rate limited and logged like a code.
 */
export async function verifyCredential(raw: string, clientIp: string, now = new Date()): Promise<Verification> {
  const rate = await hitRateLimit(`verify:ip:${keyedHash("verifikasi-batas", clientIp)}`, VERIFY_LIMITS.windowSeconds);
  if (rate.count > VERIFY_LIMITS.perIp) throw new RateLimited(rate.retryAfterSeconds);
  const result = await checkCredential(raw, now);
  await db
    .insert(verificationLog)
    .values({ code: result.code.slice(0, 40), result: result.state, clientHash: clientHash(clientIp) });
  return result;
}

async function checkCredential(raw: string, now: Date): Promise<Verification> {
  const token = await checkToken(raw, now);
  if (!token.ok)
    return token.reason === "signature"
      ? { state: "tanda_tangan_salah", code: "kredensial" }
      : { state: "format_salah", code: "kredensial", reason: "format" };
  const cert = await findCertificate(token.code);
  if (!cert) return { state: "tidak_ditemukan", code: token.code };
  if (!rowIsAuthentic(cert)) return { state: "tanda_tangan_salah", code: cert.code };
  // A good signature over content that differs from our record (e.g. an older key's credential for another person) is not trusted.
  const vc = token.payload as {
    validFrom?: unknown;
    validUntil?: unknown;
    credentialSubject?: { identifier?: { identityHash?: unknown }[] };
  };
  if (
    vc.validFrom !== cert.payload.issued ||
    vc.validUntil !== cert.payload.expires ||
    vc.credentialSubject?.identifier?.[0]?.identityHash !== cert.payload.name
  ) {
    return { state: "tanda_tangan_salah", code: cert.code };
  }
  return describe(cert, now, true, token.expired);
}
