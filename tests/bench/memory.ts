/**
 * Server memory under a mixed load: `npm run bench:memory` (needs DATABASE_URL: a throw-away
 * database is created on that PostgreSQL and dropped afterwards).
 *
 * Starts the built server (demo data) with WEB_CONCURRENCY over BENCH_WC (1,2) and drives,
 * for BENCH_MEMORY_S seconds each (90), BENCH_USERS virtual users (16) without think time,
 * each picking one of: a module page of a kader (40%), a whole quiz (open, start, answer,
 * submit, review) of a fresh kader (30%), the dashboard of one of the province's regions
 * in turn (provinsi, kabupaten, kecamatan, desa: 20%), an export of one (CSV or XLSX, 10%).
 * Every 15 s it prints RSS, V8 heap used/total and the old space of every server process
 * (tests/bench/memory-probe.cjs, loaded with --require, reports them from inside each
 * process), and at the end the entries of every bounded cache (app/lib/lru.ts), the heap
 * after a forced full collection (--expose-gc: what is live, not garbage), and the steady
 * value (the largest RSS of a worker over the last 45 s) against the goal of 300 MB.
 * Two runs of 90 s stay under 5 minutes with the start-ups.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { benchDatabase, loginCookie, makeKader, startServer } from "./server";

const GOAL_MB = 300;
const CONCURRENCY = (process.env.BENCH_WC ?? "1,2").split(",").map(Number);
const RUN_MS = Number(process.env.BENCH_MEMORY_S ?? 90) * 1000;
const USERS = Number(process.env.BENCH_USERS ?? 16);
const SAMPLE_MS = 15_000;
const SLUGS = ["spm-kesehatan", "spm-pendidikan", "permendagri-13-2024", "spm-pekerjaan-umum", "spm-perumahan-rakyat"];
const DESA = "64.08.01.2001";
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)}`;

const bench = await benchDatabase();
if (!bench) {
  console.error("bench:memory needs DATABASE_URL (PostgreSQL): several processes cannot share the embedded PGlite.");
  process.exit(2);
}

interface Probe {
  pid: number;
  role: string;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  oldSpace: number;
  newSpace: number;
  external: number;
  heapLimit: number;
  caches: { name: string; size: number; limit: number }[];
  afterGc: { rss: number; heapUsed: number; heapTotal: number; external: number } | null;
}

function probes(dir: string): Probe[] {
  const out: Probe[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    try {
      const p = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Probe & { at: number };
      if (Date.now() - p.at < 3000) out.push(p); // still alive (the boot process has exited)
    } catch {
      // being replaced
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** The processes that serve: the workers (with PostgreSQL even WEB_CONCURRENCY=1 forks one), else the one process. */
function serving(ps: Probe[]): Probe[] {
  const workers = ps.filter((p) => p.role === "worker");
  return workers.length ? workers : ps.filter((p) => p.role === "main");
}

const admin = postgres(bench.url, { max: 2, onnotice: () => {} });
const probeDir = mkdtempSync(path.join(tmpdir(), "akademi-memori-"));
const summary: string[] = [];
process.env.BENCH_NODE_ARGS =
  `${process.env.BENCH_NODE_ARGS ?? ""} --expose-gc --require ${path.resolve("tests/bench/memory-probe.cjs")}`.trim();
let tag = 10;
try {
  for (const wc of CONCURRENCY) {
    const server = await startServer({
      DATABASE_URL: bench.url,
      WEB_CONCURRENCY: String(wc),
      AKADEMI_MODE: "demo", // the demo accounts and data, on PostgreSQL
      MEMORY_PROBE_DIR: probeDir,
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? "10",
    });
    const base = server.baseUrl;
    try {
      const kaderCookie = await loginCookie(base, "081100000006");
      const adminCookie = await loginCookie(base, "081100000001");
      const regions = (
        await admin<
          { code: string }[]
        >`select code from regions where code like '64%' order by length(code), code limit 600`
      ).map((r) => r.code);
      const takers = await makeKader(admin, 4000, {
        id: `bm${tag}`,
        phone: `6288${tag}`,
        name: `Kader Memori ${tag++}`,
        desa: DESA,
        days: 1,
      });
      let nextTaker = 0;
      let nextRegion = 0;
      let requests = 0;
      let errors = 0;
      const errorSamples = new Set<string>();
      const get = async (url: string, cookie: string, body?: URLSearchParams) => {
        requests++;
        const res = await fetch(base + url, {
          method: body ? "POST" : "GET",
          redirect: "manual",
          body,
          signal: AbortSignal.timeout(30_000),
          headers: {
            Cookie: cookie,
            "Accept-Encoding": "gzip",
            ...(body ? { Origin: base, "Content-Type": "application/x-www-form-urlencoded" } : {}),
          },
        }).catch((e: Error) => ({ status: 599, statusText: e.message, text: async () => "", headers: new Headers() }));
        const text = await res.text();
        if (res.status >= 400) {
          errors++;
          if (errorSamples.size < 5) errorSamples.add(`${body ? "POST" : "GET"} ${url}: ${res.status}`);
        }
        return { text, location: res.headers.get("location") };
      };
      const quiz = async () => {
        const cookie = takers[nextTaker++ % takers.length];
        const slug = "spm-kesehatan";
        const page = await get(`/modul/${slug}/kuis`, cookie);
        const key = page.text.match(/name="idempotencyKey" value="([a-f0-9]{32})"/)?.[1];
        if (!key) return;
        const attempt = (await get(`/modul/${slug}/kuis`, cookie, new URLSearchParams({ idempotencyKey: key })))
          .location;
        if (!attempt) return;
        const questions = await get(attempt, cookie);
        const answers = new URLSearchParams();
        for (const input of questions.text.match(/<input[^>]*name="q_[^>]*>/g) ?? []) {
          const name = input.match(/name="([^"]+)"/)![1];
          if (!answers.has(name)) answers.append(name, input.match(/value="([^"]+)"/)![1]);
        }
        await get(attempt, cookie, answers);
        await get(attempt, cookie);
      };
      const one = async () => {
        const r = Math.random();
        if (r < 0.4) await get(`/modul/${SLUGS[Math.floor(Math.random() * SLUGS.length)]}`, kaderCookie);
        else if (r < 0.7) await quiz();
        else if (r < 0.9) await get(`/dasbor/${regions[nextRegion++ % regions.length]}`, adminCookie);
        else {
          const code = regions[Math.floor(Math.random() * Math.min(regions.length, 40))];
          await get(`/dasbor/${code}.${Math.random() < 0.7 ? "csv" : "xlsx"}`, adminCookie);
        }
      };

      const t0 = Date.now();
      const history = new Map<number, number[]>();
      const print = (label: string) => {
        const ps = probes(probeDir);
        for (const p of serving(ps)) history.set(p.pid, [...(history.get(p.pid) ?? []), p.rss]);
        console.log(
          `WEB_CONCURRENCY=${wc} ${label.padStart(5)}  ${String(requests).padStart(6)} req  ` +
            ps
              .map(
                (p) =>
                  `${p.role} ${p.pid}: RSS ${mb(p.rss)} MB, heap ${mb(p.heapUsed)}/${mb(p.heapTotal)} MB (old ${mb(p.oldSpace)}, new ${mb(p.newSpace)}), external ${mb(p.external)} MB`,
              )
              .join(" | "),
        );
      };
      print("0 s");
      const sampler = setInterval(() => print(`${Math.round((Date.now() - t0) / 1000)} s`), SAMPLE_MS);
      await Promise.all(
        Array.from({ length: USERS }, async () => {
          while (Date.now() - t0 < RUN_MS) await one();
        }),
      );
      clearInterval(sampler);
      print(`${Math.round((Date.now() - t0) / 1000)} s`);
      const seconds = (Date.now() - t0) / 1000;
      console.log(
        `WEB_CONCURRENCY=${wc}: ${requests} requests in ${seconds.toFixed(0)} s (${(requests / seconds).toFixed(0)} req/s), errors ${errors}`,
        errorSamples.size ? [...errorSamples] : "",
      );
      // A full collection in every worker: the heap that survives is live, the rest was garbage.
      for (const p of probes(probeDir)) process.kill(p.pid, "SIGUSR2");
      await new Promise((r) => setTimeout(r, 1500));
      for (const p of probes(probeDir).filter((x) => x.role !== "boot")) {
        console.log(
          `  ${p.role} ${p.pid}: heap limit ${mb(p.heapLimit)} MB; after a full GC: RSS ${p.afterGc ? mb(p.afterGc.rss) : "?"} MB, heap used ${p.afterGc ? mb(p.afterGc.heapUsed) : "?"} MB (was ${mb(p.heapUsed)} MB before)`,
        );
        console.log(`    caches: ${p.caches.map((c) => `${c.name} ${c.size}/${c.limit}`).join(", ") || "-"}`);
      }
      // Steady: the largest RSS of each worker over the last three samples (45 s).
      const steady = [...history.values()].map((h) => Math.max(...h.slice(-3)));
      const worst = Math.max(...steady);
      const line = `WEB_CONCURRENCY=${wc}: steady RSS per worker ${steady.map((s) => `${mb(s)} MB`).join(", ")} (goal ≤ ${GOAL_MB} MB) ${worst <= GOAL_MB * 2 ** 20 ? "OK" : "OVER"}`;
      console.log(line);
      summary.push(line);
    } finally {
      await server.stop();
    }
  }
  console.log(summary.join("\n"));
} finally {
  await admin.end();
  await bench.drop();
  rmSync(probeDir, { recursive: true, force: true });
}
