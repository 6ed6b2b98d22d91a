/**
 * A full disk (issue 24): a write that fails because the server's disk is full answers
 * 507 with "Penyimpanan server penuh", logs one line, and an upload does not blame the
 * file; a file that really is wrong keeps its own message. The errors are real ones
 * injected where they arise: SQLSTATE 53100 (disk_full) raised by a trigger in the
 * database, and ENOSPC from Node's fs for upload files (tests/fixtures/full-disk.mjs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, serverFault } from "~/db.server";
import { handleError } from "~/entry.server";
import { makeUser } from "~/demo/factories.server";
import { KADER_COLUMNS } from "~/features/roster-import/columns";
import * as impor from "~/routes/admin.impor._index";
import { BASE, call, sessionCookie, setupDatabase } from "./helpers";

const scratch = mkdtempSync(path.join(tmpdir(), "akademi-penuh-"));
const FLAG = path.join(scratch, "disk-penuh");
process.env.AKADEMI_TEST_DISK_FULL = FLAG;
await import("./fixtures/full-disk.mjs");
process.env.DATA_DIR = scratch; // upload files go to DATA_DIR/imports

const diskFull = (on: boolean) => (on ? writeFileSync(FLAG, "") : rmSync(FLAG, { force: true }));

/** Raises SQLSTATE 53100, as PostgreSQL does when it cannot extend a file, on every insert into `table`. */
async function failInsertsWithDiskFull(table: string): Promise<void> {
  await db.execute(
    sql.raw(`create or replace function uji_disk_penuh() returns trigger language plpgsql as $$
      begin
        raise exception 'could not extend file "base/1/1": No space left on device' using errcode = 'disk_full';
      end $$`),
  );
  await db.execute(
    sql.raw(`create trigger uji_disk_penuh before insert on ${table} for each row execute function uji_disk_penuh()`),
  );
}

const csv = `${KADER_COLUMNS.map((c) => c.key).join(",")}\nSiti Aminah,081234567890,Posyandu Melati,,64.08.01.2001,kesehatan,P,1980\n`;

function uploadRequest(base: string, cookie: string, file: Blob, name: string): Request {
  const body = new FormData();
  body.set("jenis", "kader");
  body.set("berkas", file, name);
  return new Request(`${base}/admin/impor`, { method: "POST", body, headers: { Cookie: cookie, Origin: base } });
}

let admin: string;
beforeAll(async () => {
  await setupDatabase();
  const a = await makeUser({ role: "admin", scopeCode: "64" });
  admin = await sessionCookie(a.id);
});

describe("what counts as a full disk", () => {
  it("SQLSTATE 53100 from the database, ENOSPC and EDQUOT from Node: 507; unreachable database 503; anything else nothing", async () => {
    await db.execute(sql`create table uji_penuh (x int)`);
    await failInsertsWithDiskFull("uji_penuh");
    const full = await db.execute(sql`insert into uji_penuh values (1)`).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(Error);
    expect(serverFault(full)).toEqual({ kind: "disk-full", code: "53100", status: 507 });
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    expect(serverFault(new Error("upload", { cause: enospc }))).toEqual({
      kind: "disk-full",
      code: "ENOSPC",
      status: 507,
    });
    expect(serverFault({ code: "EDQUOT" })).toEqual({ kind: "disk-full", code: "EDQUOT", status: 507 });
    expect(serverFault({ code: "ECONNREFUSED" })).toEqual({
      kind: "database-unavailable",
      code: "ECONNREFUSED",
      status: 503,
    });
    const duplicate = await db.execute(sql`select 1/0`).catch((e: unknown) => e);
    expect(serverFault(duplicate)).toBeNull();
    expect(serverFault(new Error("boom"))).toBeNull();
  });

  it("handleError marks the request and logs one line", () => {
    const context = { clientIp: "x", serverFault: null };
    const lines: unknown[][] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void lines.push(a);
    try {
      handleError(Object.assign(new Error("ENOSPC"), { code: "ENOSPC" }), {
        request: new Request(`${BASE}/admin/impor`, { method: "POST" }),
        params: {},
        context,
      });
    } finally {
      console.error = orig;
    }
    expect(context.serverFault).toEqual({ kind: "disk-full", code: "ENOSPC", status: 507 });
    expect(lines).toEqual([["Penyimpanan server penuh (ENOSPC): POST /admin/impor"]]);
  });
});

describe("an import upload on a full disk", () => {
  it("fails as a full disk, not as a bad file; a bad file keeps its own message", async () => {
    diskFull(true);
    try {
      const err = await call(impor.action, uploadRequest(BASE, admin, new Blob([csv]), "kader.csv")).catch((e) => e);
      expect(err, JSON.stringify(err?.data ?? err)).toBeInstanceOf(Error);
      expect(serverFault(err)?.kind).toBe("disk-full");
    } finally {
      diskFull(false);
    }
    const bad = await call(
      impor.action,
      uploadRequest(BASE, admin, new Blob([new Uint8Array([0, 1, 2, 3])]), "kader.csv"),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.message).toMatch(/^Berkas tidak dikenali/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// The whole path (Express, Remix, handleError, the status server.ts answers, the error page)
// with the development server (no build needed) on this file's PostgreSQL database.
describe.skipIf(!process.env.DATABASE_URL)("a full disk through a running server", () => {
  let server: ChildProcess | undefined;
  let log = "";
  afterAll(() => {
    // The whole group: tsx runs server.ts in a child process.
    if (server?.pid) process.kill(-server.pid, "SIGKILL");
  });

  it("answers 507 with 'Penyimpanan server penuh' and one log line; a bad file still gets its own 400", async () => {
    await failInsertsWithDiskFull("import_stages");
    const port = await freePort();
    const base = `http://localhost:${port}`;
    server = spawn(path.resolve("node_modules/.bin/tsx"), ["server.ts", "--dev"], {
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: String(port),
        DATA_DIR: scratch,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${path.resolve("tests/fixtures/full-disk.mjs")}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    server.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    let errors = "";
    server.stderr!.on("data", (c: Buffer) => (errors += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start\n${log}\n${errors}`)), 120_000);
      const poll = setInterval(() => {
        if (log.includes("siap di http")) {
          clearTimeout(timer);
          clearInterval(poll);
          resolve();
        }
      }, 100);
      server!.on("exit", (code) => reject(new Error(`server exited ${code}\n${log}\n${errors}`)));
    });
    const post = (file: Blob) => fetch(uploadRequest(base, admin, file, "kader.csv"), { redirect: "manual" });

    // The upload file cannot be written (ENOSPC).
    diskFull(true);
    let res: Response;
    try {
      res = await post(new Blob([csv]));
    } finally {
      diskFull(false);
    }
    let body = await res.text();
    expect(res.status, body.slice(0, 500)).toBe(507);
    expect(body).toMatch(/Penyimpanan server penuh/);
    expect(body).not.toMatch(/Unggahan tidak dapat dibaca|Terjadi kesalahan pada server/);

    // The file is read, its preview cannot be stored (SQLSTATE 53100).
    res = await post(new Blob([csv]));
    body = await res.text();
    expect(res.status, body.slice(0, 500)).toBe(507);
    expect(body).toMatch(/Penyimpanan server penuh/);

    // A file that is really wrong: its own message, 400.
    res = await post(new Blob([new Uint8Array([0, 1, 2, 3])]));
    body = await res.text();
    expect(res.status).toBe(400);
    expect(body).toMatch(/Berkas tidak dikenali/);

    const full = errors.split("\n").filter((l) => /penuh/i.test(l));
    expect(full, errors).toEqual([
      "Penyimpanan server penuh (ENOSPC): POST /admin/impor",
      "Penyimpanan server penuh (53100): POST /admin/impor",
    ]);
    expect(errors).not.toMatch(/^\s+at /m);
  }, 240_000);
});
