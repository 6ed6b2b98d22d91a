/**
 * One JSON line per request on stdout (pino), and the request metrics (app/metrics.server.ts).
 *
 * The line: `id` (also the X-Request-Id response header), `method`, `route` (the Remix route
 * id; "404" when no route matches, "static" for a file served from build/client), `path`
 * (long digit runs masked), `status`, `ms`, and when the request had a session `role` and
 * `region` (the account's region code). Never a name, a phone number, a query string, a
 * form or an answer. A request that failed because of the server carries its error (`err`,
 * with the stack, once: handleError hands it here instead of printing it) or its `fault`
 * (database unreachable, disk full; handleError also prints its one-line message on stderr);
 * a 404 or 405 is this one line and nothing else.
 *
 * Role and region come from the session the guards already read (app/auth.server.ts calls
 * noteSessionUser): no second database read. They travel in a per-request AsyncLocalStorage.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import type { RequestHandler } from "express";
import pino from "pino";
import { metrics } from "~/metrics.server";

interface RequestRecord {
  id: string;
  role?: string;
  region?: string;
  errors: unknown[];
  fault?: string;
}

const g = globalThis as unknown as {
  __akademiRequestScope?: AsyncLocalStorage<RequestRecord>;
  __akademiLogger?: pino.Logger;
};
g.__akademiRequestScope ??= new AsyncLocalStorage<RequestRecord>();
const scope = g.__akademiRequestScope;

function logger(): pino.Logger {
  g.__akademiLogger ??= pino({
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return g.__akademiLogger;
}

/** Called by the session guards: the role and region code of the request's account. */
export function noteSessionUser(user: { role: string; scopeCode: string } | null): void {
  const r = scope.getStore();
  if (r && user) {
    r.role = user.role;
    r.region = user.scopeCode;
  }
}

/** Whether this runs inside a request of the server (its line will be written). */
export function inRequest(): boolean {
  return scope.getStore() !== undefined;
}

/**
 * handleError hands a request's error here (logged once, in its request line). False
 * outside a request (a script, a test calling handleError): the caller prints it itself.
 */
export function noteRequestError(error: unknown): boolean {
  const r = scope.getStore();
  if (!r) return false;
  r.errors.push(error);
  return true;
}

/** A server fault (database unreachable, disk full) of this request: its kind and code in the line. */
export function noteRequestFault(kind: string, code: string): boolean {
  const r = scope.getStore();
  if (!r) return false;
  r.fault = `${kind} (${code})`;
  return true;
}

type Manifest = ServerBuild["routes"];

/** One way a URL can end at a route: its full path as a pattern, ranked as React Router ranks it. */
interface Branch {
  id: string;
  pattern: RegExp;
  score: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** React Router's computeScore: static segment 10, dynamic 3, empty 1, index +2, splat -2. */
function score(path: string, index: boolean | undefined): number {
  const segments = path.split("/");
  let n = segments.length + (segments.includes("*") ? -2 : 0) + (index ? 2 : 0);
  for (const s of segments) {
    if (s === "*") continue;
    n += s.startsWith(":") ? 3 : s === "" ? 1 : 10;
  }
  return n;
}

function patternOf(path: string, caseSensitive?: boolean): RegExp {
  let re = "";
  for (const segment of path.split("/").filter(Boolean)) {
    const optional = segment.endsWith("?");
    const s = optional ? segment.slice(0, -1) : segment;
    const part = s === "*" ? "(?:/.*)?" : `/${s.startsWith(":") ? "[^/]+" : escapeRegExp(s)}`;
    re += optional ? `(?:${part})?` : part;
  }
  return new RegExp(`^${re}/*$`, caseSensitive ? "" : "i");
}

/**
 * The build's route manifest as ranked branches, built once: the route of a path is then
 * one pass of regular expressions (a few µs), where matchRoutes flattens and ranks the whole
 * tree again on every call (about 0.2 ms for our 74 routes). tests/operations.test.ts checks
 * that both agree.
 */
export function routeBranches(routes: Manifest): Branch[] {
  const byParent = new Map<string | undefined, Manifest[string][]>();
  for (const r of Object.values(routes)) {
    const list = byParent.get(r.parentId) ?? [];
    list.push(r);
    byParent.set(r.parentId, list);
  }
  const out: Branch[] = [];
  const walk = (parent: string | undefined, parentPath: string) => {
    for (const r of byParent.get(parent) ?? []) {
      const path = [parentPath, r.path ?? ""].join("/").replace(/\/\/+/g, "/");
      if (!r.index) walk(r.id, path);
      // A route without a path matches on its own only as an index route.
      if (r.path == null && !r.index) continue;
      out.push({ id: r.id, pattern: patternOf(path, r.caseSensitive), score: score(path, r.index) });
    }
  };
  walk(undefined, "");
  // Stable: equal scores keep the manifest's order (React Router: sibling order).
  return out.sort((a, b) => b.score - a.score);
}

/** The id of the route that answers this path, or "404". */
export function routeIdOf(branches: Branch[], pathname: string): string {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // a malformed escape: match it as it is
  }
  return branches.find((b) => b.pattern.test(path))?.id ?? "404";
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Error text without drizzle's "params: …" line (the values of a failed query: names, phones). */
function scrub(text: string | undefined): string | undefined {
  return text?.replace(/\nparams: [^\n]*/g, "\nparams: [disembunyikan]");
}

function errorFields(e: unknown) {
  if (!(e instanceof Error)) return { message: scrub(String(e)) };
  return { type: e.name, message: scrub(e.message), stack: scrub(e.stack) };
}

/**
 * The middleware, first in server.ts: a request id, the record the guards and handleError
 * fill, and when the response is done its line and metrics. `res.locals.remix` (set when the
 * Remix handler takes the request) and `res.locals.unavailable` (the drain's 503) come from
 * server.ts.
 */
export function requestLog(routes: ServerBuild["routes"], { trustRequestId = false } = {}): RequestHandler {
  const branches = routeBranches(routes);
  const ids = new Set(Object.keys(routes));
  const m = metrics();
  return (req, res, next) => {
    const t0 = performance.now();
    const given = trustRequestId ? req.get("x-request-id") : undefined;
    const record: RequestRecord = { id: given && REQUEST_ID.test(given) ? given : randomUUID(), errors: [] };
    res.setHeader("X-Request-Id", record.id);
    // The path as the client sent it (before the suffix rewrite), for the line.
    const path = req.path.replace(/\d{8,}/g, "…");
    res.on("close", () => {
      const seconds = (performance.now() - t0) / 1000;
      const status = res.headersSent ? res.statusCode : 0;
      let route: string;
      if (res.locals.remix) {
        const url = new URL(req.originalUrl, "http://x");
        route = routeIdOf(branches, url.pathname);
        // A data request (?_data=<route id>) runs that route's loader.
        const data = url.searchParams.get("_data");
        if (route !== "404" && data && ids.has(data)) route = data;
      } else route = res.locals.unavailable ? String(res.locals.unavailable) : status === 404 ? "404" : "static";
      m.httpDuration.observe({ route, method: req.method }, seconds);
      m.httpResponses.inc({ route, method: req.method, status: String(status) });
      if (status === 503) {
        const reason = res.locals.unavailable ?? (record.fault?.split(" ")[0] || "other");
        m.unavailable.inc({ reason });
      }
      if (req.headers["x-akun"] !== undefined) {
        // The phone's offline outbox (app/client/kader.js, OUTBOX_OWNER_HEADER in auth.server.ts).
        m.outboxSyncs.inc({ result: status === 409 ? "refused" : status > 0 && status < 400 ? "ok" : "error" });
      }
      const line = {
        id: record.id,
        method: req.method,
        route,
        path,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        ...(record.role ? { role: record.role, region: record.region } : {}),
        ...(record.fault ? { fault: record.fault } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
        ...(record.errors.length === 1 ? { err: errorFields(record.errors[0]) } : {}),
        ...(record.errors.length > 1 ? { errs: record.errors.map(errorFields) } : {}),
      };
      if (record.errors.length || status >= 500) logger().error(line, "request");
      else logger().info(line, "request");
    });
    scope.run(record, next);
  };
}
