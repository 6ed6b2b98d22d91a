/**
 * Module page weight and latency.
 *   npx tsx tests/bench/module-page.ts
 * Prints the bytes a kader's phone downloads (gzip) on the first load of a module page
 * (HTML, JS, CSS) and on a second navigation, the first load of every module (the heaviest
 * must be <= 30 KB gzip including its inline SVG pictures and the kader script: outbox and
 * service worker registration), then p50/p95 latency at 50 concurrent requests on loopback.
 * The service worker itself (/sw.js) is fetched after load and printed apart, as are
 * "Simpan semua modul" and the quiz page. Targets: heaviest first load <= 30 KB gzip, p95 < 50 ms.
 * With DATABASE_URL set it runs against that PostgreSQL database (run
 * `AKADEMI_MODE=demo npm run seed:demo` into it first); otherwise on a fresh embedded PGlite
 * with demo data.
 */
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { content } from "~/features/catalogue/content.server";
import { loginCookie, percentile, startServer } from "./server";

class SkipLatency extends Error {}

const server = await startServer(
  // startServer gives PostgreSQL runs random secrets (a typed one is refused in production).
  process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, AKADEMI_MODE: "demo" } : {},
);
const base = server.baseUrl;
try {
  const cookie = await loginCookie(base, "081100000006");
  const get = (path: string) => fetch(base + path, { headers: { Cookie: cookie, "Accept-Encoding": "gzip" } });

  const gz = async (path: string) => {
    const res = await get(path);
    const body = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      body,
      gzip: gzipSync(body, { level: 6 }).length,
      cacheControl: res.headers.get("cache-control"),
    };
  };

  const first = await gz("/modul/spm-kesehatan");
  const html = first.body.toString("utf8");
  const scripts = [
    ...html.matchAll(/<script[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]);
  const inlineScripts = (html.match(/<script(?![^>]*src=)[^>]*>/g) ?? []).length;
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  let js = 0;
  for (const s of new Set(scripts)) js += (await gz(s)).gzip;
  let css = 0;
  let cssCache = "";
  for (const s of new Set(styles)) {
    const r = await gz(s);
    css += r.gzip;
    cssCache = r.cacheControl ?? "";
  }
  const second = await gz("/modul/spm-sosial");
  const sw = await gz("/sw.js");
  const kb = (n: number) => (n / 1024).toFixed(1) + " KB";
  const total = first.gzip + js + css;

  console.log("Module page weight (gzip):");
  console.log(
    `  first load   HTML ${kb(first.gzip)}  JS ${kb(js)} (${scripts.length} files: ${scripts.join(", ")}; ${inlineScripts} inline scripts)  CSS ${kb(css)} (${styles.length} file)  total ${kb(total)} ${total <= 30 * 1024 ? "(≤ 30 KB)" : "(OVER the 30 KB budget)"}`,
  );
  console.log(
    `  after load   service worker /sw.js ${kb(sw.gzip)} (${sw.body.length} bytes raw, Cache-Control: ${sw.cacheControl})`,
  );

  // Every module's first load (HTML with its inline SVG pictures + CSS + JS); the heaviest
  // must stay within 30 KB gzip on a kader's phone.
  const weights: { slug: string; html: number; svg: number; total: number }[] = [];
  for (const m of content().modules) {
    const r = await gz(`/modul/${m.slug}`);
    if (r.status !== 200) throw new Error(`/modul/${m.slug}: ${r.status}`);
    const svg = (r.body.toString("utf8").match(/<svg[\s\S]*?<\/svg>/g) ?? []).join("").length;
    weights.push({ slug: m.slug, html: r.gzip, svg, total: r.gzip + js + css });
  }
  weights.sort((a, b) => b.total - a.total);
  console.log("  every module, first load (HTML incl. inline SVG + CSS + JS):");
  for (const w of weights)
    console.log(
      `    ${w.slug.padEnd(34)} HTML ${kb(w.html).padStart(8)}  (SVG ${kb(w.svg)} raw)  total ${kb(w.total)}`,
    );
  const heaviest = weights[0];
  const TARGET = 30 * 1024;
  console.log(
    `  heaviest module: ${heaviest.slug}, first load ${kb(heaviest.total)} gzip (target <= ${kb(TARGET)}): ${heaviest.total <= TARGET ? "OK" : "OVER"}`,
  );
  console.log(
    `  second page  HTML ${kb(second.gzip)}  JS 0 KB  CSS 0 KB (cached: ${cssCache})  total ${kb(second.gzip)}`,
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

  const login = await gz("/masuk");
  console.log(`  login page   HTML ${kb(login.gzip)}  JS 0 KB  CSS ${kb(css)}  total ${kb(login.gzip + css)}`);

  if (process.env.BENCH_SKIP_LATENCY) {
    console.log("Latency skipped (BENCH_SKIP_LATENCY).");
    process.exitCode = heaviest.total <= TARGET ? 0 : 1;
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
