/**
 * The one database client. PostgreSQL through `postgres` when DATABASE_URL is set,
 * otherwise the embedded PGlite (persisted under DATA_DIR, in memory for tests).
 * The client lives on globalThis so dev reloads and the server entry share it.
 */
import type { SQL } from "drizzle-orm";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import * as schema from "~/db/schema";
import { env } from "~/env.server";

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
export const PG_CONNECT_TIMEOUT_S = 10;

export function postgresOptions(): postgres.Options<{}> {
  return {
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    connect_timeout: Number(process.env.DB_CONNECT_TIMEOUT ?? PG_CONNECT_TIMEOUT_S),
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
 * One Indonesian line for a database that cannot be reached at start (instead of the
 * driver's stack of DrizzleQueryError), or null for any other error.
 */
export function startupErrorMessage(error: unknown, url = process.env.DATABASE_URL): string | null {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: string }).code;
    if (code && code in CONNECT_CAUSES) {
      let where = "PostgreSQL";
      try {
        const u = new URL(url ?? "");
        where = `${u.hostname}:${u.port || 5432}${u.pathname && u.pathname !== "/" ? u.pathname : ""}`;
      } catch {
        // no URL to name
      }
      return `Basis data PostgreSQL di ${where} tidak dapat dipakai: ${CONNECT_CAUSES[code]}. Periksa DATABASE_URL dan server PostgreSQL.`;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function createHandle(): DbHandle {
  const { DATABASE_URL, DATA_DIR, NODE_ENV } = env();
  if (DATABASE_URL) {
    const client = postgres(DATABASE_URL, postgresOptions());
    const db = drizzlePostgres(client, { schema, logger: process.env.DB_LOG === "1" }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  let dataDir: string | undefined;
  if (NODE_ENV !== "test") {
    dataDir = path.resolve(DATA_DIR, "pglite");
    mkdirSync(dataDir, { recursive: true });
  }
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema, logger: process.env.DB_LOG === "1" });
  return {
    db,
    kind: "pglite",
    dump: () => client.dumpDataDir("gzip"),
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS }),
    close: () => client.close(),
  };
}

const g = globalThis as unknown as { __akademiDb?: DbHandle; __akademiDbReady?: Promise<void> };

function handle(): DbHandle {
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

export function dbKind(): "pglite" | "postgres" {
  return handle().kind;
}

/** Applies pending migrations once per process. */
export function dbReady(): Promise<void> {
  g.__akademiDbReady ??= handle().migrate();
  return g.__akademiDbReady;
}

/** The embedded database as a gzipped tarball (for `npm run backup`); PostgreSQL uses pg_dump. */
export async function dumpEmbeddedDb(): Promise<Blob> {
  const h = handle();
  if (!h.dump) throw new Error("Cadangan bawaan hanya untuk basis data tertanam (PGlite); untuk PostgreSQL gunakan pg_dump.");
  await dbReady();
  return h.dump();
}

export async function closeDb(): Promise<void> {
  const h = g.__akademiDb;
  g.__akademiDb = undefined;
  g.__akademiDbReady = undefined;
  await h?.close();
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
