/** Starts the built app on a free loopback port with a fresh embedded database (demo data). */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface BenchServer {
  baseUrl: string;
  stop(): Promise<void>;
  startupMs: number;
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  if (!existsSync("build/server.js") || process.env.BENCH_BUILD) {
    const b = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("build failed");
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-bench-"));
  const port = Number(process.env.BENCH_PORT) || 3900 + Math.floor(Math.random() * 90);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "production", ...extraEnv };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  const t0 = performance.now();
  const child: ChildProcess = spawn("node", ["build/server.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error("server did not start")), Number(process.env.BENCH_START_TIMEOUT_MS) || 120_000);
    child.stdout!.on("data", (c: Buffer) => {
      log += c.toString();
      if (log.includes("siap di http")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}\n${log}`)));
  });
  const startupMs = performance.now() - t0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    startupMs,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
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
  const cookie = res.headers.get("set-cookie");
  if (res.status !== 302 || !cookie) throw new Error(`login failed: ${res.status}`);
  return cookie.split(";")[0];
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
