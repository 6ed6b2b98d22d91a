/**
 * Processes on a DATA_DIR of their own (the embedded database), for the lock and backup
 * tests: scripts run with tsx as `npm run …` would, and a holder that keeps the database
 * open and writes to it, as a running server does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const TSX = path.resolve("node_modules/.bin/tsx");

/** The environment of a development process on `dataDir` with the embedded database. */
export function embeddedEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("npm_")) delete env[k];
  delete env.DATABASE_URL;
  delete env.DATABASE_REPLICA_URL;
  return { ...env, NODE_ENV: "development", DATA_DIR: dataDir, ...extra };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file (a script of scripts/, or server.ts) to its end. */
export function runTsx(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [file, ...args], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`${file} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Holder {
  /** The pid of the process that opened the database (tsx runs the file in a child). */
  pid: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM (a clean stop: the lock is released) or SIGKILL (a crash), and waits for the end. */
  stop(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
}

/** Starts tests/fixtures/hold-data-dir.ts on `dataDir` and waits until it holds the database. */
export async function startHolder(dataDir: string, extra: Record<string, string> = {}): Promise<Holder> {
  // A process group of its own: tsx runs the file in a child, and nothing may outlive the test.
  const child = spawn(TSX, ["tests/fixtures/hold-data-dir.ts"], {
    env: embeddedEnv(dataDir, extra),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holder did not start\n${out}`)), 120_000);
    const poll = setInterval(() => {
      if (out.includes("siap")) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 50);
    void exited.then(() => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`holder exited\n${out}`));
    });
  });
  const lock = path.join(dataDir, "akademi.lock");
  const pid = existsSync(lock) ? (JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid : child.pid!;
  return {
    pid,
    child,
    output: () => out,
    stop: async (signal) => {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the group is gone
      }
    },
  };
}
