/**
 * Capacity of the quiz path: `npm run bench:quiz-load` (needs DATABASE_URL: a throw-away
 * database is created on that PostgreSQL and dropped afterwards; only 127.0.0.1).
 *
 * The taker (printed with every run): a kader in an exam session keeps going, module after
 * module of her programme: open the module page, open its quiz, start (POST, then the
 * question page), answer, submit (POST, then the review page), next module: 6 requests per
 * module with think times of THINK_S (module 5 s, quiz page 5 s, answering 25 s, review 8 s,
 * each drawn ±50 %), about 0.14 requests/s per taker. A kader who has taken every quiz of
 * her programme is replaced by a fresh one (a new session; one attempt per quiz).
 *
 * Capacity is stated as requests/s and as sustained takers = requests/s ÷ the taker's rate,
 * against the goal: ≥ 500 quiz-path requests/s with p95 ≤ 1 s (≥ 3,500 sustained takers).
 *
 * BENCH_MODE=rate (default): the maximum request rate measured directly. K concurrent takers
 * without think time (a closed loop) for BENCH_RATE_S (20 s) per K over BENCH_K (8,16,32),
 * with WEB_CONCURRENCY over BENCH_WC (2), each after an untimed warm-up (BENCH_WARM_S, 8 s);
 * about a minute and a half. The capacity is the highest rate of a K with p95 ≤ 1 s and 0
 * errors.
 * BENCH_MODE=takers: N takers with think times (arrivals over the first BENCH_RAMP_S, 10 s) for
 * BENCH_STEP_S (60 s), N over BENCH_N (1000,2000,3500,5000): the sustained load itself; a
 * concurrency stops ramping after its first failing step (p95 > 1 s or errors).
 * BENCH_MODE=module: only module pages (GET /modul/<slug>, gzip), K over BENCH_K: the CPU
 * per module page.
 *
 * Prints per step: requests, throughput, p50/p95/p99, errors, server RSS and CPU (all app
 * processes: primary and workers), server CPU per request, and beside it the CPU per request
 * of PostgreSQL (every postgres process on the machine) and of the load generator (this
 * process): all three share the machine's cores, so their sum bounds the request rate.
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" writes CPU profiles of the server;
 *   `npx tsx tests/bench/profile-top.ts <file>` prints their top functions.
 */
import { Agent, request as httpRequest } from "node:http";
import { availableParallelism } from "node:os";
import { gunzipSync } from "node:zlib";
import postgres from "postgres";
import { kaderProgrammes } from "~/features/catalogue/content.server";
import { benchDatabase, makeKader, percentile, postgresCpuSeconds, processUsage, startServer } from "./server";

const MODE = process.env.BENCH_MODE ?? "rate";
if (!["rate", "takers", "module"].includes(MODE)) {
  console.error(`BENCH_MODE=${MODE}: rate, takers or module.`);
  process.exit(2);
}
const list = (v: string | undefined, d: string) => (v ?? d).split(",").map(Number);
const STEPS = list(process.env.BENCH_N, "1000,2000,3500,5000");
const KS = list(process.env.BENCH_K, "8,16,32");
const CONCURRENCY = list(process.env.BENCH_WC, "2");
const STEP_MS = Number(process.env.BENCH_STEP_S ?? 60) * 1000;
/**
 * Takers mode: the takers arrive over this many seconds. Ten seconds is a cohort that starts
 * together and moves in waves (module page, quiz page, start, then the submissions ~25 s
 * later); ~45 s, one module's cycle, spreads them to the steady state.
 */
const RAMP_MS = Number(process.env.BENCH_RAMP_S ?? 10) * 1000;
const RATE_MS = Number(process.env.BENCH_RATE_S ?? 20) * 1000;
const WARM_MS = Number(process.env.BENCH_WARM_S ?? 8) * 1000;
const SLUGS = process.env.BENCH_SLUGS?.split(",") ?? kaderProgrammes()[0].requiredModules;
const DESA = "64.08.01.2001";
const TIMEOUT_MS = 30_000;
const GOAL_RPS = 500;
const GOAL_P95_MS = 1000;

/** The taker's think times in seconds (means; each drawn ±50 %): after the module page, the quiz page, the questions, the review. */
const THINK_S = { module: 5, quiz: 5, answer: 25, review: 8 };
const REQUESTS_PER_MODULE = 6;
/** Requests per second of one taker (think time only; the server's answer times add a little). */
const TAKER_RATE = REQUESTS_PER_MODULE / Object.values(THINK_S).reduce((a, b) => a + b, 0);
const MODEL =
  `taker model: per module ${REQUESTS_PER_MODULE} requests (module page, quiz page, start POST + questions, ` +
  `submit POST + review), thinking ${THINK_S.module}+${THINK_S.quiz}+${THINK_S.answer}+${THINK_S.review} s ` +
  `= ${Object.values(THINK_S).reduce((a, b) => a + b, 0)} s per module: ${TAKER_RATE.toFixed(3)} requests/s per taker, ` +
  `${SLUGS.length} modules per kader, then a fresh kader`;

const bench = await benchDatabase();
if (!bench) {
  console.error("bench:quiz-load needs DATABASE_URL (PostgreSQL): several processes cannot share the embedded PGlite.");
  process.exit(2);
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Result {
  latencies: number[];
  /** When each timed request was sent (performance.now()), in the order of `latencies`. */
  sent: number[];
  /** How long each waited in this process for a connection (the agent's queue), same order. */
  waited: number[];
  errors: number;
  errorSamples: string[];
}
const newResult = (): Result => ({ latencies: [], sent: [], waited: [], errors: 0, errorSamples: [] });

/** Kader sessions handed out one after another; a run that uses them all is an error, not a hang. */
class KaderPool {
  private next = 0;
  constructor(private cookies: string[]) {}
  take(): string | null {
    return this.cookies[this.next++] ?? null;
  }
}

/**
 * The load generator's HTTP client: node:http on keep-alive connections, not fetch. On the
 * quiz path fetch (undici) cost this process 0.50-0.60 ms of CPU per request, this client
 * 0.17-0.22 ms (2026-12-06), on the cores the server and PostgreSQL share. It asks for gzip
 * like fetch did (`Accept-Encoding: gzip, deflate`) and reads every body, but inflates only
 * the two pages the taker reads (the quiz page and the questions) and error pages.
 */
// timeout: an idle connection is closed before the server's 5 s keep-alive ends (Node's
// agent applies the server's Keep-Alive hint only below its own timeout; without one, a
// taker back from thinking reused a connection the server was closing: "socket hang up").
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 });

function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  parse: boolean,
): Promise<{ status: number; location: string | null; html: string; waitedMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let waitedMs = 0;
    const req = httpRequest(
      url,
      { method, agent, headers: { ...headers, "Accept-Encoding": "gzip, deflate" }, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          const read = parse || status >= 400;
          const html = !read
            ? ""
            : res.headers["content-encoding"] === "gzip"
              ? gunzipSync(raw).toString("utf8")
              : raw.toString("utf8");
          const location = res.headers.location;
          resolve({ status, location: typeof location === "string" ? location : null, html, waitedMs });
        });
      },
    );
    req.on("socket", () => {
      waitedMs = performance.now() - t0;
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** One timed request (body read included); null and an error on a 4xx/5xx or a timeout. */
async function timed(
  base: string,
  cookie: string,
  r: Result,
  path: string,
  body?: URLSearchParams,
  parse = false,
): Promise<{ location: string | null; html: string } | null> {
  const fail = (what: string) => {
    r.errors++;
    if (r.errorSamples.length < 5) r.errorSamples.push(what);
    return null;
  };
  const t = performance.now();
  try {
    const res = await request(
      new URL(path, base),
      body ? "POST" : "GET",
      body ? { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" } : { Cookie: cookie },
      body?.toString(),
      parse,
    );
    r.latencies.push(performance.now() - t);
    r.sent.push(t);
    r.waited.push(res.waitedMs);
    if (res.status >= 400)
      return fail(
        `${body ? "POST" : "GET"} ${path}: ${res.status} ${res.html.match(/alert-error[^>]*>([^<]+)/)?.[1] ?? ""}`,
      );
    return res;
  } catch (e) {
    return fail(`${path}: ${(e as Error).message}`);
  }
}

/** One module of the exam session: 6 requests; false when something failed. */
async function takeModule(
  base: string,
  cookie: string,
  slug: string,
  r: Result,
  think: (s: number) => Promise<void>,
): Promise<boolean> {
  const fail = (what: string) => {
    r.errors++;
    if (r.errorSamples.length < 5) r.errorSamples.push(what);
    return false;
  };
  if (!(await timed(base, cookie, r, `/modul/${slug}`))) return false;
  await think(THINK_S.module);
  const page = await timed(base, cookie, r, `/modul/${slug}/kuis`, undefined, true);
  if (!page) return false;
  const key = page.html.match(/name="idempotencyKey" value="([a-f0-9]{32})"/)?.[1];
  if (!key) return fail(`${slug}: quiz page without a start form`);
  await think(THINK_S.quiz);
  const start = await timed(base, cookie, r, `/modul/${slug}/kuis`, new URLSearchParams({ idempotencyKey: key }));
  const attemptPath = start?.location;
  if (!attemptPath) return start ? fail(`${slug}: start without a redirect`) : false;
  const questions = await timed(base, cookie, r, attemptPath, undefined, true);
  if (!questions) return false;
  const answers = new URLSearchParams();
  for (const input of questions.html.match(/<input[^>]*name="q_[^>]*>/g) ?? []) {
    const name = input.match(/name="([^"]+)"/)![1];
    const value = input.match(/value="([^"]+)"/)![1];
    if (!answers.has(name)) answers.append(name, value); // the first option of each question
  }
  if (![...answers.keys()].length) return fail(`${slug}: question page without questions`);
  await think(THINK_S.answer);
  if (!(await timed(base, cookie, r, attemptPath, answers))) return false;
  if (!(await timed(base, cookie, r, attemptPath))) return false;
  await think(THINK_S.review);
  return true;
}

/** A taker until the deadline: module after module, a fresh kader after the last module. */
async function taker(base: string, pool: KaderPool, r: Result, deadline: number, thinking: boolean): Promise<void> {
  const think = thinking ? (s: number) => sleep(s * 1000 * (0.5 + Math.random())) : async () => {};
  let first = true;
  while (Date.now() < deadline) {
    const cookie = pool.take();
    if (!cookie) {
      r.errors++;
      r.errorSamples.push("kader pool used up (raise the pool)");
      return;
    }
    // Takers do not all start at the first module.
    const offset = first ? Math.floor(Math.random() * SLUGS.length) : 0;
    first = false;
    for (let i = offset; i < SLUGS.length && Date.now() < deadline; i++) {
      if (!(await takeModule(base, cookie, SLUGS[i], r, think))) break;
    }
  }
}

/** Module pages only, `k` in flight, until the deadline. */
async function modulePages(base: string, cookie: string, r: Result, deadline: number): Promise<void> {
  for (let i = 0; Date.now() < deadline; i++) {
    if (!(await timed(base, cookie, r, `/modul/${SLUGS[i % SLUGS.length]}`))) return;
  }
}

const admin = postgres(bench.url, { max: 2, onnotice: () => {} });
let tag = 10;
/** The rows of bench:quiz-load's kader (ids bq…, phones 6289…), one tag per batch. */
const takerTag = () => {
  const t = String(tag++);
  return { id: `bq${t}`, phone: `6289${t}`, name: `Kader Beban ${t}`, desa: DESA, days: 7 };
};

/** Sessions for a run of `ms` at up to `rps` requests/s (a kader makes 6 × modules requests). */
const poolFor = async (takers: number, ms: number, rps: number) =>
  new KaderPool(
    await makeKader(
      admin,
      takers + Math.ceil((rps * ms) / 1000 / (REQUESTS_PER_MODULE * SLUGS.length)) * 2 + 50,
      takerTag(),
    ),
  );

const CORES = availableParallelism();
const perReq = (seconds: number, n: number) => (n ? ((seconds * 1000) / n).toFixed(2) : "-");

interface Step {
  label: string;
  rps: number;
  p95: number;
  pass: boolean;
}

/**
 * Requests sent in each `windowS`-second window of the run: rate and p95 of each, so a ramp
 * that queues shows where (takers mode; the printed totals cover the drain after the step too).
 */
function byWindow(r: Result, t0: number, windowS: number, stepMs: number): string {
  const windows = new Map<number, { lat: number[]; waited: number[] }>();
  r.sent.forEach((t, i) => {
    const w = Math.floor((t - t0) / 1000 / windowS);
    const win = windows.get(w) ?? { lat: [], waited: [] };
    win.lat.push(r.latencies[i]);
    win.waited.push(r.waited[i]);
    windows.set(w, win);
  });
  const p95 = (xs: number[]) =>
    percentile(
      xs.sort((a, b) => a - b),
      95,
    ).toFixed(0);
  const inStep = r.sent.filter((t) => t - t0 < stepMs).length;
  const parts = [...windows]
    .sort(([a], [b]) => a - b)
    .map(
      ([w, { lat, waited }]) =>
        `${w * windowS}-${(w + 1) * windowS} s ${(lat.length / windowS).toFixed(0)}/s p95 ${p95(lat)} (waiting for a connection here ${p95(waited)})`,
    );
  return `  sent during the step: ${(inStep / (stepMs / 1000)).toFixed(0)} req/s; per ${windowS} s by send time, ms: ${parts.join(" | ")}`;
}

/** Runs `work` and prints its line: throughput, latency, errors, server RSS and CPU. */
async function measured(
  label: string,
  pid: number,
  work: (r: Result) => Promise<unknown>,
  windows?: { windowS: number; stepMs: number },
): Promise<Step> {
  const r = newResult();
  const u0 = processUsage(pid);
  const pg0 = postgresCpuSeconds();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await work(r);
  const wall = (performance.now() - t0) / 1000;
  const u1 = processUsage(pid);
  const pg = postgresCpuSeconds() - pg0;
  const own = process.cpuUsage(own0);
  const gen = (own.user + own.system) / 1e6;
  const lat = [...r.latencies].sort((a, b) => a - b);
  const cpu = u1.cpuSeconds - u0.cpuSeconds;
  const p95 = percentile(lat, 95);
  const pass = p95 <= GOAL_P95_MS && r.errors === 0;
  const rps = lat.length / wall;
  console.log(
    `${label}: ${lat.length} req in ${wall.toFixed(0)} s (${rps.toFixed(0)} req/s), ` +
      `p50 ${percentile(lat, 50).toFixed(0)} ms p95 ${p95.toFixed(0)} ms p99 ${percentile(lat, 99).toFixed(0)} ms, errors ${r.errors}, ` +
      `RSS ${(u1.rssBytes / 2 ** 20).toFixed(0)} MB (${u1.pids.length} proc), CPU ${cpu.toFixed(1)} s = ${((cpu / wall) * 100).toFixed(0)}% of a core, ` +
      `${lat.length ? ((cpu * 1000) / lat.length).toFixed(2) : "-"} ms CPU/req; ` +
      `per request also PostgreSQL ${perReq(pg, lat.length)} ms, load generator ${perReq(gen, lat.length)} ms ` +
      `(all three: ${perReq(cpu + pg + gen, lat.length)} ms of the machine's ${CORES} cores) ${pass ? "PASS" : "FAIL"}`,
    r.errorSamples.length ? r.errorSamples : "",
  );
  if (windows) console.log(byWindow(r, t0, windows.windowS, windows.stepMs));
  return { label, rps, p95, pass };
}

console.log(`bench:quiz-load BENCH_MODE=${MODE}; ${MODEL}`);
console.log(
  `goal: ≥ ${GOAL_RPS} quiz-path requests/s with p95 ≤ ${GOAL_P95_MS} ms = ≥ ${Math.round(GOAL_RPS / TAKER_RATE)} sustained takers`,
);
const summary: string[] = [];
try {
  for (const wc of CONCURRENCY) {
    const server = await startServer({
      DATABASE_URL: bench.url,
      WEB_CONCURRENCY: String(wc),
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? "10",
    });
    const steps: Step[] = [];
    try {
      const base = server.baseUrl;
      // A server that has been up a while: JIT-compiled code, compiled quizzes, warm pools.
      if (WARM_MS > 0) {
        const pool = await poolFor(16, WARM_MS, 1000);
        const r = newResult();
        const deadline = Date.now() + WARM_MS;
        await Promise.all(Array.from({ length: 16 }, () => taker(base, pool, r, deadline, false)));
        console.log(`WEB_CONCURRENCY=${wc} warm-up: ${r.latencies.length} requests, errors ${r.errors}`);
      }
      if (MODE === "takers") {
        for (const n of STEPS) {
          const pool = await poolFor(n, STEP_MS, n * TAKER_RATE * 1.5);
          const step = await measured(
            `WEB_CONCURRENCY=${wc} N=${String(n).padStart(5)} takers arriving over ${RAMP_MS / 1000} s`,
            server.pid,
            (r) => {
              const deadline = Date.now() + STEP_MS;
              return Promise.all(
                Array.from({ length: n }, async () => {
                  await sleep(Math.random() * RAMP_MS);
                  await taker(base, pool, r, deadline, true);
                }),
              );
            },
            { windowS: 10, stepMs: STEP_MS },
          );
          steps.push(step);
          if (!step.pass) break;
          await sleep(2000);
        }
        const best = steps.filter((s) => s.pass).at(-1);
        summary.push(
          `WEB_CONCURRENCY=${wc}: largest step with p95 ≤ 1 s and 0 errors: ${best ? `${best.label.trim()} at ${best.rps.toFixed(0)} req/s` : "none"}`,
        );
      } else {
        for (const k of KS) {
          let step: Step;
          if (MODE === "module") {
            const [cookie] = await makeKader(admin, 1, takerTag());
            step = await measured(`WEB_CONCURRENCY=${wc} K=${String(k).padStart(3)} module pages`, server.pid, (r) => {
              const deadline = Date.now() + RATE_MS;
              return Promise.all(Array.from({ length: k }, () => modulePages(base, cookie, r, deadline)));
            });
          } else {
            const pool = await poolFor(k, RATE_MS, 1500);
            step = await measured(
              `WEB_CONCURRENCY=${wc} K=${String(k).padStart(3)} takers, no think time`,
              server.pid,
              (r) => {
                const deadline = Date.now() + RATE_MS;
                return Promise.all(Array.from({ length: k }, () => taker(base, pool, r, deadline, false)));
              },
            );
          }
          steps.push(step);
          await sleep(1000);
        }
        const best = steps.filter((s) => s.pass).sort((a, b) => b.rps - a.rps)[0];
        const rps = best?.rps ?? 0;
        summary.push(
          MODE === "module"
            ? `WEB_CONCURRENCY=${wc}: module pages: ${rps.toFixed(0)} req/s with p95 ≤ 1 s`
            : `WEB_CONCURRENCY=${wc}: capacity ${rps.toFixed(0)} quiz-path requests/s with p95 ≤ 1 s and 0 errors` +
                (best
                  ? ` (${best.label.match(/K=\s*\d+/)?.[0].replace(/\s+/, "")}, p95 ${best.p95.toFixed(0)} ms)`
                  : "") +
                ` = ${Math.round(rps / TAKER_RATE)} sustained takers at ${TAKER_RATE.toFixed(3)} requests/s each; ` +
                `goal ≥ ${GOAL_RPS} req/s (≥ ${Math.round(GOAL_RPS / TAKER_RATE)} takers): ${rps >= GOAL_RPS ? "MET" : "NOT MET"}`,
        );
      }
    } finally {
      await server.stop();
    }
  }
  console.log(summary.join("\n"));
} finally {
  await admin.end();
  await bench.drop();
}
