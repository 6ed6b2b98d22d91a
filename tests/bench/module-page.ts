/**
 * Module page weight and latency.
 *   npx tsx tests/bench/module-page.ts
 * Prints what a kader's phone downloads (the bytes on the wire, tests/bench/weigh.ts): the HTML and
 * every stylesheet and script the page links, as fetched, on the first load of a module page
 * (nothing cached) and on a second navigation (hashed assets cached); then the first load of
 * every module (the heaviest must be <= 14 KB, the goal of issue 23; every page of every area:
 * `npm run bench:weights`), then p50/p95 latency at 50 concurrent requests on loopback.
 * The service worker itself (/sw.js) is fetched after load and printed apart, as are
 * "Simpan semua modul", the kader's home (Beranda) and the login page (signed out).
 * Targets: heaviest first load <= 14 KB on the wire (brotli, as Chrome over HTTPS), p95 < 50 ms.
 * With DATABASE_URL set it runs against that PostgreSQL database (run
 * `AKADEMI_MODE=demo npm run seed:demo` into it first); otherwise on a fresh embedded PGlite
 * with demo data.
 */
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { content } from "~/features/catalogue/content.server";
import { loginCookie, percentile, startServer } from "./server";
import { kb, type PageWeight, Visitor } from "./weigh";

class SkipLatency extends Error {}

const server = await startServer(
  // startServer gives PostgreSQL runs random secrets (a typed one is refused in production).
  process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, AKADEMI_MODE: "demo" } : {},
);
const base = server.baseUrl;
try {
  const cookie = await loginCookie(base, "081100000006");
  const kader = new Visitor(base, cookie);
  const gz = async (path: string) => {
    const res = await kader.fetch(path);
    const body = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      body,
      gzip: gzipSync(body, { level: 6 }).length,
      cacheControl: res.headers.get("cache-control"),
    };
  };
  const line = (what: string, w: PageWeight) =>
    `  ${what.padEnd(13)}HTML ${kb(w.html)}  CSS ${kb(w.css)} (${w.styles.join(", ")})  JS ${kb(w.js)} (${w.scripts.join(", ") || "none"})  total ${kb(w.first)}  [${w.status} ${w.path}: "${w.label}"]`;

  const first = await kader.page("/modul/spm-kesehatan");
  const second = await kader.page("/modul/spm-sosial");
  const sw = await gz("/sw.js");
  const TARGET = 14 * 1024;

  console.log("Module page weight (bytes on the wire, as a browser fetches it):");
  console.log(line("first load", first));
  console.log(
    `  second page  HTML ${kb(second.html)}  CSS and JS cached (${second.styles.length + second.scripts.length} files)  total ${kb(second.second)}  [${second.status} ${second.path}: "${second.label}"]`,
  );
  console.log(
    `  after load   service worker /sw.js ${kb(sw.gzip)} (${sw.body.length} bytes raw, Cache-Control: ${sw.cacheControl})`,
  );

  // Every module's first load (HTML with its inline SVG pictures + its CSS + JS).
  const weights: (PageWeight & { svg: number })[] = [];
  for (const m of content().modules) {
    const w = await kader.page(`/modul/${m.slug}`);
    if (w.status !== 200) throw new Error(`/modul/${m.slug}: ${w.status}`);
    weights.push({ ...w, svg: (w.body.match(/<svg[\s\S]*?<\/svg>/g) ?? []).join("").length });
  }
  weights.sort((a, b) => b.first - a.first);
  console.log("  every module, first load (HTML incl. inline SVG + CSS + JS):");
  for (const w of weights)
    console.log(
      `    ${w.path.padEnd(42)} HTML ${kb(w.html).padStart(8)}  (SVG ${kb(w.svg)} raw)  total ${kb(w.first).padStart(8)}  ${w.first <= TARGET ? "ok" : "OVER"}  ${w.label}`,
    );
  const heaviest = weights[0];
  console.log(
    `  heaviest module: ${heaviest.path}, first load ${kb(heaviest.first)} on the wire (brotli; HTML + CSS ${kb(heaviest.html + heaviest.css)} + JS ${kb(heaviest.js)}; target <= ${kb(TARGET)}): ${heaviest.first <= TARGET ? "OK" : "OVER"}`,
  );
  // As app/client/kader.js posts it: an empty form.
  const store = await fetch(base + "/modul/simpan", {
    method: "POST",
    headers: { Cookie: cookie, Origin: base },
    body: new URLSearchParams(),
  });
  const { urls } = (await store.json()) as { urls: string[] };
  let stored = 0;
  for (const u of urls) stored += (await gz(u)).gzip;
  const label = /Simpan semua modul untuk dibaca tanpa sinyal \(([^)]+)\)/.exec(
    (await gz("/modul")).body.toString("utf8").replace(/<!-- -->/g, ""),
  )?.[1];
  console.log(`  Simpan semua ${urls.length} pages ${kb(stored)} gzip (the button says ${label})`);

  console.log(line("kader home", await new Visitor(base, cookie).page("/")));
  console.log(line("login page", await new Visitor(base, null).page("/masuk")));

  if (process.env.BENCH_SKIP_LATENCY) {
    console.log("Latency skipped (BENCH_SKIP_LATENCY).");
    process.exitCode = heaviest.first <= TARGET ? 0 : 1;
    throw new SkipLatency();
  }

  // Warm up, then 3,000 requests with 50 connections (autocannon: a light client, so the
  // server, not the load generator, is what is measured on this 2-core machine).
  const headers = { Cookie: cookie, "Accept-Encoding": "gzip" };
  await autocannon({ url: base + "/modul/spm-kesehatan", connections: 10, amount: 300, headers });
  /** Sorted latencies of `amount` requests over `connections` connections, and the run's result. */
  const measure = async (connections: number, amount: number) => {
    const times: number[] = [];
    const run = autocannon({
      url: base + "/modul/spm-kesehatan",
      connections,
      amount,
      headers,
    }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
    run.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
    const r = await run;
    if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx responses, ${r.errors} errors`);
    return { times: times.sort((x, y) => x - y), r };
  };
  const { times, r } = await measure(50, 3000);
  console.log(
    `Latency /modul/spm-kesehatan, 50 concurrent, 3000 requests (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}): ` +
      `p50 ${percentile(times, 50).toFixed(0)} ms  p95 ${percentile(times, 95).toFixed(0)} ms  max ${times[times.length - 1].toFixed(0)} ms  (${(3000 / r.duration).toFixed(0)} req/s)`,
  );
  // One request at a time: the service time of the page (what one kader waits when the
  // server is not queueing; 50 in flight wait about 50 × this on one process).
  const single = (await measure(1, 500)).times;
  console.log(
    `Latency /modul/spm-kesehatan, one at a time, 500 requests: p50 ${percentile(single, 50).toFixed(1)} ms  p95 ${percentile(single, 95).toFixed(1)} ms`,
  );
  console.log(`Server start (boot incl. demo seed): ${(server.startupMs / 1000).toFixed(1)} s`);
} catch (e) {
  if (!(e instanceof SkipLatency)) throw e;
} finally {
  await server.stop();
}
