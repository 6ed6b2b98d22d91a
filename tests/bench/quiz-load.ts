/**
 * Simultaneous quiz takers: `npm run bench:quiz-load` (needs DATABASE_URL: a throw-away
 * database is created on that PostgreSQL and dropped afterwards; only 127.0.0.1).
 *
 * N distinct kader with sessions created directly in the database (not N argon2 logins)
 * each open the quiz page, think 20–40 s, start an attempt (POST, then the question page),
 * think 20–40 s, and submit (POST, then the review page). Arrivals are spread over the
 * first 10 s of a step; a step ends when every kader is done or after BENCH_STEP_S (120 s)
 * — what is still running then counts as errors, so every step is bounded. Ramp N over
 * BENCH_N (500,1000,2000,4000) with WEB_CONCURRENCY over BENCH_WC (1,2), each after an untimed
 * warm-up (BENCH_WARM_UP kader, 300, taking the quiz without think time); a concurrency
 * stops ramping after its first failing step (p95 > 1 s or errors: a larger N cannot pass).
 *
 * Prints per step: requests, throughput, p50/p95/p99, errors, server RSS and CPU (all
 * app processes: primary and workers), server CPU per request; and per concurrency the
 * largest N with p95 ≤ 1 s and 0 errors. The load generator runs on the same machine.
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" writes CPU profiles of the server.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { benchDatabase, percentile, processUsage, startServer } from "./server";

const STEPS = (process.env.BENCH_N ?? "500,1000,2000,4000").split(",").map(Number);
const CONCURRENCY = (process.env.BENCH_WC ?? "1,2").split(",").map(Number);
const STEP_MS = Number(process.env.BENCH_STEP_S ?? 120) * 1000;
const THINK = [Number(process.env.BENCH_THINK_MIN_S ?? 20) * 1000, Number(process.env.BENCH_THINK_MAX_S ?? 40) * 1000];
const SLUG = process.env.BENCH_SLUG ?? "spm-kesehatan";
const DESA = "64.08.01.2001";
const TIMEOUT_MS = 30_000;

const bench = await benchDatabase();
if (!bench) {
  console.error("bench:quiz-load needs DATABASE_URL (PostgreSQL): several processes cannot share the embedded PGlite.");
  process.exit(2);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** During the warm-up the kader do not think. */
let warmingUp = false;
const think = () => (warmingUp ? sleep(0) : sleep(THINK[0] + Math.random() * (THINK[1] - THINK[0])));
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 300);

/** N kader with a session each, straight into the database. */
async function makeKader(sql: postgres.Sql, n: number, tag: string): Promise<string[]> {
  const cookies: string[] = [];
  const expires = new Date(Date.now() + 7 * 86_400_000);
  for (let off = 0; off < n; off += 1000) {
    const users = [];
    const sessions = [];
    for (let i = off; i < Math.min(n, off + 1000); i++) {
      const id = `bq${tag}${i}`.padEnd(15, "x").slice(0, 15);
      users.push({
        id,
        name: `Kader Beban ${tag}-${i}`,
        phone: `6289${tag}${String(i).padStart(6, "0")}`,
        role: "kader",
        scope_code: DESA,
        spm_bidang: "kesehatan",
        active: true,
      });
      const sid = randomBytes(20).toString("hex");
      sessions.push({ id: sid, user_id: id, expires_at: expires });
      cookies.push(`ap_sesi=${sid}`);
    }
    await sql`insert into users ${sql(users)}`;
    await sql`insert into sessions ${sql(sessions)}`;
  }
  return cookies;
}

interface Result {
  latencies: number[];
  errors: number;
  errorSamples: string[];
}

async function takeQuiz(base: string, cookie: string, r: Result, deadline: number): Promise<void> {
  const fail = (what: string) => {
    r.errors++;
    if (r.errorSamples.length < 5) r.errorSamples.push(what);
    return null;
  };
  /** One timed request (body read included); null and an error on a 4xx/5xx or a timeout. */
  const timed = async (
    path: string,
    body?: URLSearchParams,
  ): Promise<{ location: string | null; html: string } | null> => {
    if (Date.now() > deadline) return fail("step deadline");
    const t = performance.now();
    try {
      const res = await fetch(base + path, {
        method: body ? "POST" : "GET",
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
        body,
        headers: body
          ? { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" }
          : { Cookie: cookie },
      });
      const html = await res.text();
      r.latencies.push(performance.now() - t);
      if (res.status >= 400)
        return fail(
          `${body ? "POST" : "GET"} ${path}: ${res.status} ${html.match(/alert-error[^>]*>([^<]+)/)?.[1] ?? ""}`,
        );
      return { location: res.headers.get("location"), html };
    } catch (e) {
      return fail(`${path}: ${(e as Error).message}`);
    }
  };
  const page = await timed(`/modul/${SLUG}/kuis`);
  if (!page) return;
  const key = page.html.match(/name="idempotencyKey" value="([a-f0-9]{32})"/)?.[1];
  if (!key) return void fail("quiz page without a start form");
  await think();
  const attemptPath = (await timed(`/modul/${SLUG}/kuis`, new URLSearchParams({ idempotencyKey: key })))?.location;
  if (!attemptPath) return void fail("start without a redirect");
  const questions = await timed(attemptPath);
  if (!questions) return;
  await think();
  const answers = new URLSearchParams();
  for (const input of questions.html.match(/<input[^>]*name="q_[^>]*>/g) ?? []) {
    const name = input.match(/name="([^"]+)"/)![1];
    const value = input.match(/value="([^"]+)"/)![1];
    if (!answers.has(name)) answers.append(name, value); // the first option of each question
  }
  if (![...answers.keys()].length) return void fail(`question page without questions: ${questions.html.slice(0, 100)}`);
  if (!(await timed(attemptPath, answers))) return;
  await timed(attemptPath);
}

const admin = postgres(bench.url, { max: 2, onnotice: () => {} });
const summary: string[] = [];
let tag = 10;
try {
  for (const wc of CONCURRENCY) {
    const server = await startServer({
      DATABASE_URL: bench.url,
      WEB_CONCURRENCY: String(wc),
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? "10",
    });
    let best = 0;
    try {
      // A server that has been up a while: JIT-compiled code, compiled quiz, warm pools.
      // WARM_UP kader take the quiz without thinking, 20 at a time, untimed.
      if (WARM_UP > 0) {
        warmingUp = true;
        const cookies = await makeKader(admin, WARM_UP, String(tag++));
        const r: Result = { latencies: [], errors: 0, errorSamples: [] };
        const deadline = Date.now() + STEP_MS;
        for (let i = 0; i < cookies.length; i += 20)
          await Promise.all(cookies.slice(i, i + 20).map((c) => takeQuiz(server.baseUrl, c, r, deadline)));
        warmingUp = false;
        console.log(`WEB_CONCURRENCY=${wc} warm-up: ${r.latencies.length} requests, errors ${r.errors}`);
      }
      for (const n of STEPS) {
        const cookies = await makeKader(admin, n, String(tag++));
        const r: Result = { latencies: [], errors: 0, errorSamples: [] };
        const u0 = processUsage(server.pid);
        const t0 = performance.now();
        const deadline = Date.now() + STEP_MS;
        await Promise.all(
          cookies.map(async (c) => {
            await sleep(Math.random() * 10_000);
            await takeQuiz(server.baseUrl, c, r, deadline);
          }),
        );
        const wall = (performance.now() - t0) / 1000;
        const u1 = processUsage(server.pid);
        const lat = r.latencies.sort((a, b) => a - b);
        const cpu = u1.cpuSeconds - u0.cpuSeconds;
        const p95 = percentile(lat, 95);
        const pass = p95 <= 1000 && r.errors === 0;
        if (pass) best = n;
        const line =
          `WEB_CONCURRENCY=${wc} N=${String(n).padStart(4)}: ${lat.length} req in ${wall.toFixed(0)} s (${(lat.length / wall).toFixed(0)} req/s), ` +
          `p50 ${percentile(lat, 50).toFixed(0)} ms p95 ${p95.toFixed(0)} ms p99 ${percentile(lat, 99).toFixed(0)} ms, errors ${r.errors}, ` +
          `RSS ${(u1.rssBytes / 2 ** 20).toFixed(0)} MB (${u1.pids.length} proc), CPU ${cpu.toFixed(1)} s = ${((cpu / wall) * 100).toFixed(0)}% of a core, ` +
          `${lat.length ? ((cpu * 1000) / lat.length).toFixed(2) : "-"} ms CPU/req ${pass ? "PASS" : "FAIL"}`;
        console.log(line, r.errorSamples.length ? r.errorSamples : "");
        if (!pass) break;
        await sleep(2000);
      }
    } finally {
      await server.stop();
    }
    summary.push(`WEB_CONCURRENCY=${wc}: largest N with p95 ≤ 1 s and 0 errors: ${best || "none"}`);
  }
  console.log(summary.join("\n"));
} finally {
  await admin.end();
  await bench.drop();
}
