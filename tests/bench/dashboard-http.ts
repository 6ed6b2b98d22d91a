/**
 * The dashboard as a user gets it: over HTTP from the built server (loader, React render, the
 * SVG map, gzip), at national, provinsi, kabupaten, kecamatan and desa level (the biggest region
 * of each), with 1 and 10 concurrent users, on the PostgreSQL data set of seed:scale:
 *   DATABASE_URL=postgres://… npm run seed:scale -- --kader 1414244
 *   DATABASE_URL=postgres://… npm run bench:dashboard-http
 * Each user loops over the five pages (half of the views with ?tahun=<this year>) for
 * BENCH_SECONDS (20) per step after a warm-up; prints per level p50/p95/max and the gzip bytes
 * received, and per step the views/s and the server's CPU per view (all app processes).
 * Goal: p95 ≤ 50 ms at every level with 10 users. BENCH_USERS ("1,10"), WEB_CONCURRENCY (2).
 *
 * A page is computed once and served from the cache for up to 10 s (dashboard-page.server.tsx),
 * so the steps print both: the cost of computing each page (views marked as right after a
 * write, which always compute), and the loops as users see them, with how many of their views
 * were computed (miss) or served (hit), read from /metrics. Besides the closed loops (each user
 * asks again as soon as a page arrives) a step of 10 users who each view a page every
 * BENCH_THINK_MS (1000) ms: people reading a dashboard. Each step prints the peak RSS of every
 * server process, sampled every 0.5 s (goal ≤ 300 MB per worker).
 */
import http from "node:http";
import { sql } from "drizzle-orm";
import { lucia, SESSION_COOKIE } from "~/auth.server";
import { closeDb, db, dbKind, dbReady, rowsOf } from "~/db.server";
import { NATIONAL_CODE } from "~/lib/region";
import { peakRss, percentile, processUsage, startServer } from "./server";

await dbReady();
if (dbKind() !== "postgres") {
  console.error("bench:dashboard-http needs the PostgreSQL data set of seed:scale (set DATABASE_URL).");
  process.exit(2);
}
const USERS = (process.env.BENCH_USERS ?? "1,10").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WC = process.env.WEB_CONCURRENCY ?? "2";
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const METRICS_TOKEN = "bench-dashboard-metrics-token-0123456789";

// An admin at the root for the national page, the province admins of seed:scale for the others.
await db.execute(sql`insert into users (id, name, phone, role, scope_code, active)
  values ('sx0adminID', 'Admin Skala Nasional', '628980000099', 'admin', ${NATIONAL_CODE}, true) on conflict do nothing`);
const biggest = async (level: string) =>
  rowsOf<{ code: string; n: number }>(
    await db.execute(sql`select s.region_code as code, sum(s.active)::int as n from stats_kader s join regions r on r.code = s.region_code
      where r.level = ${level} and s.spm_bidang = '*' group by 1 order by 2 desc limit 1`),
  )[0];
const pages: { level: string; code: string; kader: number; cookie: string }[] = [];
const sessionIds: string[] = [];
for (const level of ["nasional", "provinsi", "kabupaten", "kecamatan", "desa"]) {
  const r = await biggest(level);
  const admin = level === "nasional" ? "sx0adminID" : `sx0admin${r.code.slice(0, 2)}`;
  const session = await lucia().createSession(admin, {});
  sessionIds.push(session.id);
  pages.push({ level, code: r.code, kader: Number(r.n), cookie: `${SESSION_COOKIE}=${session.id}` });
}
const [{ kader, practice }] = rowsOf<{ kader: number; practice: number }>(
  await db.execute(sql`select (select count(*) from users where role = 'kader')::int as kader,
    (select count(*) from practice_observations)::int as practice`),
);
console.log(
  `Data set: ${Number(kader).toLocaleString("en")} kader, ${Number(practice).toLocaleString("en")} practice observations; WEB_CONCURRENCY ${WC}`,
);

const server = await startServer({
  DATABASE_URL: process.env.DATABASE_URL!,
  WEB_CONCURRENCY: WC,
  METRICS_TOKEN,
});
const url = new URL(server.baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const year = new Date().getUTCFullYear();

/** One view: status, wire bytes (gzip as sent) and the time until the last byte. */
function view(path: string, cookie: string): Promise<{ ms: number; status: number; bytes: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path, agent, headers: { Cookie: cookie, "Accept-Encoding": "gzip" } },
      (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
        });
        res.on("end", () => resolve({ ms: performance.now() - t, status: res.statusCode ?? 0, bytes }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

/** Dashboard views counted by the server so far (all workers): computed (miss, fresh) and served (hit). */
async function pageCounts(): Promise<Record<string, number>> {
  const res = await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^akademi_dashboard_pages_total\{result="(\w+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}
const FRESH = "akademi_tulis=1"; // as right after a write: the page is computed, not served from the cache

try {
  // Warm-up: every page and its year variant a few times (the map's projection cache, plans).
  for (let i = 0; i < 3; i++)
    for (const p of pages) {
      for (const qs of ["", `?tahun=${year}`]) {
        const r = await view(`/dasbor/${p.code}${qs}`, p.cookie);
        if (r.status !== 200) throw new Error(`/dasbor/${p.code}${qs}: ${r.status}`);
      }
    }
  // The server's CPU per view of each page alone (one user, 20 views), computed and served.
  for (const mode of ["computed", "served"] as const) {
    console.log(
      mode === "computed"
        ? "\nComputing a page (a cache miss: views marked as right after a write; 1 user, 20 views each):"
        : "\nServing a page from the cache (1 user, 20 views each):",
    );
    for (const p of pages) {
      const cookie = mode === "computed" ? `${p.cookie}; ${FRESH}` : p.cookie;
      const before = processUsage(server.pid);
      const t: number[] = [];
      for (let i = 0; i < 20; i++) t.push((await view(`/dasbor/${p.code}${i % 2 ? `?tahun=${year}` : ""}`, cookie)).ms);
      const after = processUsage(server.pid);
      t.sort((a, b) => a - b);
      console.log(
        `  ${p.level.padEnd(9)} ${p.code.padEnd(14)} ${(((after.cpuSeconds - before.cpuSeconds) * 1000) / 20).toFixed(1).padStart(6)} ms CPU  p50 ${percentile(t, 50).toFixed(1)} ms  p95 ${percentile(t, 95).toFixed(1)} ms`,
      );
    }
  }
  const pass: boolean[] = [];
  const paced: boolean[] = [];
  let workerPeakMb = 0;
  const steps = [...USERS.map((users) => ({ users, think: 0 })), { users: 10, think: THINK_MS }];
  for (const { users, think } of steps) {
    const counts0 = await pageCounts();
    const times = new Map(pages.map((p) => [p.level, [] as number[]]));
    const bytes = new Map<string, number>();
    let errors = 0;
    const before = processUsage(server.pid);
    const rss = peakRss(server.pid);
    const start = performance.now();
    const deadline = start + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        for (let i = u; performance.now() < deadline; i++) {
          const p = pages[i % pages.length];
          const r = await view(`/dasbor/${p.code}${i % 2 ? `?tahun=${year}` : ""}`, p.cookie);
          if (r.status !== 200) errors++;
          times.get(p.level)!.push(r.ms);
          if (!(i % 2)) bytes.set(p.level, r.bytes);
          if (think) await new Promise((done) => setTimeout(done, think * (0.5 + Math.random())));
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const after = processUsage(server.pid);
    const peaks = rss.stop();
    const workers = peaks.filter((p) => p.role === "worker").map((p) => p.mb);
    workerPeakMb = Math.max(workerPeakMb, ...workers);
    const views = [...times.values()].reduce((s, t) => s + t.length, 0);
    const counts1 = await pageCounts();
    const delta = (k: string) => (counts1[k] ?? 0) - (counts0[k] ?? 0);
    const label = think
      ? `${users} users, each a view every ~${(think / 1000).toFixed(1)} s`
      : `${users} user${users > 1 ? "s" : ""} without pause`;
    console.log(
      `\n${label}, ${SECONDS} s: ${views} views (${delta("miss") + delta("fresh")} waited for a computation, ${delta("hit")} from the cache; ${delta("refresh")} pages computed again in the background), ${(views / seconds).toFixed(0)} views/s, ${errors} errors, server CPU ${(((after.cpuSeconds - before.cpuSeconds) * 1000) / views).toFixed(1)} ms per view, RSS ${(after.rssBytes / 1048576).toFixed(0)} MB (${after.pids.length} processes)`,
    );
    console.log(
      `  peak RSS during the step: primary ${peaks.find((p) => p.role === "primary")?.mb ?? 0} MB, workers ${workers.join(", ")} MB`,
    );
    for (const p of pages) {
      const t = times.get(p.level)!.sort((a, b) => a - b);
      const p95 = percentile(t, 95);
      if (users >= 10) (think ? paced : pass).push(p95 <= 50 && errors === 0);
      console.log(
        `  ${p.level.padEnd(9)} ${p.code.padEnd(14)} ${p.kader.toLocaleString("en").padStart(10)} kader  p50 ${percentile(t, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  max ${t.at(-1)!.toFixed(0).padStart(5)} ms  ${((bytes.get(p.level) ?? 0) / 1024).toFixed(1)} KB gzip${users >= 10 ? (p95 <= 50 ? "  ok" : "  OVER 50 ms") : ""}`,
      );
    }
  }
  // The largest export through a worker (its heap limit, server.ts): the biggest kabupaten's XLSX.
  {
    const kab = pages.find((p) => p.level === "kabupaten")!;
    for (const ext of ["csv", "xlsx"]) {
      const r = await view(`/dasbor/${kab.code}/${ext}`, kab.cookie);
      console.log(
        `Export ${ext.toUpperCase()} of ${kab.code} over HTTP: status ${r.status}, ${r.ms.toFixed(0)} ms, ${(r.bytes / 1024).toFixed(0)} KB`,
      );
    }
    const usage = processUsage(server.pid);
    console.log(
      `Server RSS after the exports: ${(usage.rssBytes / 1048576).toFixed(0)} MB (${usage.pids.length} processes)`,
    );
  }
  const verdict = (r: boolean[]) =>
    r.every(Boolean) ? "met" : `not met (${r.filter((x) => !x).length} of ${r.length} levels over)`;
  if (pass.length) console.log(`\nGoal p95 ≤ 50 ms at every level with 10 users without pause: ${verdict(pass)}`);
  console.log(
    `Goal ≤ 300 MB RSS per worker during these steps: ${workerPeakMb <= 300 ? "met" : "not met"} (peak ${workerPeakMb} MB)`,
  );
  if (paced.length)
    console.log(
      `Goal p95 ≤ 50 ms at every level with 10 users, a view every ~${THINK_MS / 1000} s each: ${verdict(paced)}`,
    );
} finally {
  agent.destroy();
  await server.stop();
  for (const id of sessionIds) await lucia().invalidateSession(id);
  await closeDb();
}
