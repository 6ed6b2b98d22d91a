/** Test helpers: a migrated database with the real regions, requests, sessions, route calls. */
import { eq } from "drizzle-orm";
import { db, dbReady } from "~/db.server";
import { users } from "~/db/schema";
import { lucia, SESSION_COOKIE, type SessionUser } from "~/auth.server";
import { FRESH_COOKIE } from "~/read-your-writes.server";
import { seedRegionsIfEmpty } from "~/features/regions/regions.server";

export const BASE = "http://localhost:3000";

export async function setupDatabase(): Promise<void> {
  await dbReady();
  await seedRegionsIfEmpty();
}

export async function sessionCookie(userId: string): Promise<string> {
  const session = await lucia().createSession(userId, {});
  return `${SESSION_COOKIE}=${session.id}`;
}

/**
 * A session cookie as the browser sends it right after a write: with the read-your-writes
 * cookie server.ts sets on every non-GET answer, so reports read the primary and the
 * dashboard is computed, not served from its cache (app/read-your-writes.server.ts).
 */
export function afterWrite(cookie: string): string {
  return `${cookie}; ${FRESH_COOKIE}=1`;
}

/** A fresh idempotency key, as a form carries one (32 hex digits). */
export const idempotencyKey = (): string =>
  [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The signed-in user as the app's server functions take her (what requireUser returns). */
export async function sessionUser(id: string): Promise<SessionUser> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return {
    id: u.id,
    name: u.name,
    phone: u.phone,
    role: u.role,
    scopeCode: u.scopeCode,
    posyanduId: u.posyanduId,
    active: u.active,
    place: "",
  };
}

export interface RequestOptions {
  method?: string;
  form?: Record<string, string>;
  cookie?: string;
  origin?: string | null;
  headers?: Record<string, string>;
}

export function makeRequest(path: string, opts: RequestOptions = {}): Request {
  const method = opts.method ?? (opts.form ? "POST" : "GET");
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  if (method !== "GET" && opts.origin !== null) headers.set("Origin", opts.origin ?? BASE);
  let body: URLSearchParams | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(BASE + path, { method, headers, body });
}

export interface RouteResult {
  status: number;
  data: any;
  headers: Headers;
  location: string | null;
}

type RouteFn = (args: { request: Request; params: Record<string, string>; context: { clientIp: string } }) => unknown;

/** Calls a loader or action the way Remix does and normalises thrown and returned responses. */
export async function call(
  fn: RouteFn,
  request: Request,
  params: Record<string, string> = {},
  clientIp = "203.0.113.7",
): Promise<RouteResult> {
  let out: unknown;
  try {
    out = await fn({ request, params, context: { clientIp } });
  } catch (e) {
    out = e;
  }
  if (out instanceof Response) {
    const text = await out.text();
    return { status: out.status, data: text, headers: out.headers, location: out.headers.get("Location") };
  }
  if (out && typeof out === "object" && (out as { type?: string }).type === "DataWithResponseInit") {
    const d = out as unknown as { data: unknown; init: ResponseInit | null };
    const headers = new Headers(d.init?.headers);
    return { status: d.init?.status ?? 200, data: d.data, headers, location: null };
  }
  if (out instanceof Error) throw out;
  return { status: 200, data: out, headers: new Headers(), location: null };
}
