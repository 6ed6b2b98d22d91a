/**
 * PostgreSQL restarts while writes are in flight (`npm run test:restart`).
 *
 * Starts its own throw-away PostgreSQL cluster (port RESTART_PGPORT, default 5441), the
 * production build (`npm run build` unless RESTART_SKIP_BUILD=1) with WEB_CONCURRENCY=2,
 * then runs a write load (posyandu created through the real form, each with a unique
 * registration number) while PostgreSQL stops (`pg_ctl stop -m fast`), stays down 1.5 s and starts again. Checks:
 *
 * - no app process died (the driver patch; the primary would replace one, but none should);
 * - the site answers again within 10 s of the restart;
 * - every acknowledged write (302) is in the database exactly once, with its audit entry;
 *   nothing was written twice;
 * - a request that failed because the database was down got 503 with Retry-After, never 500.
 *
 * Prints its figures; exits 1 on any failed check.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const PGPORT = Number(process.env.RESTART_PGPORT ?? 5441);
const PORT = 20000 + Math.floor(Math.random() * 40000);
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENTS = 8;
const LOAD_MS = 14_000;
const RESTART_AT_MS = 4_000;
const DOWN_MS = 1_500;

function pgBin(): string {
  const which = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return path.dirname(which.stdout.trim());
  const dirs = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))
    : [];
  for (const d of dirs) if (existsSync(`/usr/lib/postgresql/${d}/bin/pg_ctl`)) return `/usr/lib/postgresql/${d}/bin`;
  throw new Error("PostgreSQL (initdb, pg_ctl) tidak ditemukan.");
}

const bin = pgBin();
const dir = mkdtempSync(path.join(tmpdir(), "akademi-restart-"));
const root = process.getuid?.() === 0;
const asPg = (cmd: string, args: string[]) =>
  root
    ? spawnSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { encoding: "utf8" })
    : spawnSync(path.join(bin, cmd), args, { encoding: "utf8" });
const pgctl = (...args: string[]) => {
  const r = asPg("pg_ctl", ["-D", path.join(dir, "data"), "-l", path.join(dir, "server.log"), ...args]);
  if (r.status !== 0) throw new Error(`pg_ctl ${args.join(" ")}: ${r.stderr || r.stdout}`);
};

let server: ChildProcess | undefined;
let failed = false;
const check = (ok: boolean, line: string) => {
  console.log(`${ok ? "OK  " : "GAGAL"} ${line}`);
  if (!ok) failed = true;
};

async function main() {
  if (root) chownSync(dir, Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim()), 0);
  const init = asPg("initdb", [
    "-D",
    path.join(dir, "data"),
    "-U",
    "akademi",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  if (init.status !== 0) throw new Error(init.stderr);
  pgctl("-w", "-o", `-h 127.0.0.1 -p ${PGPORT} -k ${dir} -c max_connections=100 -c fsync=off`, "start");
  const DATABASE_URL = `postgres://akademi@127.0.0.1:${PGPORT}/postgres`;

  if (process.env.RESTART_SKIP_BUILD !== "1") {
    const b = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("build gagal");
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL,
    PORT: String(PORT),
    WEB_CONCURRENCY: "2",
    APP_URL: BASE,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    CERT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    DATA_DIR: path.join(dir, "app"),
    DB_POOL_SIZE: "4",
  };
  let log = "";
  server = spawn("node", ["build/server.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (c: Buffer) => (log += c.toString()));
  server.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server tidak siap dalam 90 s:\n${log}`)), 90_000);
    const poll = setInterval(() => {
      if (log.includes("siap di http")) {
        clearTimeout(t);
        clearInterval(poll);
        resolve();
      }
    }, 100);
    server!.on("exit", (code) => reject(new Error(`server berhenti (${code}):\n${log}`)));
  });

  // An admin and its session, written straight into the same database.
  process.env.DATABASE_URL = DATABASE_URL;
  process.env.NODE_ENV = "test";
  const { makeUser } = await import("~/demo/factories.server");
  const { lucia } = await import("~/auth.server");
  const { closeDb, db } = await import("~/db.server");
  const { sql } = await import("drizzle-orm");
  const admin = await makeUser({ role: "admin", scopeCode: "64" });
  const cookie = `ap_sesi=${(await lucia().createSession(admin.id, {})).id}`;

  const acknowledged: string[] = [];
  const errors = new Map<string, number>();
  let seq = 0;
  let restartAt = 0;
  let firstOkAfterRestart = 0;
  let missingRetryAfter = 0;
  let backAt = 0;
  const stopAt = Date.now() + LOAD_MS;
  const t0 = Date.now();
  // Stop, stay down for DOWN_MS (so requests do meet a database that is gone), start again.
  setTimeout(() => {
    restartAt = Date.now();
    pgctl("-m", "fast", "-w", "stop");
    setTimeout(() => {
      pgctl("-w", "start", "-o", `-h 127.0.0.1 -p ${PGPORT} -k ${dir} -c max_connections=100 -c fsync=off`);
      backAt = Date.now();
      console.log(
        `PostgreSQL dihentikan pada ${restartAt - t0} ms, mati ${DOWN_MS} ms, jalan lagi setelah ${Date.now() - restartAt} ms.`,
      );
    }, DOWN_MS);
  }, RESTART_AT_MS);

  async function client(n: number) {
    while (Date.now() < stopAt) {
      const reg = `9${String(n).padStart(2, "0")}${String(++seq).padStart(10, "0")}`;
      const body = new URLSearchParams({ name: `Posyandu Uji ${reg}`, desaCode: "64.08.01.2003", registrationNo: reg });
      try {
        const res = await fetch(`${BASE}/posyandu/baru`, {
          method: "POST",
          body,
          redirect: "manual",
          headers: { Cookie: cookie, Origin: BASE },
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (res.status === 302) {
          acknowledged.push(reg);
          if (backAt && !firstOkAfterRestart) firstOkAfterRestart = Date.now();
        } else {
          errors.set(String(res.status), (errors.get(String(res.status)) ?? 0) + 1);
          // 503 with one Retry-After and the page that says why (not the generic error page).
          if (
            res.status === 503 &&
            (res.headers.get("Retry-After") !== "5" || !text.includes("tidak dapat menghubungi basis data"))
          )
            missingRetryAfter++;
        }
      } catch (e) {
        const key = (e as Error).name === "TimeoutError" ? "timeout" : "koneksi";
        errors.set(key, (errors.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));

  const rows = (await db.execute(
    sql`select registration_no as reg from posyandu where registration_no like '9%'`,
  )) as unknown as { reg: string }[];
  const audits = (await db.execute(
    sql`select count(*)::int as n from audit_log a join posyandu p on a.entity = 'posyandu' and a.entity_id = p.id::text and p.registration_no like '9%' where a.action = 'posyandu.create'`,
  )) as unknown as { n: number }[];
  const inDb = new Map<string, number>();
  for (const r of rows) inDb.set(r.reg, (inDb.get(r.reg) ?? 0) + 1);
  const lost = acknowledged.filter((r) => !inDb.has(r));
  const doubled = [...inDb.values()].filter((c) => c > 1).length;
  const deaths = (log.match(/berhenti \(/g) ?? []).length;

  console.log(
    `Beban: ${CLIENTS} klien selama ${LOAD_MS / 1000} s; ${acknowledged.length} tulis diakui, ${rows.length} baris di basis data; gagal: ${JSON.stringify(Object.fromEntries(errors))}.`,
  );
  if (process.env.RESTART_LOG) console.log(log);
  check(deaths === 0 && server.exitCode === null, `tidak ada proses yang mati (${deaths} diganti)`);
  const recovery = firstOkAfterRestart ? firstOkAfterRestart - backAt : Infinity;
  check(
    recovery <= 10_000,
    `situs menjawab lagi ${recovery === Infinity ? "tidak pernah" : `${recovery} ms`} setelah PostgreSQL jalan lagi`,
  );
  check(
    !errors.has("500") && missingRetryAfter === 0 && (errors.get("503") ?? 0) > 0,
    `permintaan yang gagal karena basis data mati dijawab 503 dengan Retry-After dan pesan basis data, bukan 500 (${errors.get("500") ?? 0} × 500, ${errors.get("503") ?? 0} × 503)`,
  );
  check(lost.length === 0, `tidak ada tulis yang diakui hilang (${lost.length} hilang)`);
  check(doubled === 0, `tidak ada yang tertulis ganda (${doubled})`);
  check(
    Number(audits[0].n) === rows.length,
    `setiap posyandu punya satu entri audit (${audits[0].n} / ${rows.length})`,
  );
  await closeDb();
}

try {
  await main();
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  try {
    pgctl("-m", "immediate", "stop");
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
