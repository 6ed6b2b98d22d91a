/**
 * The Prometheus metrics of this process, in one registry (prom-client), and /metrics.
 *
 * Not public: /metrics answers only a request with `Authorization: Bearer <METRICS_TOKEN>`;
 * without METRICS_TOKEN, or with another token, it answers 404 like a path that does not
 * exist. With several processes (WEB_CONCURRENCY > 1) each worker keeps its own registry and
 * /metrics asks the primary, which sums every worker's (prom-client's AggregatorRegistry;
 * server.ts): one scrape sees the whole instance, whichever worker answers it.
 *
 * Kept on globalThis: server.ts and the Remix build (and Vite's reloads in development) share
 * one registry per process.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import cluster from "node:cluster";
import { AggregatorRegistry, Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { env } from "./env.server"; // relative: server.ts imports this file (tsx from any folder)

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process memory, CPU, event loop lag, heap
  const r = { registers: [registry] };
  return {
    registry,
    httpDuration: new Histogram({
      name: "akademi_http_request_duration_seconds",
      help: "Duration of HTTP requests by Remix route id ('404' = no route) and method.",
      labelNames: ["route", "method"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ...r,
    }),
    httpResponses: new Counter({
      name: "akademi_http_responses_total",
      help: "HTTP responses by route id, method and status.",
      labelNames: ["route", "method", "status"] as const,
      ...r,
    }),
    unavailable: new Counter({
      name: "akademi_http_503_total",
      help: "503 answers by reason: draining (SIGTERM), database-unavailable, other.",
      labelNames: ["reason"] as const,
      ...r,
    }),
    outboxSyncs: new Counter({
      name: "akademi_outbox_syncs_total",
      help: "Posts sent from a phone's offline outbox (X-Akun header) by result: ok, refused (409: another account), error.",
      labelNames: ["result"] as const,
      ...r,
    }),
    dbPoolSize: new Gauge({
      name: "akademi_db_pool_size",
      help: "Configured PostgreSQL connections per process (DB_POOL_SIZE; 1 for the embedded database).",
      ...r,
    }),
    dbInFlight: new Gauge({
      name: "akademi_db_queries_in_flight",
      help: "Queries and transactions sent to PostgreSQL and not yet answered; above the pool size they wait for a connection.",
      labelNames: ["database"] as const,
      ...r,
    }),
    replicaLag: new Gauge({
      name: "akademi_db_replica_lag_seconds",
      help: "Seconds the read replica is behind the primary (last check; -1 = unreachable). Absent without a replica.",
      labelNames: ["database"] as const,
      ...r,
    }),
    reads: new Counter({
      name: "akademi_db_report_reads_total",
      help: "Report reads (onReplica) by the database that served them: replica or primary.",
      labelNames: ["target"] as const,
      ...r,
    }),
    dashboardPages: new Counter({
      name: "akademi_dashboard_pages_total",
      help: "Dashboard views by how the page was made: hit (served from the cache), miss (computed), fresh (computed: the browser had just written); refresh: a computation in the background (a hit past half the max age).",
      labelNames: ["result"] as const,
      ...r,
    }),
    certificatesIssued: new Counter({
      name: "akademi_certificates_issued_total",
      help: "Certificates inserted (a new one; not one already in force).",
      ...r,
    }),
    rollupRefresh: new Histogram({
      name: "akademi_rollup_refresh_seconds",
      help: "Time to refresh the reporting rollups: kader (refreshKaderProgress), rebuild (rebuildReporting) or item-fold (foldItemStats).",
      labelNames: ["kind"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      ...r,
    }),
  };
}

type Metrics = ReturnType<typeof createMetrics>;
const g = globalThis as unknown as { __akademiMetrics?: Metrics };

export function metrics(): Metrics {
  if (!g.__akademiMetrics) {
    g.__akademiMetrics = createMetrics();
    if (cluster.isWorker) {
      // Answers the primary's AggregatorRegistry with this registry (the constructor adds the listener).
      AggregatorRegistry.setRegistries(g.__akademiMetrics.registry);
      new AggregatorRegistry();
    }
  }
  return g.__akademiMetrics;
}

/** Seconds `fn` took, observed in `histogram` (also when it throws). */
export async function timed<T>(kind: "kader" | "rebuild" | "item-fold", fn: () => Promise<T>): Promise<T> {
  const end = metrics().rollupRefresh.startTimer({ kind });
  try {
    return await fn();
  } finally {
    end();
  }
}

/** The IPC messages between a worker and the primary for one scrape (server.ts answers them). */
export const METRICS_REQUEST = "akademi:metrics-request";
export const METRICS_RESPONSE = "akademi:metrics-response";

let nextAsk = 0;
/** The whole instance's metrics: this process's, or every worker's summed by the primary. */
async function instanceMetrics(): Promise<string> {
  if (!cluster.isWorker || !process.send) return metrics().registry.metrics();
  const id = nextAsk++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("primary did not answer"));
    }, 6_000);
    const onMessage = (m: unknown) => {
      const msg = m as { type?: string; id?: number; text?: string; error?: string };
      if (msg?.type !== METRICS_RESPONSE || msg.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (msg.error !== undefined) reject(new Error(msg.error));
      else resolve(msg.text ?? "");
    };
    process.on("message", onMessage);
    process.send!({ type: METRICS_REQUEST, id });
  });
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). */
export function metricsAuthorized(authorization: string | undefined, token = env().METRICS_TOKEN): boolean {
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  return timingSafeEqual(digest(authorization.slice(7).trim()), digest(token));
}

/** GET /metrics, before anything else of the app (server.ts): 404 unless authorized. */
export async function metricsEndpoint(
  req: { method: string; path: string; headers: { authorization?: string } },
  res: {
    status(code: number): unknown;
    setHeader(name: string, value: string): unknown;
    end(body?: string): unknown;
  },
  next: () => void,
): Promise<void> {
  if (req.path !== "/metrics") return next();
  res.setHeader("Cache-Control", "no-store");
  if (!metricsAuthorized(req.headers.authorization) || (req.method !== "GET" && req.method !== "HEAD")) {
    res.status(404);
    res.setHeader("Content-Type", "text/plain; charset=utf-8");
    res.end("Tidak ditemukan.");
    return;
  }
  try {
    const text = await instanceMetrics();
    res.status(200);
    res.setHeader("Content-Type", metrics().registry.contentType);
    res.end(text);
  } catch (e) {
    res.status(503);
    res.setHeader("Content-Type", "text/plain; charset=utf-8");
    res.end(`Metrik tidak tersedia: ${(e as Error).message}`);
  }
}
