/**
 * One process per DATA_DIR with the embedded database (issue 24): a second process (a
 * second server, a migration, a seed) is refused with one line naming the holder; a lock
 * left by a killed process is taken over; the lock goes when its process exits; of several
 * processes starting at once exactly one gets it. Real processes on real directories.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir, processDescription, releaseDataDir } from "~/data-dir-lock.server";
import { embeddedEnv, runTsx, startHolder, type Holder } from "./data-dir-process";

const holders: Holder[] = [];
afterAll(async () => {
  for (const h of holders) await h.stop("SIGKILL");
});

function newDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), "akademi-kunci-"));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The one line a refused process prints: no stack, the holder's pid and what it is. */
function expectOneLineNaming(stderr: string, holder: Holder, what: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`sedang dipakai proses lain \\(pid ${holder.pid}: `));
  expect(lines[0]).toMatch(what);
}

describe("two processes on one DATA_DIR", () => {
  it("a second server, a migration and a seed are refused with one line naming the process that holds it", async () => {
    const dir = newDataDir();
    const holder = await startHolder(dir, { npm_lifecycle_event: "start", PORT: "3999" });
    holders.push(holder);

    const migrate = await runTsx("scripts/migrate.ts", [], embeddedEnv(dir));
    expect(migrate.code, migrate.stdout + migrate.stderr).toBe(1);
    expectOneLineNaming(migrate.stderr, holder, /npm start, port 3999, sejak .* WITA\)\. .*hentikan proses itu dulu/);

    const seed = await runTsx("scripts/seed-demo.ts", [], embeddedEnv(dir, { npm_lifecycle_event: "seed:demo" }));
    expect(seed.code, seed.stdout + seed.stderr).toBe(1);
    expectOneLineNaming(seed.stderr, holder, /npm start, port 3999/);

    // A second server (the development server: the same start-up as `npm start`).
    const port = await freePort();
    const server = await runTsx("server.ts", ["--dev"], embeddedEnv(dir, { PORT: String(port) }));
    expect(server.code, server.stdout + server.stderr).toBe(1);
    expectOneLineNaming(server.stderr, holder, /npm start, port 3999/);
    expect(server.stdout).not.toMatch(/siap di http/);

    // The holder kept its database and still writes.
    expect(holder.child.exitCode).toBeNull();
    expect(holder.output()).not.toMatch(/error|Error/);
  }, 240_000);

  it("a lock left by a killed process is taken over; a process that ends releases it", async () => {
    const dir = newDataDir();
    const holder = await startHolder(dir, { npm_lifecycle_event: "start" });
    holders.push(holder);
    const lock = path.join(dir, "akademi.lock");
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(holder.pid);
    await holder.stop("SIGKILL");
    expect(existsSync(lock)).toBe(true); // left behind by the crash

    const migrate = await runTsx("scripts/migrate.ts", [], embeddedEnv(dir));
    expect(migrate.code, migrate.stdout + migrate.stderr).toBe(0);
    expect(migrate.stderr).toMatch(
      new RegExp(
        `Kunci DATA_DIR dari proses ${holder.pid} \\(npm start, port 3000\\) yang sudah berhenti diambil alih`,
      ),
    );
    expect(migrate.stdout).toMatch(/Migrasi selesai \(pglite\)/);
    expect(existsSync(lock)).toBe(false); // released at its end

    // A clean stop (SIGTERM) releases it too.
    const again = await startHolder(dir);
    holders.push(again);
    expect(existsSync(lock)).toBe(true);
    await again.stop("SIGTERM");
    expect(again.child.exitCode).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 240_000);

  it("of six processes taking the lock at the same moment, exactly one gets it, also over a stale lock", async () => {
    for (const stale of [false, true]) {
      const dir = newDataDir();
      if (stale) {
        writeFileSync(
          path.join(dir, "akademi.lock"),
          JSON.stringify({
            pid: 2 ** 22 + 7,
            start: null,
            host: hostname(),
            what: "npm start",
            since: new Date().toISOString(),
          }),
        );
      }
      const at = String(Date.now() + 6_000);
      const runs = await Promise.all(
        Array.from({ length: 6 }, () =>
          runTsx("tests/fixtures/lock-data-dir.ts", [], embeddedEnv(dir, { LOCK_AT: at })),
        ),
      );
      const got = runs.filter((r) => r.stdout.trim() === "dapat");
      expect(got, runs.map((r) => r.stdout + r.stderr).join("\n")).toHaveLength(1);
      for (const r of runs.filter((x) => !got.includes(x)))
        expect(r.stdout).toMatch(/sedang (dipakai proses lain|diperebutkan)/);
      expect(existsSync(path.join(dir, "akademi.lock"))).toBe(false);
    }
  }, 120_000);
});

describe("lock file rules", () => {
  const lockOf = (dir: string) => path.join(dir, "akademi.lock");
  const write = (dir: string, h: object) => writeFileSync(lockOf(dir), JSON.stringify(h));

  it("a holder on another machine is not guessed at: refused, with the file to delete", () => {
    const dir = newDataDir();
    write(dir, {
      pid: process.pid,
      start: null,
      host: "server-lain",
      what: "npm start, port 3000",
      since: "2025-01-01T02:00:00Z",
    });
    const e = (() => {
      try {
        lockDataDir(dir, "uji");
      } catch (x) {
        return x;
      }
    })() as DataDirLockedError;
    expect(e).toBeInstanceOf(DataDirLockedError);
    expect(e.message).toBe(
      `DATA_DIR ${dir} sedang dipakai proses di komputer lain (server-lain, pid ${process.pid}: npm start, port 3000, sejak 2025-01-01 10:00 WITA). ` +
        `Hentikan proses itu dulu; bila sudah pasti tidak berjalan, hapus berkas ${lockOf(dir)}.`,
    );
  });

  it("a reused pid, this process's own pid from an earlier life, or an unreadable file is stale", () => {
    const warn = console.warn;
    console.warn = () => {};
    try {
      // pid 1 runs, but it is not the process that wrote the lock (another start time).
      for (const h of [
        { pid: 1, start: "1", host: hostname(), what: "npm start", since: "" },
        { pid: process.pid, start: null, host: hostname(), what: "npm start", since: "" },
      ]) {
        const dir = newDataDir();
        write(dir, h);
        lockDataDir(dir, "uji");
        expect(JSON.parse(readFileSync(lockOf(dir), "utf8"))).toMatchObject({ pid: process.pid, what: "uji" });
        releaseDataDir(dir);
        expect(existsSync(lockOf(dir))).toBe(false);
      }
      const dir = newDataDir();
      writeFileSync(lockOf(dir), "");
      lockDataDir(dir, "uji");
      releaseDataDir(dir);
    } finally {
      console.warn = warn;
    }
  });

  it("names the process: the npm script, and the port of a server", () => {
    expect(processDescription({ npm_lifecycle_event: "start", PORT: "8080" }, ["node", "build/server.js"])).toBe(
      "npm start, port 8080",
    );
    expect(processDescription({ npm_lifecycle_event: "backup" }, ["node", "scripts/backup.ts"])).toBe("npm run backup");
    expect(processDescription({}, ["node", "/srv/akademi/build/server.js"])).toBe("server.js, port 3000");
    expect(processDescription({}, ["node", "scripts/certify.ts"])).toBe("certify.ts");
  });
});
