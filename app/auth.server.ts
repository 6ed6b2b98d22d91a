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
import { hitRateLimit, peekRateLimit, resetRateLimit } from "~/rate-limit.server";

export interface SessionUser {
  id: string;
  name: string;
  phone: string;
  role: Role;
  scopeCode: string;
  posyanduId: number | null;
  active: boolean;
}

type DatabaseUserAttributes = Omit<SessionUser, "id">;

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
    // The absolute lifetime: activity slides the expiry, but never past this.
    if (Date.now() - new Date(row.createdAt).getTime() > SESSION_LIFETIME_SECONDS[row.role] * 1000) {
      await db.delete(sessions).where(eq(sessions.id, sessionId));
      return [null, null];
    }
    return [
      { id: row.id, userId: row.userId, expiresAt: new Date(row.expiresAt), attributes: {} },
      {
        id: row.userId,
        attributes: {
          name: row.name,
          phone: row.phone,
          role: row.role,
          scopeCode: row.scopeCode,
          posyanduId: row.posyanduId,
          active: row.active,
        },
      },
    ];
  }
}

/**
 * Absolute session lifetime by role: a kader on their own phone stays signed in for a
 * month; an account that can change other people's data signs in again every day
 * (admin, DPMD: 12 hours) or week (Tim Pembina). Within it, 14 days without a visit
 * also end the session (sliding expiry in the database). The cookie's Max-Age is the
 * absolute lifetime.
 */
export const SESSION_LIFETIME_SECONDS: Record<Role, number> = {
  kader: 30 * 86_400,
  pembina_desa: 7 * 86_400,
  pembina_kecamatan: 7 * 86_400,
  pembina_kabupaten: 7 * 86_400,
  dpmd: 12 * 3600,
  admin: 12 * 3600,
};

/** A new session for the user and its Set-Cookie value (Max-Age = the role's absolute lifetime). */
export async function newSessionCookie(userId: string, role: Role): Promise<string> {
  const session = await lucia().createSession(userId, {});
  const cookie = lucia().createSessionCookie(session.id);
  cookie.attributes.maxAge = SESSION_LIFETIME_SECONDS[role];
  return cookie.serialize();
}

/** The session lookup, built and prepared once per database client (every request runs it). */
function sessionLookup() {
  return prepared("session_and_user", (d) =>
    d
      .select({
        id: sessions.id,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        createdAt: sessions.createdAt,
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
    // Sliding expiry in the database (14 days without a visit); the absolute lifetime
    // per role is SESSION_LIFETIME_SECONDS, also the cookie's Max-Age (newSessionCookie).
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

/**
 * Login and activation limits. Why these numbers (README, "Batas percobaan masuk"):
 *
 * - Per account: every attempt is counted *before* the password is checked (one atomic
 *   upsert), so 40 parallel guesses at one account get 5 evaluations, not 9; a success
 *   clears the count.
 * - Per client address, failures only, in two steps. A training venue puts a few hundred
 *   kader behind one address; a typo rate of one in three gives ~100 failures in a
 *   morning. So failures never lock a venue out: past `throttleAfter` failures the address
 *   is slowed to `throttledPerMinute` attempts a minute (a venue still logs in, a password
 *   sprayer gets ~12 guesses a minute, each account still only 5 per window), and only
 *   past `blockAfter` failures, far beyond any venue, is it refused for the window.
 */
export const LOGIN_LIMITS = {
  /** Attempts per account per window. */
  perAccount: 5,
  /** Failures from one address before it is slowed down. */
  throttleAfter: 50,
  /** Attempts a minute from a slowed-down address. */
  throttledPerMinute: 12,
  /** Failures from one address before it is refused for the rest of the window. */
  blockAfter: 500,
  windowSeconds: 15 * 60,
};

export type LoginResult =
  | { ok: true; userId: string; cookie: string }
  | { ok: false; status: 400 | 403 | 429; message: string };

const GENERIC_FAILURE = "Nomor HP/email atau kata sandi salah.";

/** Keyed hash: the rate-limit table never holds raw client addresses or identifiers. */
function keyed(kind: string, value: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(`${kind}:${value}`).digest("hex").slice(0, 32);
}

const minutesOf = (s: number) => Math.max(1, Math.ceil(s / 60));

/**
 * One gate for login and activation (`kind` keeps their counters apart). Call `admit`
 * before checking the secret; then `failed` or `succeeded`.
 */
export function attemptGate(kind: "login" | "aktivasi", identifier: string, clientIp: string) {
  const accountKey = `${kind}:acct:${keyed("acct", identifier)}`;
  const ipKey = `${kind}:ip:${keyed("ip", clientIp)}`;
  const slowKey = `${kind}:ipslow:${keyed("ip", clientIp)}`;
  const what = kind === "login" ? "percobaan masuk" : "percobaan aktivasi";
  return {
    async admit(): Promise<{ ok: true } | { ok: false; status: 429; message: string }> {
      const failures = await peekRateLimit(ipKey, LOGIN_LIMITS.windowSeconds);
      if (failures.count >= LOGIN_LIMITS.blockAfter) {
        return {
          ok: false,
          status: 429,
          message: `Terlalu banyak ${what} yang salah dari perangkat/jaringan ini. Coba lagi dalam ${minutesOf(failures.retryAfterSeconds)} menit.`,
        };
      }
      if (failures.count >= LOGIN_LIMITS.throttleAfter) {
        const slow = await hitRateLimit(slowKey, 60);
        if (slow.count > LOGIN_LIMITS.throttledPerMinute) {
          return {
            ok: false,
            status: 429,
            message: `Terlalu banyak percobaan dari perangkat/jaringan ini: tunggu ${slow.retryAfterSeconds} detik, lalu coba lagi.`,
          };
        }
      }
      const account = await hitRateLimit(accountKey, LOGIN_LIMITS.windowSeconds);
      if (account.count > LOGIN_LIMITS.perAccount) {
        return {
          ok: false,
          status: 429,
          message: `Terlalu banyak percobaan yang salah untuk ${kind === "login" ? "akun" : "nomor"} ini. Coba lagi dalam ${minutesOf(account.retryAfterSeconds)} menit.`,
        };
      }
      return { ok: true };
    },
    async failed(): Promise<void> {
      await hitRateLimit(ipKey, LOGIN_LIMITS.windowSeconds);
    },
    async succeeded(): Promise<void> {
      await resetRateLimit(accountKey);
    },
  };
}

export function loginIdentifier(login: string): string {
  return login.includes("@") ? login.trim().toLowerCase() : (normalizePhone(login) ?? login.trim());
}

export async function login(input: { login: string; password: string }, clientIp: string): Promise<LoginResult> {
  await dbReady();
  const identifier = loginIdentifier(input.login);
  const gate = attemptGate("login", identifier, clientIp);
  const admitted = await gate.admit();
  if (!admitted.ok) return admitted;

  const column = identifier.includes("@") ? users.email : users.phone;
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active, role: users.role })
    .from(users)
    .where(eq(column, identifier))
    .limit(1);

  dummyHash ??= hashPassword("akademi-posyandu-dummy-password");
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyHash, input.password), false);

  if (!user || !valid) {
    await gate.failed();
    return { ok: false, status: 400, message: GENERIC_FAILURE };
  }
  if (!user.active) {
    return {
      ok: false,
      status: 403,
      message: "Akun Anda dinonaktifkan. Hubungi Tim Pembina atau DPMD di daerah Anda.",
    };
  }
  await gate.succeeded();
  return { ok: true, userId: user.id, cookie: await newSessionCookie(user.id, user.role) };
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
  const [row] = await db
    .select({ passwordHash: users.passwordHash, scopeCode: users.scopeCode, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) {
    return { ok: false, field: "current", message: "Kata sandi saat ini salah." };
  }
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, userId));
    await audit(
      { actorId: userId, action: "password.change", entity: "user", entityId: userId, regionCode: row.scopeCode },
      tx,
    );
  });
  await lucia().invalidateUserSessions(userId);
  return { ok: true, cookie: await newSessionCookie(userId, row.role) };
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
