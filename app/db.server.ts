/**
 * The one database client. PostgreSQL through `postgres` when DATABASE_URL is set,
 * otherwise the embedded PGlite (persisted under DATA_DIR, in memory for tests).
 * The client lives on globalThis so dev reloads and the server entry share it.
 *
 * Reports may read from a streaming replica (DATABASE_REPLICA_URL): code that runs inside
 * `onReplica(request, fn)` gets the replica from the same `db`; everything else (writes,
 * read-your-writes pages) the primary. See `onReplica` for when the primary is used anyway.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "drizzle-orm";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import * as schema from "~/db/schema";
import { DataDirLockedError, failWithOneLine, lockDataDir, releaseDataDir } from "~/data-dir-lock.server";
import { DEFAULT_CONNECT_TIMEOUT_S, databaseKind, env } from "~/env.server";
import { metrics } from "~/metrics.server";
import { hasFreshCookie } from "~/read-your-writes.server";

type PgliteDb = ReturnType<typeof drizzlePglite<typeof schema>>;
export type Db = PgliteDb;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** The client or a transaction: functions that may run inside a caller's transaction take this. */
export type Conn = Db | Tx;

interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  /** The embedded database only: its data directory as a gzipped tarball (PGlite dumpDataDir). */
  dump?: () => Promise<Blob>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS = path.resolve("drizzle");

/** A server that accepts and never answers fails the start after this many seconds. */
export const PG_CONNECT_TIMEOUT_S = DEFAULT_CONNECT_TIMEOUT_S;

export function postgresOptions(): postgres.Options<{}> {
  return {
    max: env().DB_POOL_SIZE,
    prepare: preparedStatements(),
    // Seconds before reconnecting after a failed connection. postgres.js's default grows to
    // 10-20 s after a handful of failures (they count across the pool), so a database down
    // for 1.5 s held requests for over 10 s after it was back; at most 1 s here.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
    connect_timeout: env().DB_CONNECT_TIMEOUT,
    onnotice: () => {},
  };
}

const CONNECT_CAUSES: Record<string, string> = {
  ECONNREFUSED: "koneksi ditolak (server PostgreSQL tidak berjalan, atau port salah)",
  ENOTFOUND: "nama host tidak dikenal",
  EAI_AGAIN: "nama host tidak dapat dicari (DNS)",
  ETIMEDOUT: "tidak ada jawaban (firewall atau alamat salah)",
  CONNECT_TIMEOUT: "tidak ada jawaban dalam batas waktu (DB_CONNECT_TIMEOUT, bawaan 10 detik)",
  EHOSTUNREACH: "host tidak terjangkau",
  "28P01": "nama pengguna atau kata sandi salah",
  "28000": "akses ditolak oleh pg_hba.conf",
  "3D000": "basis data tidak ada",
  "57P03": "server PostgreSQL sedang dinyalakan atau dimatikan",
};

/**
 * Error codes that mean "the database cannot be reached right now" rather than "this query
 * is wrong": refused or dropped connections (postgres.js and Node), the server shutting
 * down or starting up (57P01-57P03), too many connections (53300), and the SQLSTATE
 * connection-exception class 08.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/**
 * The first error code along an error's `cause` chain (drizzle wraps the driver's error) that
 * `matches`, or null.
 */
function causeCode(error: unknown, matches: (code: string) => boolean): string | null {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && matches(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** The code of a database-unavailable error, or null for any other error. */
export function databaseUnavailableCode(error: unknown): string | null {
  return causeCode(error, (code) => UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

/**
 * Error codes of a full disk: Node's ENOSPC (and EDQUOT, a full quota) for files the app
 * writes (uploads), PostgreSQL's SQLSTATE 53100 disk_full. PGlite writes its files through
 * Node: PostgreSQL inside it turns the ENOSPC into 53100 like a server does.
 */
const DISK_FULL_CODES = new Set(["ENOSPC", "EDQUOT", "53100"]);

/**
 * A request that failed because of the server, not because of the request: the database
 * cannot be reached (503, with Retry-After: a restart takes seconds) or the disk is full
 * (507 Insufficient Storage: until someone frees space). The one place that decides:
 * handleError (entry.server) marks the request with it, server.ts answers `status`, the
 * error page says which.
 */
export interface ServerFault {
  kind: "database-unavailable" | "disk-full";
  code: string;
  status: 503 | 507;
}

export function serverFault(error: unknown): ServerFault | null {
  const unavailable = databaseUnavailableCode(error);
  if (unavailable) return { kind: "database-unavailable", code: unavailable, status: 503 };
  const full = causeCode(error, (code) => DISK_FULL_CODES.has(code));
  if (full) return { kind: "disk-full", code: full, status: 507 };
  return null;
}

/**
 * One Indonesian line for a database that cannot be reached at start (instead of the
 * driver's stack of DrizzleQueryError) or a DATA_DIR another process holds, or null for
 * any other error.
 */
export function startupErrorMessage(error: unknown, url = env().DATABASE_URL): string | null {
  if (error instanceof DataDirLockedError) return error.message;
  const code = causeCode(error, (c) => c in CONNECT_CAUSES);
  if (!code) return null;
  let where = "PostgreSQL";
  try {
    const u = new URL(url ?? "");
    where = `${u.hostname}:${u.port || 5432}${u.pathname && u.pathname !== "/" ? u.pathname : ""}`;
  } catch {
    // no URL to name
  }
  return `Basis data PostgreSQL di ${where} tidak dapat dipakai: ${CONNECT_CAUSES[code]}. Periksa DATABASE_URL dan server PostgreSQL.`;
}

function createHandle(): DbHandle {
  const { DATABASE_URL, DATA_DIR, NODE_ENV } = env();
  if (databaseKind() === "postgres") {
    const client = postgres(DATABASE_URL!, postgresOptions());
    metrics().dbPoolSize.set(env().DB_POOL_SIZE);
    const db = drizzlePostgres(statementMode(client, preparedStatements(), "primary"), {
      schema,
      logger: env().DB_LOG,
    }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  let dataDir: string | undefined;
  if (NODE_ENV !== "test") {
    // One process per DATA_DIR (server, seed, backup, scripts): a second one stops here.
    try {
      lockDataDir(DATA_DIR);
    } catch (e) {
      if (e instanceof DataDirLockedError) failWithOneLine(e);
      throw e;
    }
    dataDir = path.resolve(DATA_DIR, "pglite");
    mkdirSync(dataDir, { recursive: true });
  }
  const client = new PGlite(dataDir);
  metrics().dbPoolSize.set(1); // one connection: the embedded database runs in this process
  const db = drizzlePglite(client, { schema, logger: env().DB_LOG });
  return {
    db,
    kind: "pglite",
    dump: () => client.dumpDataDir("gzip"),
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS }),
    close: async () => {
      await client.close();
      if (dataDir) releaseDataDir(DATA_DIR);
    },
  };
}

/**
 * One statement mode for every query. drizzle asks postgres.js for unnamed statements
 * (prepare: false) except for `.prepare(name)`, while its raw `db.execute` uses the driver's
 * default (named). Prepared (the default), every query costs one round trip and PostgreSQL
 * parses and plans it once per connection: postgres.js otherwise sends a query with
 * parameters in two (Describe, wait, then Bind/Execute). DB_PREPARE=0 makes every query
 * unnamed, `.prepare(name)` and raw SQL included: behind a PgBouncer in transaction mode
 * without prepared-statement support (before 1.21, or max_prepared_statements = 0) a named
 * statement prepared on one server connection is executed on another, where that name
 * may stand for a different query: wrong rows, silently.
 */
export function preparedStatements(): boolean {
  return env().DB_PREPARE;
}

function statementMode(
  client: postgres.Sql,
  prepare = preparedStatements(),
  /** The pool's own client (not a transaction's): its queries and transactions are counted in flight (metrics). */
  pool?: "primary" | "replica",
): postgres.Sql {
  type Loose = Record<string, (...a: any[]) => any>;
  const c = client as unknown as Loose;
  const unsafe = c.unsafe;
  const inFlight = pool && metrics().dbInFlight.labels({ database: pool });
  // Counted from creation to answer; Promise.prototype.then subscribes without starting the
  // (lazy) postgres.js query, which drizzle starts itself right after (.values(), await).
  const counted = <T>(p: T): T => {
    if (!inFlight) return p;
    inFlight.inc();
    const done = () => inFlight.dec();
    Promise.prototype.then.call(p, done, done);
    return p;
  };
  c.unsafe = (query: string, args?: unknown[], options?: Record<string, unknown>) =>
    counted(unsafe(query, args, { ...options, prepare }));
  // Transactions and savepoints hand drizzle a client of their own: the same for those.
  for (const name of ["begin", "savepoint"] as const) {
    const orig = c[name];
    if (typeof orig !== "function") continue;
    c[name] = (...a: any[]) => {
      const i = a.findIndex((x) => typeof x === "function");
      if (i >= 0) {
        const fn = a[i];
        a[i] = (tx: postgres.Sql) => fn(statementMode(tx, prepare));
      }
      // A transaction holds one connection from begin to commit: one in flight.
      return name === "begin" ? counted(orig.apply(client, a)) : orig.apply(client, a);
    };
  }
  return client;
}

/** The replica's client: read-only queries of reports (no migrations, a pool of its own). */
function createReplicaHandle(url: string): DbHandle {
  const client = postgres(url, postgresOptions());
  const db = drizzlePostgres(statementMode(client, preparedStatements(), "replica"), {
    schema,
    logger: env().DB_LOG,
  }) as unknown as Db;
  return { db, kind: "postgres", migrate: async () => {}, close: () => client.end({ timeout: 5 }) };
}

const g = globalThis as unknown as {
  __akademiDb?: DbHandle;
  __akademiDbReady?: Promise<void>;
  __akademiReplica?: DbHandle;
  __akademiReplicaScope?: AsyncLocalStorage<DbHandle>;
  __akademiReplicaLag?: { at: number; ok: Promise<boolean> };
};

function handle(): DbHandle {
  return g.__akademiReplicaScope?.getStore() ?? primary();
}

function primary(): DbHandle {
  g.__akademiDb ??= createHandle();
  return g.__akademiDb;
}

/** The drizzle database. Call `dbReady()` once before the first query (boot does). */
export const db: Db = new Proxy({} as Db, {
  get(_t, prop) {
    const real = handle().db as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    return typeof value === "function" ? (value as Function).bind(real) : value;
  },
});

/**
 * A query built once per database client (primary or replica) and reused: drizzle builds
 * its SQL once, and `.prepare(name)` in `build` makes PostgreSQL parse and plan it once
 * per connection. For the hottest queries (the session lookup of every request).
 */
export function prepared<T>(name: string, build: (db: Db) => T): T {
  const h = handle();
  const cache = (preparedCache.get(h) ?? preparedCache.set(h, new Map()).get(h)!) as Map<string, T>;
  let q = cache.get(name);
  if (!q) {
    q = build(h.db);
    cache.set(name, q);
  }
  return q;
}
const preparedCache = new WeakMap<DbHandle, Map<string, unknown>>();

export function dbKind(): "pglite" | "postgres" {
  return primary().kind;
}

/** Applies pending migrations once per process. */
export function dbReady(): Promise<void> {
  g.__akademiDbReady ??= primary().migrate();
  return g.__akademiDbReady;
}

/** The embedded database as a gzipped tarball (for `npm run backup`); PostgreSQL uses pg_dump. */
export async function dumpEmbeddedDb(): Promise<Blob> {
  const h = handle();
  if (!h.dump)
    throw new Error("Cadangan bawaan hanya untuk basis data tertanam (PGlite); untuk PostgreSQL gunakan pg_dump.");
  await dbReady();
  return h.dump();
}

export async function closeDb(): Promise<void> {
  const h = g.__akademiDb;
  const r = g.__akademiReplica;
  g.__akademiDb = undefined;
  g.__akademiDbReady = undefined;
  g.__akademiReplica = undefined;
  g.__akademiReplicaLag = undefined;
  await Promise.all([h?.close(), r?.close()]);
}

// ---------------------------------------------------------------- read replica

// The read-your-writes cookie (its name and lifetime) lives in app/read-your-writes.server.ts,
// which server.ts imports without loading this module.
export { FRESH_COOKIE, FRESH_SECONDS } from "~/read-your-writes.server";
/** A replica further behind than this is not used (the primary answers instead). */
export const REPLICA_MAX_LAG_SECONDS = 5;

export function replicaConfigured(): boolean {
  return databaseKind() === "postgres" && Boolean(env().DATABASE_REPLICA_URL);
}

/** Whether the replica is usable: reachable and at most REPLICA_MAX_LAG_SECONDS behind (checked every 2 s). */
function replicaFresh(replica: DbHandle): Promise<boolean> {
  const now = Date.now();
  const last = g.__akademiReplicaLag;
  if (last && now - last.at < 2_000) return last.ok;
  const ok = replica.db
    .execute(sql`select case when pg_last_wal_receive_lsn() is null then 0
        when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
        else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0) end as lag`)
    .then((r) => {
      const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { lag: number | string }[];
      const lag = Number(rows[0]?.lag ?? 0);
      metrics().replicaLag.set({ database: "replica" }, lag);
      return lag <= REPLICA_MAX_LAG_SECONDS;
    })
    .catch(() => {
      metrics().replicaLag.set({ database: "replica" }, -1);
      return false;
    });
  g.__akademiReplicaLag = { at: now, ok };
  return ok;
}

/**
 * Runs report reads on the replica when one is configured, it is no more than a few
 * seconds behind, and this browser has not written anything in the last FRESH_SECONDS
 * (read-your-writes); otherwise on the primary. Only reads belong inside: a write on a
 * replica fails ("read-only transaction").
 */
export async function onReplica<T>(request: Request, fn: () => Promise<T>): Promise<T> {
  const replica = await usableReplica(request);
  metrics().reads.inc({ target: replica ? "replica" : "primary" });
  if (!replica) return fn();
  g.__akademiReplicaScope ??= new AsyncLocalStorage<DbHandle>();
  return g.__akademiReplicaScope.run(replica, fn);
}

async function usableReplica(request: Request): Promise<DbHandle | null> {
  if (!replicaConfigured()) return null;
  if (hasFreshCookie(request.headers.get("Cookie"))) return null;
  g.__akademiReplica ??= createReplicaHandle(env().DATABASE_REPLICA_URL!);
  return (await replicaFresh(g.__akademiReplica)) ? g.__akademiReplica : null;
}

/**
 * The rows of a raw SQL statement, typed: the one way raw SQL is read. db.execute returns
 * an array (postgres-js) or { rows } (PGlite). Cast counts and sums in the SQL (`::int`)
 * so both drivers return numbers.
 */
export async function sqlRows<T>(query: SQL, conn: Conn = db): Promise<T[]> {
  return rowsOf<T>(await conn.execute(query));
}

/** Rows of an already executed db.execute result (both drivers). */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
