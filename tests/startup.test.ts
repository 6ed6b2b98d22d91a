/** PostgreSQL unreachable at start: one Indonesian line naming host:port and the cause, within ~10 s. */
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { PG_CONNECT_TIMEOUT_S, postgresOptions, startupErrorMessage } from "~/db.server";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The error drizzle gives for the first query, the way boot meets it. */
async function firstQueryError(url: string, connectTimeout: number): Promise<unknown> {
  const client = postgres(url, { ...postgresOptions(), connect_timeout: connectTimeout, max: 1 });
  try {
    await drizzle(client).execute(sql`select 1`);
    return null;
  } catch (e) {
    return e;
  } finally {
    await client.end({ timeout: 1 });
  }
}

describe("database unreachable at start", () => {
  it("fails within ~10 s when a server accepts and never answers", () => {
    expect(PG_CONNECT_TIMEOUT_S).toBeLessThanOrEqual(10);
    expect(postgresOptions().connect_timeout).toBe(PG_CONNECT_TIMEOUT_S);
  });

  it("a closed port: 'koneksi ditolak' with host:port", async () => {
    const port = await freePort();
    const url = `postgres://akademi@127.0.0.1:${port}/akademi`;
    const e = await firstQueryError(url, 2);
    const line = startupErrorMessage(e, url);
    expect(line).toBe(
      `Basis data PostgreSQL di 127.0.0.1:${port}/akademi tidak dapat dipakai: koneksi ditolak (server PostgreSQL tidak berjalan, atau port salah). Periksa DATABASE_URL dan server PostgreSQL.`,
    );
    expect(line!.split("\n")).toHaveLength(1);
  });

  it("a server that never answers: 'tidak ada jawaban'", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    const url = `postgres://akademi@127.0.0.1:${port}/postgres`;
    const t0 = Date.now();
    const e = await firstQueryError(url, 1);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(startupErrorMessage(e, url)).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${port}/postgres tidak dapat dipakai: tidak ada jawaban`),
    );
    silent.close();
  });

  it("other errors are left alone", () => {
    expect(startupErrorMessage(new Error("boom"))).toBeNull();
  });
});
