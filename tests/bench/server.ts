/**
 * Starts the built app on a free loopback port with a fresh embedded database (demo data),
 * or, with `benchDatabase()`, on a fresh database of the PostgreSQL in DATABASE_URL.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Conn } from "~/db.server";
import { refreshKaderProgress } from "~/features/projection/projection.server";
import { FRESH_COOKIE } from "~/read-your-writes.server";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface BenchServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
  startupMs: number;
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  if (!existsSync("build/server.js") || process.env.BENCH_BUILD) {
    const b = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("build failed");
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-bench-"));
  const port = Number(process.env.BENCH_PORT) || 20000 + Math.floor(Math.random() * 40000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    // Production refuses to start without its public address; the bench server is local.
    APP_URL: `http://127.0.0.1:${port}`,
    ...extraEnv,
  };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  else {
    // Production with PostgreSQL needs real secrets; the same for every process of the run.
    env.SESSION_SECRET ??= benchSecrets.SESSION_SECRET;
    env.CERT_SIGNING_KEY ??= benchSecrets.CERT_SIGNING_KEY;
  }
  const t0 = performance.now();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child: ChildProcess = spawn("node", [...nodeArgs, "build/server.js"], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(
      () => reject(new Error("server did not start")),
      Number(process.env.BENCH_START_TIMEOUT_MS) || 120_000,
    );
    const onData = (c: Buffer) => {
      log += c.toString();
      if (log.includes("siap di http")) {
        clearTimeout(timer);
        // From here on stdout carries one JSON line per request: read and dropped. Kept and
        // searched (as it was until 2026-12-06), it cost this process ~0.7 ms of CPU per
        // request, on the cores the server shares, and grew without bound.
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        log = "";
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited ${code}\n${log}`)));
  });
  const startupMs = performance.now() - t0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    startupMs,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await new Promise<void>((r) => {
        const t = setTimeout(r, 10_000);
        child.once("exit", () => (clearTimeout(t), r()));
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function loginCookie(baseUrl: string, phone: string, password = "posyandu-demo"): Promise<string> {
  const res = await fetch(`${baseUrl}/masuk`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ login: phone, password }),
  });
  // The session cookie (the answer to a write also carries the read-your-writes cookie).
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => !c.startsWith(`${FRESH_COOKIE}=`));
  if (res.status !== 302 || !cookie) throw new Error(`login failed: ${res.status}`);
  return cookie;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

/** `total` requests with at most `concurrency` in flight; returns sorted latencies in ms. */
export async function load(concurrency: number, total: number, one: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  async function worker() {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      await one(i);
      latencies.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

/**
 * The secrets of bench servers, kept in .cache/ (git-ignored) so that a long-lived data set
 * (seed:scale) keeps one signing key: the first issue records it and a start with another
 * key is refused.
 */
export const benchSecrets = ((): { SESSION_SECRET: string; CERT_SIGNING_KEY: string } => {
  const file = path.resolve(".cache/bench-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const made = {
    SESSION_SECRET: randomBytes(32).toString("hex"),
    CERT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
  return made;
})();

/** A throw-away database on the PostgreSQL of DATABASE_URL (null without one). */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = process.env.DATABASE_URL;
  if (!admin) return null;
  const name = `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${name}"`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const s = postgres(admin, { max: 1, onnotice: () => {} });
      await s.unsafe(`drop database if exists "${name}" with (force)`);
      await s.end();
    },
  };
}

/** A process's name and CPU time in clock ticks (user + system), from /proc/<pid>/stat; throws when it is gone. */
function procStat(pid: number | string): { name: string; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ticks: Number(f[11]) + Number(f[12]) };
}

/** RSS bytes of one process (0 when it is gone). */
function rssOf(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // gone meanwhile
  }
}

/** CPU seconds (user + system) and RSS bytes of a process and its children (cluster workers). */
export function processUsage(pid: number): { cpuSeconds: number; rssBytes: number; pids: number[] } {
  const pids = [pid, ...childPids(pid)];
  let ticks = 0;
  let rss = 0;
  for (const p of pids) {
    try {
      ticks += procStat(p).ticks;
    } catch {
      // gone meanwhile
    }
    rss += rssOf(p);
  }
  return { cpuSeconds: ticks / 100, rssBytes: rss, pids };
}

/**
 * The highest RSS of each process of the server (the primary, then its workers), sampled
 * every `everyMs` until `stop()` is called: what a worker holds under a load, not only after it.
 */
export function peakRss(pid: number, everyMs = 500): { stop: () => { pid: number; role: string; mb: number }[] } {
  const peak = new Map<number, number>();
  const sample = () => {
    for (const p of [pid, ...childPids(pid)]) peak.set(p, Math.max(peak.get(p) ?? 0, rssOf(p)));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return [...peak].map(([p, bytes]) => ({
        pid: p,
        role: p === pid ? "primary" : "worker",
        mb: Math.round(bytes / 1048576),
      }));
    },
  };
}

/**
 * CPU seconds of every PostgreSQL process on this machine (server, backends, background
 * workers; what exited is not counted): the database's share of a benchmark's CPU when it
 * runs on the same cores.
 */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = procStat(p);
      if (stat.name.startsWith("postgres")) ticks += stat.ticks;
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

function childPids(pid: number): number[] {
  try {
    const out: number[] = [];
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim();
      for (const k of kids ? kids.split(" ").map(Number) : []) out.push(k, ...childPids(k));
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * N kader with a session each, straight into the database (not N argon2 logins): ids
 * `<id><i>` padded to 15, phones `<phone><i:6>`, names `<name>-<i>`, in `desa`; the cookies.
 */
export async function makeKader(
  sql: postgres.Sql,
  n: number,
  tag: { id: string; phone: string; name: string; desa: string; days: number },
): Promise<string[]> {
  const cookies: string[] = [];
  const expires = new Date(Date.now() + tag.days * 86_400_000);
  // The app's refresh through drizzle on this client. drizzle sets the client's date
  // serializers to pass strings through, so the sessions' expiry goes in as a string.
  const conn = drizzle(sql) as unknown as Conn;
  for (let off = 0; off < n; off += 1000) {
    const users = [];
    const sessions = [];
    for (let i = off; i < Math.min(n, off + 1000); i++) {
      const id = `${tag.id}${i}`.padEnd(15, "x").slice(0, 15);
      users.push({
        id,
        name: `${tag.name}-${i}`,
        phone: `${tag.phone}${String(i).padStart(6, "0")}`,
        role: "kader",
        scope_code: tag.desa,
        spm_bidang: "kesehatan",
        active: true,
      });
      const sid = randomBytes(20).toString("hex");
      sessions.push({ id: sid, user_id: id, expires_at: expires.toISOString() });
      cookies.push(`ap_sesi=${sid}`);
    }
    await sql`insert into users ${sql(users)}`;
    await sql`insert into sessions ${sql(sessions)}`;
    // Their reporting rows, as the app writes them when it creates an account (users.server.ts,
    // the roster import). Without them each kader's first graded quiz inserted her row and
    // moved every rollup row of her desa up to the nation: 3,500 new kader in ten seconds
    // queued on the same rows (bench:quiz-load BENCH_MODE=takers, 2026-12-06: 354 ms per
    // refresh, p95 47 s), which no exam session of registered kader does.
    await refreshKaderProgress(
      users.map((u) => u.id),
      conn,
    );
  }
  return cookies;
}
