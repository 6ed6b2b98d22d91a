/**
 * First login without email: one-time activation codes.
 *
 * A pembina prints codes for the kader of a posyandu who have no password yet (or resets
 * one account's password, which issues a new code); the kader types phone + code + a new
 * password at /aktivasi. Only an HMAC of the code (keyed with SESSION_SECRET) is stored.
 * Codes are derived from the user id and a nonce of the form that asked for them, so a
 * repeated POST of the same form gives the same codes and changes nothing (idempotent),
 * while a new visit of the page gives fresh codes.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { audit } from "~/audit.server";
import {
  attemptGate,
  deviceCookie,
  devicePass,
  hashPassword,
  lucia,
  newSessionCookie,
  verifyPassword,
  type SessionUser,
} from "~/auth.server";
import { db, dbReady } from "~/db.server";
import { activationCodes, users, type SpmBidang } from "~/db/schema";
import { env } from "~/env.server";
import { codeFromBytes } from "~/features/accounts/activation-code";
import { forbidden } from "~/lib/http";
import { canManageAccount } from "~/lib/roles";
import { getPosyanduInScope } from "~/features/regions/posyandu.server";
import { getUserInScope } from "~/features/accounts/users.server";

export const ACTIVATION_TTL_DAYS = 30;
/** How long a printed form (its nonce) may be submitted. */
const NONCE_TTL_MS = 6 * 60 * 60 * 1000;
/** A used code still logs in the same person with the password they just set (double submit). */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export function newIssueNonce(now = Date.now()): string {
  return `${now.toString(36)}.${randomBytes(12).toString("base64url")}`;
}

export function nonceValid(nonce: unknown, now = Date.now()): nonce is string {
  if (typeof nonce !== "string") return false;
  const m = /^([0-9a-z]{6,12})\.([A-Za-z0-9_-]{16})$/.exec(nonce);
  if (!m) return false;
  const t = parseInt(m[1], 36);
  return t <= now + 60_000 && now - t <= NONCE_TTL_MS;
}

function secret(): string {
  return env().SESSION_SECRET;
}

/** The code for this account and form nonce (unpredictable without the server secret). */
export function deriveCode(userId: string, nonce: string): string {
  for (let i = 0; ; i++) {
    const bytes = createHmac("sha256", secret()).update(`aktivasi-kode:${userId}:${nonce}:${i}`).digest();
    const code = codeFromBytes(bytes);
    if (code) return code;
  }
}

export function hashCode(userId: string, code: string): string {
  return createHmac("sha256", secret()).update(`aktivasi-hash:${userId}:${code}`).digest("hex");
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

function expiry(now: Date): Date {
  return new Date(now.getTime() + ACTIVATION_TTL_DAYS * 24 * 60 * 60 * 1000);
}

// ---------------------------------------------------------------- issuing

export interface PrintedCode {
  userId: string;
  name: string;
  phone: string;
  spmBidang: SpmBidang | null;
  code: string;
}

/** Active kader of the posyandu without a password, and how many already activated. */
export async function activationOverview(actor: SessionUser, posyanduId: number) {
  const p = await getPosyanduInScope(actor, posyanduId);
  const kader = await db
    .select({ id: users.id, name: users.name, activated: sql<boolean>`${users.passwordHash} is not null` })
    .from(users)
    .where(and(eq(users.posyanduId, p.id), eq(users.role, "kader"), eq(users.active, true)))
    .orderBy(asc(users.name));
  return {
    posyandu: p,
    pending: kader.filter((k) => !k.activated).map((k) => k.name),
    activated: kader.filter((k) => k.activated).length,
  };
}

/**
 * Fresh codes for every active kader of the posyandu who has no password yet. The same
 * nonce gives the same codes and writes nothing new (one audit entry per real issue).
 */
export async function issueCodesForPosyandu(actor: SessionUser, posyanduId: number, nonce: string, now = new Date()) {
  const p = await getPosyanduInScope(actor, posyanduId);
  const kader = (
    await db
      .select({
        id: users.id,
        name: users.name,
        phone: users.phone,
        spmBidang: users.spmBidang,
        role: users.role,
        scopeCode: users.scopeCode,
      })
      .from(users)
      .where(
        and(eq(users.posyanduId, p.id), eq(users.role, "kader"), eq(users.active, true), isNull(users.passwordHash)),
      )
      .orderBy(asc(users.name), asc(users.id))
  ).filter((k) => canManageAccount(actor, k));
  const codes: PrintedCode[] = kader.map((k) => ({
    userId: k.id,
    name: k.name,
    phone: k.phone,
    spmBidang: k.spmBidang,
    code: deriveCode(k.id, nonce),
  }));
  let expiresAt = expiry(now);
  if (codes.length) {
    await db.transaction(async (tx) => {
      const changed = await tx
        .insert(activationCodes)
        .values(
          codes.map((c) => ({
            userId: c.userId,
            codeHash: hashCode(c.userId, c.code),
            createdBy: actor.id,
            createdAt: now,
            expiresAt,
          })),
        )
        .onConflictDoUpdate({
          target: activationCodes.userId,
          set: {
            codeHash: sql`excluded.code_hash`,
            createdBy: sql`excluded.created_by`,
            createdAt: sql`excluded.created_at`,
            expiresAt: sql`excluded.expires_at`,
            usedAt: sql`null`,
          },
          setWhere: sql`"activation_codes"."code_hash" <> excluded.code_hash`,
        })
        .returning({ userId: activationCodes.userId });
      if (changed.length) {
        await audit(
          {
            actorId: actor.id,
            action: "activation.issue",
            entity: "posyandu",
            entityId: p.id,
            regionCode: p.desaCode,
            detail: { count: changed.length, userIds: changed.map((c) => c.userId) },
          },
          tx,
        );
      }
      const [stored] = await tx
        .select({ expiresAt: sql<Date>`min(${activationCodes.expiresAt})` })
        .from(activationCodes)
        .where(
          inArray(
            activationCodes.userId,
            codes.map((c) => c.userId),
          ),
        );
      if (stored?.expiresAt) expiresAt = new Date(stored.expiresAt);
    });
  }
  return { posyandu: p, codes, expiresAt };
}

export type ResetResult = { ok: true; code: string; expiresAt: Date } | { ok: false; message: string };

/**
 * "Reset password": the old password and every session end, and a new activation code is
 * issued for the owner to set a new password at /aktivasi.
 */
export async function resetPassword(
  actor: SessionUser,
  userId: string,
  nonce: string,
  now = new Date(),
): Promise<ResetResult> {
  const target = await getUserInScope(actor, userId);
  if (target.id === actor.id) throw forbidden("Ganti kata sandi Anda sendiri lewat halaman Akun.");
  if (!canManageAccount(actor, target)) throw forbidden("Anda tidak berhak mengatur ulang kata sandi akun ini.");
  const code = deriveCode(target.id, nonce);
  const codeHash = hashCode(target.id, code);
  const [existing] = await db.select().from(activationCodes).where(eq(activationCodes.userId, target.id));
  if (existing && existing.codeHash === codeHash) {
    if (existing.usedAt)
      return {
        ok: false,
        message: "Kode dari permintaan ini sudah dipakai pemilik akun. Muat ulang halaman untuk membuat kode baru.",
      };
    return { ok: true, code, expiresAt: existing.expiresAt };
  }
  const expiresAt = expiry(now);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash: null, passwordChangedAt: now }).where(eq(users.id, target.id));
    await tx
      .insert(activationCodes)
      .values({ userId: target.id, codeHash, createdBy: actor.id, createdAt: now, expiresAt })
      .onConflictDoUpdate({
        target: activationCodes.userId,
        set: { codeHash, createdBy: actor.id, createdAt: now, expiresAt, usedAt: null },
      });
    await audit(
      {
        actorId: actor.id,
        action: "password.reset",
        entity: "user",
        entityId: target.id,
        regionCode: target.scopeCode,
        detail: { expiresAt: expiresAt.toISOString() },
      },
      tx,
    );
  });
  await lucia().invalidateUserSessions(target.id);
  return { ok: true, code, expiresAt };
}

/** For the account page: activated or not, and the pending code's expiry. */
export async function activationState(userId: string) {
  const [row] = await db
    .select({
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      expiresAt: activationCodes.expiresAt,
      usedAt: activationCodes.usedAt,
    })
    .from(users)
    .leftJoin(activationCodes, eq(activationCodes.userId, users.id))
    .where(eq(users.id, userId));
  if (!row) return null;
  return {
    activated: row.hasPassword,
    pendingUntil: !row.hasPassword && row.expiresAt && !row.usedAt ? row.expiresAt : null,
  };
}

// ---------------------------------------------------------------- redeeming

export type ActivationResult =
  | { ok: true; userId: string; cookie: string; deviceCookie: string }
  | { ok: false; status: 400 | 403 | 429; message: string };

const GENERIC_FAILURE = "Nomor HP atau kode aktivasi salah.";

/**
 * Exchanges phone + code for a password of the kader's own, then logs in (and this browser
 * is remembered for the account: the device cookie). Rate-limited like login (README,
 * "Batas percobaan masuk"), with its own counters; the account's counter belongs to the
 * code in force, so a fresh code from the pembina is not held by a stranger's guesses at
 * an older one.
 */
export async function activateAccount(
  input: { phone: string; code: string; password: string },
  clientIp: string,
  cookieHeader: string | null = null,
  now = new Date(),
): Promise<ActivationResult> {
  await dbReady();
  const [row] = await db
    .select({
      id: users.id,
      active: users.active,
      role: users.role,
      scopeCode: users.scopeCode,
      passwordHash: users.passwordHash,
      codeHash: activationCodes.codeHash,
      issuedAt: activationCodes.createdAt,
      expiresAt: activationCodes.expiresAt,
      usedAt: activationCodes.usedAt,
    })
    .from(users)
    .leftJoin(activationCodes, eq(activationCodes.userId, users.id))
    .where(eq(users.phone, input.phone))
    .limit(1);
  const gate = attemptGate(
    "aktivasi",
    `${input.phone}:${row?.issuedAt?.getTime() ?? "-"}`,
    clientIp,
    row ? devicePass(cookieHeader, row.id) : null,
  );
  const admitted = await gate.admit();
  if (!admitted.ok) return admitted;
  const codeHash = row ? hashCode(row.id, input.code) : hashCode("-", input.code);
  if (!row?.codeHash || !sameHash(row.codeHash, codeHash)) {
    return { ok: false, status: 400, message: GENERIC_FAILURE };
  }
  if (!row.active) {
    return {
      ok: false,
      status: 403,
      message: "Akun Anda dinonaktifkan. Hubungi Tim Pembina atau DPMD di daerah Anda.",
    };
  }
  const login = async (): Promise<ActivationResult> => {
    await gate.succeeded();
    return {
      ok: true,
      userId: row.id,
      cookie: await newSessionCookie(row.id, row.role),
      deviceCookie: deviceCookie(cookieHeader, row.id),
    };
  };
  const alreadyUsed = async (usedAt: Date | null): Promise<ActivationResult> => {
    // The same form sent twice: the person who just set this password is let in again.
    const [fresh] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, row.id));
    if (
      usedAt &&
      now.getTime() - usedAt.getTime() < REPEAT_WINDOW_MS &&
      fresh?.passwordHash &&
      (await verifyPassword(fresh.passwordHash, input.password))
    ) {
      return login();
    }
    return {
      ok: false,
      status: 400,
      message:
        "Kode aktivasi ini sudah dipakai. Masuk dengan nomor HP dan kata sandi Anda, atau minta kode baru kepada Tim Pembina.",
    };
  };
  if (row.usedAt) return alreadyUsed(row.usedAt);
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return {
      ok: false,
      status: 400,
      message: "Kode aktivasi sudah kedaluwarsa. Minta kode baru kepada Tim Pembina Posyandu.",
    };
  }
  const passwordHash = await hashPassword(input.password);
  const done = await db.transaction(async (tx) => {
    const used = await tx
      .update(activationCodes)
      .set({ usedAt: now })
      .where(
        and(eq(activationCodes.userId, row.id), isNull(activationCodes.usedAt), eq(activationCodes.codeHash, codeHash)),
      )
      .returning({ userId: activationCodes.userId });
    if (!used.length) return false;
    await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, row.id));
    await audit(
      { actorId: row.id, action: "user.activate", entity: "user", entityId: row.id, regionCode: row.scopeCode },
      tx,
    );
    return true;
  });
  if (!done) return alreadyUsed(now);
  await lucia().invalidateUserSessions(row.id);
  return login();
}
