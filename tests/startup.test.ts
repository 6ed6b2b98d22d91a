/**
 * The start: PostgreSQL unreachable gives one Indonesian line naming host:port and the cause,
 * within ~10 s; a bad environment variable (or one in .env) gives one line naming it; 404 and
 * 405 are logged as one line, without a stack.
 */
import type { AppLoadContext } from "@remix-run/node";
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createStaticHandler, isRouteErrorResponse } from "@remix-run/router";
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
  it("fails within ~10 s when a server accepts and never answers", async () => {
    expect(PG_CONNECT_TIMEOUT_S).toBeLessThanOrEqual(10);
    expect(postgresOptions().connect_timeout).toBe(PG_CONNECT_TIMEOUT_S);
    // The real start (tsx server.ts, production, default DB_CONNECT_TIMEOUT) against a port
    // that accepts the connection and never says a word.
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    const t0 = Date.now();
    const r = await startServerAsync({
      NODE_ENV: "production",
      DATABASE_URL: `postgres://akademi@127.0.0.1:${port}/akademi`,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      CERT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      APP_URL: "https://akademi.example.id",
    });
    const seconds = (Date.now() - t0) / 1000;
    silent.close();
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/akademi tidak dapat dipakai: tidak ada jawaban`));
    expect(r.stderr.split("\n"), r.stderr).toHaveLength(1);
    // The timeout itself, plus the start of tsx and the app (a few seconds on a busy machine).
    expect(seconds).toBeGreaterThanOrEqual(PG_CONNECT_TIMEOUT_S - 0.5);
    expect(seconds).toBeLessThan(PG_CONNECT_TIMEOUT_S + 20);
  }, 60_000);

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
    const context: AppLoadContext = { clientIp: "x", serverFault: null };
    const lines: unknown[][] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void lines.push(a);
    try {
      handleError(down, { request, params: {}, context });
      expect(context.serverFault).toEqual({ kind: "database-unavailable", code: "ECONNREFUSED", status: 503 });
      handleError(new Error("boom"), { request, params: {}, context: { clientIp: "x" } });
    } finally {
      console.error = orig;
    }
    expect(lines[0]).toEqual(["Basis data tidak dapat dihubungi (ECONNREFUSED): POST /posyandu/baru"]);
    expect(lines[1][0]).toBeInstanceOf(Error); // any other error keeps its stack
  });
});

/** `tsx server.ts` (what `npm run dev` and the build run) with only these variables, in `cwd`. */
function startServer(vars: Record<string, string>, cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("server.ts")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...vars },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr.trim(), stdout: r.stdout.trim() };
}

/** The same, without blocking this process (a server of this test must answer meanwhile). */
function startServerAsync(vars: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("server.ts")], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...vars },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const kill = setTimeout(() => child.kill("SIGKILL"), 55_000);
    child.on("exit", (status) => {
      clearTimeout(kill);
      resolve({ status, stderr: stderr.trim() });
    });
  });
}

describe("a bad environment variable stops the start with one line naming it", () => {
  // Production on PostgreSQL (a closed port: nothing may reach it before the variables are checked).
  const production = {
    NODE_ENV: "production",
    DATABASE_URL: "postgres://akademi@127.0.0.1:9/akademi",
    SESSION_SECRET: randomBytes(32).toString("hex"),
    CERT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    APP_URL: "https://akademi.example.id",
  };

  it.each([
    ["DB_POOL_SIZE", "0"],
    ["DB_POOL_SIZE", "abc"],
    ["DB_CONNECT_TIMEOUT", "0"],
    ["WEB_CONCURRENCY", "abc"],
    ["COMPRESS", "ya"],
    ["DB_PREPARE", "kadang"],
  ])("%s=%s", (name, value) => {
    const r = startServer({ ...production, [name]: value });
    expect(r.status, r.stderr).toBe(78); // EX_CONFIG: the systemd unit does not restart it
    expect(r.stderr).toContain(name);
    expect(r.stderr.split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at |RangeError/);
  });

  it("the .env of the working directory is read, and the real environment wins over it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-dotenv-"));
    const lines = Object.entries(production).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    writeFileSync(path.join(dir, ".env"), [...lines, "DB_POOL_SIZE=0", "COMPRESS=ya", ""].join("\n"));
    const fromFile = startServer({}, dir);
    expect(fromFile.status, fromFile.stderr).toBe(78);
    expect(fromFile.stderr).toMatch(/^Konfigurasi lingkungan tidak valid: .*DB_POOL_SIZE.*COMPRESS[^\n]*$/);
    const overridden = startServer({ DB_POOL_SIZE: "5", COMPRESS: "0" }, dir);
    expect(overridden.stderr).not.toMatch(/DB_POOL_SIZE|COMPRESS/);
  });
});

describe("404 and 405 in the log", () => {
  /** The errors Remix hands to handleError for a path no route matches and a POST to a route without action. */
  async function routerErrors(): Promise<unknown[]> {
    const handler = createStaticHandler([
      { id: "root", path: "/", children: [{ id: "page", path: "halaman", loader: () => null }] },
    ]);
    const errors: unknown[] = [];
    for (const request of [
      new Request("http://localhost/tidak-ada"),
      new Request("http://localhost/halaman", { method: "POST", body: new URLSearchParams({ a: "1" }) }),
    ]) {
      const context = await handler.query(request);
      if (context instanceof Response) throw new Error("unexpected response");
      errors.push(...Object.values(context.errors ?? {}));
    }
    return errors;
  }

  it("one line with status, method and path; no stack", async () => {
    const [notFound, notAllowed] = await routerErrors();
    expect(isRouteErrorResponse(notFound) && notFound.status).toBe(404);
    expect(isRouteErrorResponse(notAllowed) && notAllowed.status).toBe(405);
    const lines: unknown[][] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void lines.push(a);
    try {
      handleError(notFound, {
        request: new Request("http://localhost/tidak-ada"),
        params: {},
        context: { clientIp: "x" },
      });
      handleError(notAllowed, {
        request: new Request("http://localhost/halaman", { method: "POST" }),
        params: {},
        context: { clientIp: "x" },
      });
    } finally {
      console.error = orig;
    }
    expect(lines).toEqual([["404 GET /tidak-ada"], ["405 POST /halaman"]]);
  });
});
