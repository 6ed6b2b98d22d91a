/** PostgreSQL unreachable at start: one Indonesian line naming host:port and the cause, within ~10 s. */
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { databaseUnavailableCode, db, PG_CONNECT_TIMEOUT_S, postgresOptions, startupErrorMessage } from "~/db.server";
import { handleError } from "~/entry.server";
import { setupDatabase } from "./helpers";

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

describe("database unreachable while serving", () => {
  it("a refused connection is 'unavailable' (503); a wrong query is not (500)", async () => {
    await setupDatabase();
    const port = await freePort();
    const down = await firstQueryError(`postgres://akademi@127.0.0.1:${port}/akademi`, 2);
    expect(databaseUnavailableCode(down)).toBe("ECONNREFUSED");
    const wrong = await db.execute(sql`select * from tabel_yang_tidak_ada`).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(Error);
    expect(databaseUnavailableCode(wrong)).toBeNull();
    expect(databaseUnavailableCode({ code: "57P01" })).toBe("57P01"); // admin shutdown (pg_ctl restart)
    expect(databaseUnavailableCode(new Error("x", { cause: { code: "CONNECTION_CLOSED" } }))).toBe("CONNECTION_CLOSED");
  });

  it("handleError marks the request so it answers 503, and logs one line", async () => {
    const port = await freePort();
    const down = await firstQueryError(`postgres://akademi@127.0.0.1:${port}/akademi`, 2);
    const request = new Request("http://localhost/posyandu/baru", { method: "POST" });
    const context = { clientIp: "x", databaseUnavailable: false };
    const lines: unknown[][] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void lines.push(a);
    try {
      handleError(down, { request, params: {}, context });
      expect(context.databaseUnavailable).toBe(true);
      handleError(new Error("boom"), { request, params: {}, context: { clientIp: "x" } });
    } finally {
      console.error = orig;
    }
    expect(lines[0]).toEqual(["Basis data tidak dapat dihubungi (ECONNREFUSED): POST /posyandu/baru"]);
    expect(lines[1][0]).toBeInstanceOf(Error); // any other error keeps its stack
  });
});
