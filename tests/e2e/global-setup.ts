/**
 * Builds the app and starts it on a free port with a fresh embedded database (demo
 * mode), exactly as `npm start` does. The browser tests talk to that server.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

let server: ChildProcess | undefined;
let dataDir: string | undefined;

export default async function setup(project: TestProject) {
  if (!process.env.E2E_SKIP_BUILD) {
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("build failed");
  }
  dataDir = mkdtempSync(path.join(tmpdir(), "akademi-e2e-"));
  const port = Number(process.env.E2E_PORT) || 20000 + Math.floor(Math.random() * 40000);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "production" };
  delete env.DATABASE_URL;
  server = spawn("node", ["build/server.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    // The demo seed takes 90 s or more on a busy 2-core machine (E2E_START_TIMEOUT_S to change).
    const limit = Number(process.env.E2E_START_TIMEOUT_S ?? 300);
    const timer = setTimeout(() => {
      server?.kill("SIGKILL");
      reject(new Error(`server did not start in ${limit} s`));
    }, limit * 1000);
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("siap di http")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server!.stdout!.on("data", onData);
    server!.stderr!.on("data", (c: Buffer) => process.stderr.write(c));
    server!.on("exit", (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  project.provide("baseUrl", `http://127.0.0.1:${port}`);
  return async () => {
    // Wait for the server to close its database (it exits on SIGTERM), then make sure it is gone.
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
