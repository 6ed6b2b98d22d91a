/**
 * Accounts and sessions: lucia v3 sessions in the database, argon2id passwords,
 * login by phone or email with rate limiting, and the guards every loader uses.
 */
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { hash, verify } from "@node-rs/argon2";
import { createHmac } from "node:crypto";
import { redirect } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session } from "lucia";
import { z } from "zod";
import { audit } from "~/audit.server";
import { db, dbReady, prepared } from "~/db.server";
import { sessions, users, type Role } from "~/db/schema";
import { env } from "~/env.server";
import { assertSameOrigin, forbidden } from "~/lib/http";
import { normalizePhone } from "~/lib/phone";
import { isWithinScope } from "~/lib/region";
import { hitRateLimit, peekRateLimit, resetRateLimit, rowsOf } from "~/rate-limit.server";

export interface SessionUser {
  id: string;
  name: string;
  phone: string;
  role: Role;
  scopeCode: string;
  posyanduId: number | null;
  active: boolean;
}

interface DatabaseUserAttributes {
  name: string;
  phone: string;
  role: Role;
  scopeCode: string;
  posyanduId: number | null;
  active: boolean;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: DatabaseUserAttributes;
  }
}

export const SESSION_COOKIE = "ap_sesi";

/**
 * lucia's drizzle adapter, with the one query of every request (session + user) written
 * out: only the columns the app uses, one round trip.
 */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await sessionLookup().execute({ id: sessionId });
    if (!row) return [null, null];
    return [
      { id: row.id, userId: row.userId, expiresAt: new Date(row.expiresAt), attributes: {} },
      { id: row.userId, attributes: { name: row.name, phone: row.phone, role: row.role, scopeCode: row.scopeCode, posyanduId: row.posyanduId, active: row.active } },
    ];
  }
}

/** The session lookup, built and prepared once per database client (every request runs it). */
function sessionLookup() {
  return prepared("session_and_user", (d) =>
    d
      .select({
        id: sessions.id,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        name: users.name,
        phone: users.phone,
        role: users.role,
        scopeCode: users.scopeCode,
        posyanduId: users.posyanduId,
        active: users.active,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql.placeholder("id")))
      .prepare("session_and_user"),
  );
}

function createLucia() {
  return new Lucia(new SessionAdapter(db as never, sessions, users), {
    // Sliding expiry in the database; the cookie itself has no Max-Age, so the
    // browser never drops a session the server still considers valid.
    sessionExpiresIn: new TimeSpan(14, "d"),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: false,
      attributes: { secure: env().NODE_ENV === "production", sameSite: "lax" },
    },
    getUserAttributes: (a) => ({
      name: a.name,
      phone: a.phone,
      role: a.role,
      scopeCode: a.scopeCode,
      posyanduId: a.posyanduId,
      active: a.active,
    }),
  });
}

let luciaInstance: ReturnType<typeof createLucia> | undefined;
export function lucia() {
  luciaInstance ??= createLucia();
  return luciaInstance;
}

// ---------------------------------------------------------------- passwords

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** Compared against when the account does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;

export const passwordSchema = z
  .string({ error: "Kata sandi wajib diisi." })
  .min(8, "Kata sandi minimal 8 karakter.")
  .max(128, "Kata sandi terlalu panjang (maksimal 128 karakter).");

// ---------------------------------------------------------------- login

export const loginSchema = z.object({
  login: z
    .string({ error: "Isi nomor HP atau email." })
    .trim()
    .min(1, "Isi nomor HP atau email.")
    .max(254, "Nomor HP atau email terlalu panjang.")
    .refine((v) => v.includes("@") || normalizePhone(v) !== null, {
      message: "Nomor HP tidak valid. Contoh: 0812 3456 7890.",
    }),
  password: z.string({ error: "Isi kata sandi." }).min(1, "Isi kata sandi.").max(128, "Kata sandi terlalu panjang."),
  redirectTo: z.string().optional(),
});

export const LOGIN_LIMITS = {
  /** Failed attempts per account before it is held for the window. */
  perAccount: 5,
  /**
   * Failed attempts per client address. Only failures count: a whole training venue
   * (or a mobile carrier's shared address) logs in from one address on the day.
   */
  perIp: 50,
  windowSeconds: 15 * 60,
};

export type LoginResult =
  | { ok: true; userId: string; cookie: string }
  | { ok: false; status: 400 | 403 | 429; message: string };

const GENERIC_FAILURE = "Nomor HP/email atau kata sandi salah.";

function ipKey(ip: string): string {
  // Keyed hash: the table never holds raw client addresses.
  return "login:ip:" + createHmac("sha256", env().SESSION_SECRET).update(ip).digest("hex").slice(0, 32);
}

export function loginIdentifier(login: string): string {
  return login.includes("@") ? login.trim().toLowerCase() : (normalizePhone(login) ?? login.trim());
}

export async function login(input: { login: string; password: string }, clientIp: string): Promise<LoginResult> {
  await dbReady();
  const identifier = loginIdentifier(input.login);
  const accountKey = "login:acct:" + identifier;
  const minutes = (s: number) => Math.max(1, Math.ceil(s / 60));

  const ipState = await peekRateLimit(ipKey(clientIp), LOGIN_LIMITS.windowSeconds);
  if (ipState.count >= LOGIN_LIMITS.perIp) {
    return {
      ok: false,
      status: 429,
      message: `Terlalu banyak percobaan masuk dari perangkat/jaringan ini. Coba lagi dalam ${minutes(ipState.retryAfterSeconds)} menit.`,
    };
  }
  const acctState = await peekRateLimit(accountKey, LOGIN_LIMITS.windowSeconds);
  if (acctState.count >= LOGIN_LIMITS.perAccount) {
    return {
      ok: false,
      status: 429,
      message: `Terlalu banyak percobaan yang salah untuk akun ini. Coba lagi dalam ${minutes(acctState.retryAfterSeconds)} menit.`,
    };
  }

  const column = identifier.includes("@") ? users.email : users.phone;
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(column, identifier))
    .limit(1);

  dummyHash ??= hashPassword("akademi-posyandu-dummy-password");
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyHash, input.password), false);

  if (!user || !valid) {
    await hitRateLimit(accountKey, LOGIN_LIMITS.windowSeconds);
    await hitRateLimit(ipKey(clientIp), LOGIN_LIMITS.windowSeconds);
    return { ok: false, status: 400, message: GENERIC_FAILURE };
  }
  if (!user.active) {
    return { ok: false, status: 403, message: "Akun Anda dinonaktifkan. Hubungi Tim Pembina atau DPMD di daerah Anda." };
  }
  await resetRateLimit(accountKey);
  const session = await lucia().createSession(user.id, {});
  return { ok: true, userId: user.id, cookie: lucia().createSessionCookie(session.id).serialize() };
}

export async function logout(request: Request): Promise<string> {
  const sessionId = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (sessionId) await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

/**
 * Changes the password after checking the current one; every other session of the
 * user ends and a fresh session replaces the current one (rotation).
 */
export async function changePassword(
  userId: string,
  current: string,
  next: string,
): Promise<{ ok: true; cookie: string } | { ok: false; field: "current"; message: string }> {
  const [row] = await db.select({ passwordHash: users.passwordHash, scopeCode: users.scopeCode }).from(users).where(eq(users.id, userId));
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) {
    return { ok: false, field: "current", message: "Kata sandi saat ini salah." };
  }
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, userId));
    await audit({ actorId: userId, action: "password.change", entity: "user", entityId: userId, regionCode: row.scopeCode }, tx);
  });
  await lucia().invalidateUserSessions(userId);
  const session = await lucia().createSession(userId, {});
  return { ok: true, cookie: lucia().createSessionCookie(session.id).serialize() };
}

// ---------------------------------------------------------------- guards

type SessionResult = { user: SessionUser; session: Session } | null;

/**
 * Lookups of the same session that are in flight at the same moment share one query
 * (the root and route loaders of one page run in parallel). Nothing is kept once the
 * lookup has finished, so a logout or deactivation is seen by the next request.
 */
const inFlight = new Map<string, Promise<SessionResult>>();

export function getSession(request: Request): Promise<SessionResult> {
  const sessionId = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return Promise.resolve(null);
  let pending = inFlight.get(sessionId);
  if (!pending) {
    pending = lookupSession(sessionId).finally(() => inFlight.delete(sessionId));
    inFlight.set(sessionId, pending);
  }
  return pending;
}

async function lookupSession(sessionId: string): Promise<SessionResult> {
  await dbReady();
  const { session, user } = await lucia().validateSession(sessionId);
  if (!session || !user) return null;
  if (!user.active) {
    await lucia().invalidateUserSessions(user.id);
    return null;
  }
  return { session, user: user as SessionUser };
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

/** The signed-in user, or a redirect to /masuk. Mutating requests must be same-origin. */
export async function requireUser(request: Request): Promise<SessionUser> {
  assertSameOrigin(request);
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/masuk" : `/masuk?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw forbidden("Peran Anda tidak berhak membuka halaman ini.");
  return user;
}

/** Throws 403 unless the region code is inside the user's scope. */
export function requireScope(user: Pick<SessionUser, "scopeCode">, regionCode: string): void {
  if (!isWithinScope(regionCode, user.scopeCode)) {
    throw forbidden("Data ini berada di luar wilayah tugas Anda.");
  }
}

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getUser(request)) throw redirect("/");
}
