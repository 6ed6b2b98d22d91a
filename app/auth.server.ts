/**
 * Accounts and sessions: lucia v3 sessions in the database, argon2id passwords,
 * login by phone or email with rate limiting, and the guards every loader uses.
 */
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { hash, verify } from "@node-rs/argon2";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { redirect } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session } from "lucia";
import { z } from "zod";
import { audit } from "~/audit.server";
import { db, dbReady, prepared } from "~/db.server";
import { posyandu, regions, sessions, users, type Role } from "~/db/schema";
import { env } from "~/env.server";
import { assertSameOrigin, forbidden } from "~/lib/http";
import { normalizePhone } from "~/lib/phone";
import { placeLabel } from "~/lib/place";
import { isWithinScope } from "~/lib/region";
import { hitRateLimit, refundRateLimit, resetRateLimit, type RateHit } from "~/rate-limit.server";
import { noteSessionUser } from "~/request-log.server";

export interface SessionUser {
  id: string;
  name: string;
  phone: string;
  role: Role;
  scopeCode: string;
  posyanduId: number | null;
  active: boolean;
  /** The place under her name in the header (`placeLabel`), read with the session: no query of its own. */
  place: string;
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
          place: placeLabel(row),
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

/** The desa of a kader's posyandu, apart from the region of the account's scope. */
const posyanduDesa = alias(regions, "posyandu_desa");

/**
 * The session lookup, built and prepared once per database client (every request runs it).
 * It also reads the names of the header's place (posyandu and its desa, or the scope's
 * region): primary-key joins, so a page does not spend a second round trip on them.
 */
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
        posyanduName: posyandu.name,
        posyanduDesa: posyanduDesa.name,
        scopeName: regions.name,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(posyandu, eq(posyandu.id, users.posyanduId))
      .leftJoin(posyanduDesa, eq(posyanduDesa.code, posyandu.desaCode))
      .leftJoin(regions, eq(regions.code, users.scopeCode))
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
      place: a.place,
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
 * - Every counter is taken *before* the secret is checked (one atomic upsert each), so
 *   parallel attempts cannot slip past a limit while the others are still in argon2; an
 *   attempt that is refused, or succeeds, is given back (`refundRateLimit`).
 * - Per account: 5 failures per window; a success on the ordinary path clears the count.
 * - Per client address, failures only, as a slow-down and never a lock: a training venue
 *   puts a few hundred kader behind one address. Past `throttleAfter` failures the address
 *   gets `throttledPerMinute` checks a minute (so one address costs at most 50 + 12 a
 *   minute argon2 runs, 230 failures per window), however many requests it sends at once.
 * - A browser that has signed in to the account before carries a device cookie
 *   (`DEVICE_COOKIE`, signed per account with SESSION_SECRET). Its attempts at that account
 *   skip the address and account limits and use their own counter instead: `perDevice`
 *   wrong passwords in a row (a success clears it), then the ordinary limits apply. So a
 *   flood of wrong passwords from a venue's address, or a stranger's five guesses at her
 *   account, do not keep the owner out of her own phone, and a stolen phone gets 10 more
 *   guesses, not an endless supply.
 */
export const LOGIN_LIMITS = {
  /** Failures per account per window. */
  perAccount: 5,
  /** Failures from one address before it is slowed down. */
  throttleAfter: 50,
  /** Checks a minute from a slowed-down address. */
  throttledPerMinute: 12,
  windowSeconds: 15 * 60,
  /** Wrong passwords in a row from a browser that knows the account, before it loses its pass. */
  perDevice: 10,
  deviceWindowSeconds: 30 * 86_400,
  /** Accounts one browser remembers (a phone shared by the kader of a posyandu). */
  deviceAccounts: 5,
};

export type LoginResult =
  | { ok: true; userId: string; cookie: string; deviceCookie: string }
  | { ok: false; status: 400 | 429; message: string };

const GENERIC_FAILURE = "Nomor HP/email atau kata sandi salah.";

/** Keyed hash: the rate-limit table never holds raw client addresses or identifiers. */
function keyed(kind: string, value: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(`${kind}:${value}`).digest("hex").slice(0, 32);
}

const minutesOf = (s: number) => Math.max(1, Math.ceil(s / 60));

// ---------------------------------------------------------------- device cookie

/**
 * `ap_perangkat=<device id>.<tag>.<tag>…`: a random id for this browser and, for each account
 * that signed in on it (most recent first), HMAC(SESSION_SECRET, device id + account id).
 * It grants nothing but a way past the address and account limits for that account.
 */
export const DEVICE_COOKIE = "ap_perangkat";
const DEVICE_COOKIE_MAX_AGE = 365 * 86_400;
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

function readDevice(cookieHeader: string | null | undefined): { id: string; tags: string[] } | null {
  const m = new RegExp(`(?:^|;)\\s*${DEVICE_COOKIE}=([^;]*)`).exec(cookieHeader ?? "");
  if (!m) return null;
  const [id, ...tags] = m[1].trim().split(".");
  if (!TOKEN.test(id) || tags.length > LOGIN_LIMITS.deviceAccounts || !tags.every((t) => TOKEN.test(t))) return null;
  return { id, tags };
}

function deviceTag(deviceId: string, userId: string): string {
  return createHmac("sha256", env().SESSION_SECRET)
    .update(`perangkat:${deviceId}:${userId}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** This browser's pass for the account (the key of its own counter), or null. */
export function devicePass(cookieHeader: string | null | undefined, userId: string): string | null {
  const device = readDevice(cookieHeader);
  if (!device) return null;
  const tag = Buffer.from(deviceTag(device.id, userId));
  return device.tags.some((t) => timingSafeEqual(Buffer.from(t), tag)) ? `${device.id}:${userId}` : null;
}

/** The Set-Cookie value that adds the account to this browser's list (at most `deviceAccounts`). */
export function deviceCookie(cookieHeader: string | null | undefined, userId: string): string {
  const device = readDevice(cookieHeader) ?? { id: randomBytes(16).toString("base64url"), tags: [] };
  const tag = deviceTag(device.id, userId);
  const tags = [tag, ...device.tags.filter((t) => t !== tag)].slice(0, LOGIN_LIMITS.deviceAccounts);
  const parts = [
    `${DEVICE_COOKIE}=${[device.id, ...tags].join(".")}`,
    "Path=/",
    `Max-Age=${DEVICE_COOKIE_MAX_AGE}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (env().NODE_ENV === "production") parts.push("Secure");
  return parts.join("; ");
}

// ---------------------------------------------------------------- the gate

type Refusal = { ok: false; status: 429; message: string };

/**
 * One gate for login and activation (`kind` keeps their counters apart). Call `admit`
 * before checking the secret, and `succeeded` when it was right (and the account may sign
 * in); anything else stays counted as a failure. `device` is `devicePass(…)` for the account.
 */
export function attemptGate(kind: "login" | "aktivasi", identifier: string, clientIp: string, device?: string | null) {
  const accountKey = `${kind}:acct:${keyed("acct", identifier)}`;
  const ipKey = `${kind}:ip:${keyed("ip", clientIp)}`;
  const slowKey = `${kind}:ipslow:${keyed("ip", clientIp)}`;
  const deviceKey = device ? `${kind}:dev:${keyed("dev", device)}` : null;
  const what = kind === "login" ? "percobaan masuk" : "percobaan aktivasi";
  let ipHit: RateHit | undefined;
  return {
    async admit(): Promise<{ ok: true } | Refusal> {
      if (deviceKey) {
        const pass = await hitRateLimit(deviceKey, LOGIN_LIMITS.deviceWindowSeconds);
        if (pass.count <= LOGIN_LIMITS.perDevice) return { ok: true };
        await refundRateLimit(pass); // used up: the ordinary limits apply
      }
      const account = await hitRateLimit(accountKey, LOGIN_LIMITS.windowSeconds);
      if (account.count > LOGIN_LIMITS.perAccount) {
        await refundRateLimit(account);
        const wait = minutesOf(account.retryAfterSeconds);
        return {
          ok: false,
          status: 429,
          message:
            kind === "login"
              ? `Terlalu banyak percobaan yang salah untuk akun ini. Coba lagi dalam ${wait} menit. Jika ini akun Anda, masuk dari HP yang biasa Anda pakai, atau minta kode aktivasi baru kepada Tim Pembina Posyandu.`
              : `Terlalu banyak percobaan yang salah untuk nomor ini. Coba lagi dalam ${wait} menit, atau minta kode aktivasi baru kepada Tim Pembina Posyandu.`,
        };
      }
      const ip = await hitRateLimit(ipKey, LOGIN_LIMITS.windowSeconds);
      if (ip.count > LOGIN_LIMITS.throttleAfter) {
        const slow = await hitRateLimit(slowKey, 60);
        if (slow.count > LOGIN_LIMITS.throttledPerMinute) {
          await Promise.all([refundRateLimit(slow), refundRateLimit(ip), refundRateLimit(account)]);
          return {
            ok: false,
            status: 429,
            message: `Terlalu banyak ${what} yang salah dari perangkat/jaringan ini: tunggu ${slow.retryAfterSeconds} detik, lalu coba lagi.`,
          };
        }
      }
      ipHit = ip;
      return { ok: true };
    },
    async succeeded(): Promise<void> {
      if (deviceKey) await resetRateLimit(deviceKey);
      // On the device path the account's count stays: the stranger's guesses stay limited.
      if (ipHit) await Promise.all([refundRateLimit(ipHit), resetRateLimit(accountKey)]);
    },
  };
}

export function loginIdentifier(login: string): string {
  return login.includes("@") ? login.trim().toLowerCase() : (normalizePhone(login) ?? login.trim());
}

/**
 * Checks the password. `cookieHeader` is the request's Cookie header (the device cookie).
 * A deactivated account answers exactly as a wrong password, and counts as one: the
 * answer tells nothing about the password until it is right and the account active.
 */
export async function login(
  input: { login: string; password: string },
  clientIp: string,
  cookieHeader: string | null = null,
): Promise<LoginResult> {
  await dbReady();
  const identifier = loginIdentifier(input.login);
  const column = identifier.includes("@") ? users.email : users.phone;
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active, role: users.role })
    .from(users)
    .where(eq(column, identifier))
    .limit(1);
  const gate = attemptGate("login", identifier, clientIp, user ? devicePass(cookieHeader, user.id) : null);
  const admitted = await gate.admit();
  if (!admitted.ok) return admitted;

  dummyHash ??= hashPassword("akademi-posyandu-dummy-password");
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyHash, input.password), false);

  if (!user || !valid || !user.active) return { ok: false, status: 400, message: GENERIC_FAILURE };
  await gate.succeeded();
  return {
    ok: true,
    userId: user.id,
    cookie: await newSessionCookie(user.id, user.role),
    deviceCookie: deviceCookie(cookieHeader, user.id),
  };
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
  const user = (await getSession(request))?.user ?? null;
  noteSessionUser(user); // role and region code in the request's log line (never name or phone)
  return user;
}

/**
 * The account a post queued on the phone belongs to: the kader page script sends its outbox
 * with it (app/client/kader.js). Phones are shared, so another kader may be signed in by the
 * time there is signal: such a post is refused (409) and stays on the phone for its owner.
 */
export const OUTBOX_OWNER_HEADER = "X-Akun";

/** The signed-in user, or a redirect to /masuk. Mutating requests must be same-origin. */
export async function requireUser(request: Request): Promise<SessionUser> {
  assertSameOrigin(request);
  const user = await getUser(request);
  const owner = request.headers.get(OUTBOX_OWNER_HEADER);
  if (owner !== null && owner !== user?.id) {
    throw new Response("Kiriman ini milik akun lain di ponsel ini. Kiriman dikirim saat pemiliknya masuk lagi.", {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
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
