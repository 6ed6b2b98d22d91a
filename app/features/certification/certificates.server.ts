/**
 * Certificates for the pages: a kader's own, downloads with access checks, the lists
 * of DPMD / Tim Pembina (scoped by the kader's current region), and revocation.
 */
import { and, asc, count, desc, eq, gt, ilike, isNull, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { requireScope } from "~/auth.server";
import type { CertificatePayload } from "~/features/certification/signing.server";
import { certColumns, type CertificateRow, kaderInputsChanged } from "~/features/certification/evaluate.server";
import { db } from "~/db.server";
import { certificates, posyandu, users } from "~/db/schema";
import { isCanonicalCode, parseCertificateCode } from "~/features/certification/code";
import { notFound } from "~/lib/http";
import { withinScope } from "~/db/scope";
import { rolesFor } from "~/lib/permissions";

export type CertificateState = "berlaku" | "kedaluwarsa" | "dicabut";

export function stateOf(c: { expiresAt: Date; revokedAt: Date | null }, now = new Date()): CertificateState {
  if (c.revokedAt) return "dicabut";
  return c.expiresAt.getTime() > now.getTime() ? "berlaku" : "kedaluwarsa";
}

export const STATE_LABEL: Record<CertificateState, string> = {
  berlaku: "Berlaku",
  kedaluwarsa: "Kedaluwarsa",
  dicabut: "Dicabut",
};

/** Staff roles that see certificate lists and details in their scope. */
export const CERTIFICATE_VIEWERS = rolesFor("certificates-view");
/** Roles that may revoke, with a reason (docs/ARCHITECTURE.md, "Where each rule lives"). */
export const CERTIFICATE_REVOKERS = rolesFor("certificates-revoke");

/** A certificate row (as the rule reads it) with what the pages and the PDF need. */
export interface CertificateRecord extends CertificateRow {
  revokedByName: string | null;
  payload: CertificatePayload;
  /** The kader's current region: what scope checks use. */
  kaderScope: string;
  kaderName: string;
  kaderPhone: string;
  /** The signatory's logo at issue (data: URL), if any. */
  signatoryLogo: string | null;
}

const revoker = sql<string | null>`(select u2.name from users u2 where u2.id = ${certificates.revokedBy})`;

async function byCode(code: string): Promise<CertificateRecord | undefined> {
  const [row] = await db
    .select({
      ...certColumns,
      revokedByName: revoker,
      payload: certificates.payload,
      signatoryLogo: certificates.signatoryLogo,
      kaderScope: users.scopeCode,
      kaderName: users.name,
      kaderPhone: users.phone,
    })
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .where(eq(certificates.code, code));
  return row ? { ...row, payload: row.payload as CertificatePayload } : undefined;
}

/** The certificate row for public verification (no access check). */
export function findCertificate(code: string): Promise<CertificateRecord | undefined> {
  return byCode(code);
}

/**
 * "<code>.pdf" → the certificate, if this user may download it: the kader who owns it,
 * or staff whose scope contains the kader. Another kader gets 404 (no hint that the
 * code exists), staff outside their scope 403, a revoked certificate 410.
 */
export async function certificateForDownload(user: SessionUser, code: string | undefined): Promise<CertificateRecord> {
  const m = /^(AP-[A-Z0-9]{4}-[A-Z0-9]{4})$/.exec(code ?? "");
  if (!m || !isCanonicalCode(m[1])) throw notFound("Sertifikat tidak ditemukan.");
  const cert = await byCode(m[1]);
  if (!cert) throw notFound("Sertifikat tidak ditemukan.");
  if (user.role === "kader") {
    if (cert.userId !== user.id) throw notFound("Sertifikat tidak ditemukan.");
  } else {
    requireScope(user, cert.kaderScope);
  }
  if (cert.revokedAt) {
    throw new Response("Sertifikat ini sudah dicabut dan tidak dapat diunduh lagi.", {
      status: 410,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return cert;
}

/** A certificate for a staff page: 404 unknown or malformed, 403 outside the scope. */
export async function certificateInScope(
  user: Pick<SessionUser, "scopeCode">,
  rawCode: string | undefined,
): Promise<CertificateRecord> {
  const parsed = parseCertificateCode(rawCode);
  if (!parsed.ok) throw notFound("Sertifikat tidak ditemukan.");
  const cert = await byCode(parsed.code);
  if (!cert) throw notFound("Sertifikat tidak ditemukan.");
  requireScope(user, cert.kaderScope);
  return cert;
}

// ---------------------------------------------------------------- lists

export interface CertificateListItem {
  code: string;
  name: string;
  posyandu: string | null;
  scopeCode: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  cycle: number;
}

const listColumns = {
  code: certificates.code,
  name: users.name,
  posyandu: posyandu.name,
  scopeCode: users.scopeCode,
  issuedAt: certificates.issuedAt,
  expiresAt: certificates.expiresAt,
  revokedAt: certificates.revokedAt,
  cycle: certificates.cycle,
};

function listQuery(where: SQL | undefined) {
  return db
    .select(listColumns)
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .leftJoin(posyandu, eq(posyandu.id, users.posyanduId))
    .where(where);
}

export const EXPIRY_WINDOW_DAYS = 60;

/**
 * Valid certificates in the scope expiring within `days`, soonest first, and those that
 * expired in the last `days` without a newer certificate yet (to follow up).
 */
export async function expiringInScope(scope: string, now = new Date(), days = EXPIRY_WINDOW_DAYS, limit = 500) {
  const horizon = new Date(now.getTime() + days * 86_400_000);
  const since = new Date(now.getTime() - days * 86_400_000);
  const inScope = withinScope(users.scopeCode, scope);
  const notRenewed = sql`not exists (select 1 from certificates c2 where c2.user_id = ${certificates.userId} and c2.programme_id = ${certificates.programmeId} and c2.cycle > ${certificates.cycle})`;
  const [expiring, expired] = await Promise.all([
    listQuery(
      and(
        inScope,
        isNull(certificates.revokedAt),
        gt(certificates.expiresAt, now),
        lte(certificates.expiresAt, horizon),
      ),
    )
      .orderBy(asc(certificates.expiresAt), asc(certificates.id))
      .limit(limit),
    listQuery(
      and(
        inScope,
        isNull(certificates.revokedAt),
        gt(certificates.expiresAt, since),
        lte(certificates.expiresAt, now),
        notRenewed,
      ),
    )
      .orderBy(desc(certificates.expiresAt), asc(certificates.id))
      .limit(limit),
  ]);
  return { expiring, expired };
}

/** Every certificate in the scope, newest first; `q` matches a code or part of a name. */
export async function listInScope(scope: string, opts: { q?: string; limit: number; offset: number }) {
  const parsed = opts.q ? parseCertificateCode(opts.q) : null;
  const search = opts.q
    ? parsed?.ok
      ? eq(certificates.code, parsed.code)
      : ilike(users.name, `%${opts.q.replace(/[\\%_]/g, (c) => "\\" + c)}%`)
    : undefined;
  const where = and(withinScope(users.scopeCode, scope), search);
  const [items, [{ n }]] = await Promise.all([
    listQuery(where).orderBy(desc(certificates.issuedAt), desc(certificates.id)).limit(opts.limit).offset(opts.offset),
    db.select({ n: count() }).from(certificates).innerJoin(users, eq(users.id, certificates.userId)).where(where),
  ]);
  return { items, total: n };
}

// ---------------------------------------------------------------- revocation

export const revokeSchema = z.object({
  alasan: z
    .string({ error: "Tulis alasan pencabutan." })
    .trim()
    .min(10, "Tulis alasan pencabutan (minimal 10 karakter).")
    .max(500, "Alasan terlalu panjang (maksimal 500 karakter)."),
});

/**
 * Revokes with a reason, audited in the same transaction. Scope is checked first
 * (403, nothing changed). A second submit of the same form changes nothing.
 */
export async function revokeCertificate(
  actor: SessionUser,
  rawCode: string | undefined,
  reason: string,
): Promise<{ changed: boolean; code: string }> {
  const cert = await certificateInScope(actor, rawCode);
  const changed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(certificates)
      .set({ revokedAt: new Date(), revokedReason: reason, revokedBy: actor.id })
      .where(and(eq(certificates.id, cert.id), isNull(certificates.revokedAt)))
      .returning({ id: certificates.id });
    if (!row) return false;
    await kaderInputsChanged(tx, [cert.userId], { certify: false }); // evaluation never re-issues on revocation
    await audit(
      {
        actorId: actor.id,
        action: "certificate.revoke",
        entity: "certificate",
        entityId: cert.code,
        regionCode: cert.kaderScope,
        detail: { reason, userId: cert.userId, programmeId: cert.programmeId, cycle: cert.cycle },
      },
      tx,
    );
    return true;
  });
  return { changed, code: cert.code };
}
