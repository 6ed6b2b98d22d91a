/**
 * The built server (`node build/server.js`, what `npm start` runs) for the tests that start it
 * as an operator would: tests/operations.test.ts, tests/pilot-server.test.ts and
 * tests/cluster.test.ts. Builds when the build is stale, starts a server with exactly the
 * environment given, and stops every server this test file started.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Builds when build/ is missing or older than the sources (CI's clean clone builds once). */
export function ensureBuild(): void {
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  const built = existsSync("build/server.js") ? statSync("build/server.js").mtimeMs : 0;
  if (built > Math.max(newest("app"), statSync("server.ts").mtimeMs)) return;
  const b = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (b.status !== 0) throw new Error("build failed");
}

/** A free-looking port in 20000–59999 (each test file picks its own). */
export const randomPort = () => 20000 + Math.floor(Math.random() * 40000);

export interface BuiltServer {
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything it wrote so far. */
  stdout: () => string;
  stderr: () => string;
  /** Its exit status, once it stops. */
  exited: Promise<number | null>;
  /** SIGTERM; resolves when it has stopped. */
  stop: () => Promise<void>;
}

/** A server that stopped before it listened: its status and output. */
export interface StoppedServer {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Every server started by this test file and still running (stopAll). */
const children = new Set<ChildProcess>();

/**
 * Starts the built server with exactly `env` (PORT added) and resolves when it listens ("siap
 * di http" on stdout), or with its status and output when it stops first. Killed when it does
 * not listen within `timeoutMs`.
 */
export function startBuiltServer(
  env: NodeJS.ProcessEnv,
  { port = randomPort(), timeoutMs = 240_000 }: { port?: number; timeoutMs?: number } = {},
): Promise<BuiltServer | StoppedServer> {
  const child = spawn(process.execPath, ["build/server.js"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const exited = new Promise<number | null>((r) =>
    child.on("exit", (code) => {
      children.delete(child);
      r(code);
    }),
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start in ${timeoutMs / 1000} s\n${out}\n${err}`));
    }, timeoutMs);
    child.stdout!.on("data", () => {
      if (!out.includes("siap di http")) return;
      clearTimeout(timer);
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        child,
        stdout: () => out,
        stderr: () => err,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.on("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: out.trim(), stderr: err.trim() });
    });
  });
}

/** The server, or an error with its output when it stopped before it listened. */
export function running(s: BuiltServer | StoppedServer): BuiltServer {
  if (!("url" in s)) throw new Error(`the server stopped (${s.status}):\n${s.stdout}\n${s.stderr}`);
  return s;
}

/** SIGTERM to every server still running, SIGKILL to any still there after `graceMs` (afterAll). */
export async function stopAll(graceMs = 10_000): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, graceMs))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }),
  );
}
