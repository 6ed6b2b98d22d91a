/**
 * The HTTP server: static assets, compression, the Remix request handler.
 *
 * `npm run serve` runs build/server.js (this file, compiled by `npm run build`) on the
 * production build; `npm run dev` runs this file with tsx and Vite in middleware mode.
 *
 * Configuration first: `.env` is read (the real environment wins) and every variable is
 * validated (app/env.server.ts); a bad value stops the start with one line.
 *
 * Processes: with PostgreSQL (DATABASE_URL) a small primary runs the start-up work
 * (migrations, seeds) once in a child, then forks WEB_CONCURRENCY workers (default: the
 * number of cores) and replaces any worker that dies. The embedded PGlite database
 * belongs to one process, so without DATABASE_URL there is exactly one process. The
 * primary itself is kept alive by the service manager (deploy/akademi-posyandu.service);
 * a worker whose primary is gone exits instead of serving on alone.
 *
 * Operations (README "Running at scale"): one JSON line per request on stdout
 * (app/request-log.server.ts), Prometheus metrics at /metrics for METRICS_TOKEN
 * (app/metrics.server.ts; with several workers the primary sums theirs), /healthz (alive)
 * and /readyz (database and migrations). SIGTERM drains: the listener closes, requests in
 * flight finish (at most DRAIN_MS), a request that still arrives on an open connection gets
 * 503 with Retry-After and Connection: close, then the database closes and the process exits 0.
 */
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { constants as zlibConstants } from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { AggregatorRegistry } from "prom-client";
import { databaseKind, type Env, EnvError, env, loadDotEnv } from "./app/env.server";
import { METRICS_REQUEST, METRICS_RESPONSE } from "./app/metrics.server";
import { FRESH_SET_COOKIE } from "./app/read-your-writes.server";

const dev = process.argv.includes("--dev");
const t0 = performance.now();

/**
 * Exit status of a start refused for its configuration (a bad variable, another signing key,
 * a pilot without admin): EX_CONFIG, which the systemd unit does not restart (a restart would
 * not help). Anything else (a crash, PostgreSQL unreachable) exits 1 and is restarted.
 */
const EXIT_CONFIG = 78;

/** After SIGTERM, requests in flight get this long to finish before the process closes anyway. */
const DRAIN_MS = 10_000;

let config: Env;
try {
  loadDotEnv();
  if (!dev && !process.env.NODE_ENV?.trim()) process.env.NODE_ENV = "production";
  config = env();
} catch (e) {
  if (!(e instanceof EnvError)) throw e;
  console.error(e.message);
  process.exit(EXIT_CONFIG);
}

type Entry = {
  boot(log?: (line: string) => void): Promise<void>;
  shutdown(): Promise<void>;
  startItemFold(): void;
  rewriteSuffixUrl(url: string): string | null;
  isPublicFilePath(path: string): boolean;
  httpPolicy: express.RequestHandler;
  trustProxySetting(hops: number): number | false;
  startupErrorMessage(error: unknown): string | null;
  RETRY_AFTER_SECONDS: number;
  requestLog(routes: ServerBuild["routes"], options?: { trustRequestId?: boolean }): express.RequestHandler;
  metricsEndpoint: express.RequestHandler;
  compressedAssets(dir: string): express.RequestHandler;
  RESPONSE_GZIP_LEVEL: number;
  RESPONSE_BROTLI_QUALITY: number;
  RESPONSE_BROTLI_LGWIN: number;
};
type Build = ServerBuild & { entry: { module: Entry } };

/** How many worker processes: one with PGlite, WEB_CONCURRENCY or the cores with PostgreSQL. */
export function workerCount(c: Pick<Env, "DATABASE_URL" | "WEB_CONCURRENCY"> = config): number {
  if (databaseKind(c) === "pglite") return 1;
  return c.WEB_CONCURRENCY ?? Math.min(availableParallelism(), 64);
}

/*
 * With PostgreSQL even one worker is forked (WEB_CONCURRENCY=1): the start-up work (migrations,
 * the demo seed: some 40 MB of heap still live afterwards) stays out of the process that serves,
 * and the worker gets the heap limits below. PGlite belongs to one process: no fork there.
 */
const role = config.AKADEMI_PROCESS ?? (dev || databaseKind(config) === "pglite" ? "single" : "primary");

/**
 * V8 heap flags of a forked worker (README "Memory"). A worker's live heap is 60–100 MB after a
 * full collection under load (`npm run bench:memory`), but V8 sizes its limit from the machine's
 * memory (4 GB here) and, with that much room, lets garbage pile up in the old space before it
 * collects: workers grew to 500–800 MB RSS of mostly garbage. A limit of WORKER_OLD_SPACE_MB
 * makes V8 collect earlier and keeps a worker under 300 MB RSS; the young generation keeps its
 * default (16 MB semi-spaces: smaller ones collect more often and cost CPU for little RSS).
 * A flag already given (node options or NODE_OPTIONS) wins.
 */
const WORKER_OLD_SPACE_MB = 192;
function workerExecArgv(): string[] {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  const flags = given.some((a) => a.startsWith("--max-old-space-size"))
    ? []
    : [`--max-old-space-size=${WORKER_OLD_SPACE_MB}`];
  return [...process.execArgv, ...flags];
}

if (role === "primary") await runPrimary();
else await runServer(role);

async function runPrimary(): Promise<void> {
  const n = workerCount();
  // Start-up work once, in a child of its own, so the primary stays small.
  const bootExit = await new Promise<number>((resolve) => {
    cluster.fork({ AKADEMI_PROCESS: "boot" }).on("exit", (code) => resolve(code ?? 1));
  });
  if (bootExit !== 0) process.exit(bootExit);
  // The heap limit for the workers only: the start-up work (a seed) may use more, once.
  cluster.setupPrimary({ execArgv: workerExecArgv() });
  let stopping = false;
  const deaths: number[] = [];
  const fork = () => cluster.fork({ AKADEMI_PROCESS: "worker" });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
    console.error(`Proses ${worker.process.pid} berhenti (${signal ?? code}); diganti proses baru.`);
    // A worker that dies at once, again and again, is not helped by forking it faster.
    setTimeout(fork, deaths.length > 5 ? 5_000 : 100);
  });
  for (let i = 0; i < n; i++) fork();
  let ready = 0;
  // A worker answering /metrics asks here; every worker's registry, summed (prom-client).
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (w, msg: unknown) => {
    const ask = msg as { type?: string; id?: number };
    if (ask?.type === METRICS_REQUEST) {
      aggregator.clusterMetrics().then(
        (text) => w.send({ type: METRICS_RESPONSE, id: ask.id, text }),
        (e: Error) => w.send({ type: METRICS_RESPONSE, id: ask.id, error: e.message }),
      );
      return;
    }
    if (msg === "ready" && ++ready === n) {
      console.log(
        `Akademi Posyandu siap di http://localhost:${config.PORT} (${n} proses, ${Math.round(performance.now() - t0)} ms)`,
      );
    }
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      // Each worker drains (at most DRAIN_MS) and exits; the primary waits for them all.
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      setTimeout(() => {
        console.error("Proses kerja belum berhenti setelah 15 detik; dihentikan paksa.");
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
        process.exit(1);
      }, DRAIN_MS + 5_000).unref();
      const exitWhenAlone = () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      };
      cluster.on("exit", exitWhenAlone);
      exitWhenAlone();
    });
  }
}

async function runServer(mode: "single" | "boot" | "worker"): Promise<void> {
  const vite = dev ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } })) : undefined;
  const buildPath = pathToFileURL(path.resolve("build/server/index.js")).href;
  const loadBuild = async (): Promise<Build> =>
    (vite ? await vite.ssrLoadModule("virtual:remix/server-build") : await import(buildPath)) as Build;

  // Validated environment and database first: a bad configuration stops the start.
  const build = await loadBuild();
  const entry = build.entry.module;
  try {
    await entry.boot(mode === "worker" ? () => {} : console.log);
  } catch (e) {
    const err = e as Error;
    // A bad configuration or an unreachable database: one readable line, not a stack.
    const refused = err?.name === "EnvError";
    console.error(refused ? err.message : (entry.startupErrorMessage(err) ?? err));
    process.exit(refused ? EXIT_CONFIG : 1);
  }
  if (mode === "boot") {
    await entry.shutdown();
    process.exit(0);
  }
  const app = express();
  app.disable("x-powered-by");
  // A hop count, never `true`: the client address is the one the trusted proxy saw.
  app.set("trust proxy", entry.trustProxySetting(config.TRUST_PROXY));
  // Prometheus, only with `Authorization: Bearer <METRICS_TOKEN>` (404 otherwise); not logged.
  app.use(entry.metricsEndpoint);
  // One JSON line per request, its X-Request-Id and its metrics (an id from a trusted proxy is kept).
  app.use(entry.requestLog(build.routes, { trustRequestId: config.TRUST_PROXY > 0 }));
  // Before anything reads a body or Remix runs its own checks: cross-site 403, body
  // limits 413, content types 415, control characters in the URL 400, security headers.
  app.use(entry.httpPolicy);
  // Requests in flight, for the drain after SIGTERM; one that arrives while draining (on a
  // connection that was open) is told to come back, on another connection.
  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  app.use((_req, res, next) => {
    inFlight++;
    res.once("close", () => {
      if (--inFlight === 0) drained?.();
    });
    if (!draining) return next();
    res.locals.unavailable = "draining";
    res.setHeader("Retry-After", String(entry.RETRY_AFTER_SECONDS));
    res.setHeader("Connection", "close");
    res.status(503).type("text/plain").send("Server sedang dimulai ulang. Coba lagi sebentar lagi.");
  });
  // COMPRESS=0: a reverse proxy in front compresses (and spends its CPU, not ours). Brotli when
  // the client takes it (browsers over HTTPS), else gzip; levels and window in app/lib/gzip-level.ts.
  if (config.COMPRESS)
    app.use(
      compression({
        level: entry.RESPONSE_GZIP_LEVEL,
        brotli: {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: entry.RESPONSE_BROTLI_QUALITY,
            [zlibConstants.BROTLI_PARAM_LGWIN]: entry.RESPONSE_BROTLI_LGWIN,
          },
        },
      }),
    );
  // A write (any non-GET request) marks this browser for a few seconds so its reports read the
  // primary and skip the dashboard cache (read-your-writes: app/read-your-writes.server.ts).
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.append("Set-Cookie", FRESH_SET_COOKIE);
    }
    next();
  });
  // A route param cannot carry a suffix (/sesi/12.ics, /dasbor/64.08.csv): one table of
  // rewrites in app/lib/suffix-url.ts maps them to routes; the Remix adapter reads originalUrl.
  app.use((req, _res, next) => {
    const to = entry.rewriteSuffixUrl(req.url);
    if (to) req.url = req.originalUrl = to;
    next();
  });
  if (vite) {
    app.use(vite.middlewares);
  } else {
    // Hashed files compressed once (brotli 11, gzip 9) for clients that take either; the rest as files.
    if (config.COMPRESS) app.use("/assets", entry.compressedAssets("build/client/assets"));
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
    // Other public files (favicon…): only paths that look like files reach the disk.
    const publicFiles = express.static("build/client", { maxAge: "1h", index: false });
    app.use((req, res, next) => (entry.isPublicFilePath(req.path) ? publicFiles(req, res, next) : next()));
  }
  app.all(
    "*",
    createRequestHandler({
      build: vite ? loadBuild : build,
      mode: config.NODE_ENV,
      getLoadContext: (req, res) => {
        res.locals.remix = true; // the request log names the route
        const context: AppLoadContext = {
          clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
          serverFault: null,
        };
        // A failure only because PostgreSQL could not be reached or the disk is full
        // (handleError marks the context: serverFault in app/db.server.ts) answers 503 with
        // Retry-After or 507, also for exports and other resource routes.
        const status = res.status.bind(res);
        res.status = (code: number) => {
          const fault = context.serverFault;
          if (code >= 500 && fault) {
            if (fault.status === 503) res.setHeader("Retry-After", String(entry.RETRY_AFTER_SECONDS));
            return status(fault.status);
          }
          return status(code);
        };
        return context;
      },
    }),
  );

  const server = app.listen(config.PORT, () => {
    // Graded answers into the item-statistics rollup, every ITEM_FOLD_MS (stopped by shutdown).
    entry.startItemFold();
    if (mode === "worker") process.send?.("ready");
    else
      console.log(
        `Akademi Posyandu siap di http://localhost:${config.PORT} (${Math.round(performance.now() - t0)} ms)`,
      );
  });
  // Drain: no new connections (server.close also closes idle kept-alive ones), requests in
  // flight finish (at most DRAIN_MS), then the remaining connections, the database, the process.
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (draining) return;
      draining = true;
      server.close();
      const finished = new Promise<boolean>((resolve) => {
        if (inFlight === 0) resolve(true);
        else drained = () => resolve(true);
      });
      const bound = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_MS).unref());
      Promise.race([finished, bound])
        .then((complete) => {
          if (!complete)
            console.error(`Berhenti: ${inFlight} permintaan belum selesai setelah ${DRAIN_MS / 1000} detik.`);
          server.closeAllConnections();
          return entry.shutdown();
        })
        .finally(() => process.exit(0));
    });
  }
}
