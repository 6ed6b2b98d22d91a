/**
 * Page weights (issue 23): what a browser downloads (the bytes on the wire as the server sends
 * them to a phone's browser over HTTPS, tests/bench/weigh.ts), for every kader page and every
 * dashboard level of the demo, against the goals (first load, nothing cached):
 * kader pages <= 14 KB, dashboards <= 16 KB.
 *   npm run bench:weights          (builds first when build/ is missing; BENCH_BUILD=1 rebuilds)
 * Per page: HTML (inline scripts included), CSS and JS as linked (stylesheets, scripts,
 * modulepreloads), first load, second navigation (after another page of the same area:
 * hashed assets cached), the first load for a gzip-only client, and the page's own <h1>. Exits 1 when a page is over its goal or does not answer 200.
 */
import { loginCookie, startServer } from "./server";
import { kb, type PageWeight, Visitor } from "./weigh";

const KADER_GOAL = 14 * 1024;
const DASHBOARD_GOAL = 16 * 1024;

const server = await startServer();
const base = server.baseUrl;
const rows: { area: string; goal: number; w: PageWeight }[] = [];
try {
  // Kader (Kutai Timur demo kader): every page of her menu, each module, a quiz.
  const kader = new Visitor(base, await loginCookie(base, "081100000006"));
  await kader.page("/"); // the area's home: its assets are cached for the second navigation
  const kaderPaths = ["/", "/modul"];
  // The modules as the kader's list links them (the running server's content, not this process's).
  const list = (await kader.page("/modul")).body;
  const slugs = [...new Set([...list.matchAll(/href="\/modul\/([a-z0-9-]+)"/g)].map((m) => m[1]))];
  if (slugs.length < 12) throw new Error(`/modul links ${slugs.length} modules`);
  const quizSlug = slugs[0];
  for (const slug of slugs) kaderPaths.push(`/modul/${slug}`);
  if (quizSlug) kaderPaths.push(`/modul/${quizSlug}/kuis`);
  kaderPaths.push("/sesi", "/hadir", "/sertifikat", "/akun", "/istilah", "/kalender");
  for (const p of kaderPaths) rows.push({ area: "kader", goal: KADER_GOAL, w: await kader.page(p) });
  if (quizSlug) {
    // A quiz in progress: start one (the form's idempotency key), then its question page.
    const info = (await kader.page(`/modul/${quizSlug}/kuis`)).body;
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(info)?.[1];
    const resumed = /href="(\/modul\/[^"]+\/kuis\/[^"]+)"/.exec(info)?.[1];
    let attempt = resumed;
    if (!attempt && key) {
      const res = await kader.fetch(`/modul/${quizSlug}/kuis`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ idempotencyKey: key }),
      });
      attempt = res.headers.get("location") ?? undefined;
    }
    if (attempt) rows.push({ area: "kader", goal: KADER_GOAL, w: await kader.page(attempt) });
    else console.warn(`no quiz attempt could be started for ${quizSlug}`);
  }
  // Signed out: the login page (a kader's first page of all).
  const anon = new Visitor(base, null);
  rows.push({ area: "public", goal: KADER_GOAL, w: await anon.page("/masuk") });
  rows.push({ area: "public", goal: KADER_GOAL, w: await anon.page("/verifikasi") });

  // Dashboards: provinsi as the admin, kabupaten, kecamatan and desa as DPMD Kutai Kartanegara.
  // Each visitor's first dashboard caches its stylesheet (the "second" column of the rest).
  const admin = new Visitor(base, await loginCookie(base, "081100000001"));
  await admin.page("/dasbor/64");
  rows.push({ area: "dasbor provinsi", goal: DASHBOARD_GOAL, w: await admin.page("/dasbor/64") });
  const dpmd = new Visitor(base, await loginCookie(base, "081100000002"));
  await dpmd.page("/dasbor/64.02");
  const kab = await dpmd.page("/dasbor/64.02");
  rows.push({ area: "dasbor kabupaten", goal: DASHBOARD_GOAL, w: kab });
  const kec = /href="\/dasbor\/(64\.02\.\d\d)[?"]/.exec(kab.body)?.[1] ?? "64.02.01";
  const kecPage = await dpmd.page(`/dasbor/${kec}`);
  rows.push({ area: "dasbor kecamatan", goal: DASHBOARD_GOAL, w: kecPage });
  const desa = /href="\/dasbor\/(64\.02\.\d\d\.\d{4})[?"]/.exec(kecPage.body)?.[1];
  if (desa) rows.push({ area: "dasbor desa", goal: DASHBOARD_GOAL, w: await dpmd.page(`/dasbor/${desa}`) });
  else console.warn(`no desa link on /dasbor/${kec}`);
} finally {
  await server.stop();
}

console.log(
  "Page weights, bytes on the wire as the server sends them to a phone's browser over HTTPS (brotli); first = nothing cached; second = after another page of the area (CSS, JS cached); first gz = the first load for a gzip-only client",
);
console.log(
  `${"area".padEnd(17)} ${"path".padEnd(40)} ${"st".padEnd(3)} ${"HTML".padStart(8)} ${"CSS".padStart(8)} ${"JS".padStart(8)} ${"first".padStart(8)} ${"second".padStart(8)} ${"first gz".padStart(8)}  goal      label`,
);
let failures = 0;
for (const { area, goal, w } of rows) {
  const ok = w.status === 200 && w.first <= goal;
  if (!ok) failures++;
  console.log(
    `${area.padEnd(17)} ${w.path.padEnd(40)} ${String(w.status).padEnd(3)} ${kb(w.html).padStart(8)} ${kb(w.css).padStart(8)} ${kb(w.js).padStart(8)} ${kb(w.first).padStart(8)} ${kb(w.second).padStart(8)} ${kb(w.firstGzip).padStart(8)}  ${`${ok ? "ok" : "OVER"} ${goal / 1024}`.padEnd(8)}  ${w.label.slice(0, 60)}`,
  );
}
const worst = (area: (a: string) => boolean) =>
  rows.filter((r) => area(r.area)).reduce((m, r) => (r.w.first > m.w.first ? r : m));
const k = worst((a) => a === "kader");
const d = worst((a) => a.startsWith("dasbor"));
console.log(
  `heaviest kader page: ${k.w.path} ${kb(k.w.first)} first load (HTML + CSS ${kb(k.w.html + k.w.css)}, JS ${kb(k.w.js)}; gzip only ${kb(k.w.firstGzip)}; goal ${KADER_GOAL / 1024} KB)`,
);
console.log(
  `heaviest dashboard:  ${d.w.path} ${kb(d.w.first)} first load (gzip only ${kb(d.w.firstGzip)}; goal ${DASHBOARD_GOAL / 1024} KB)`,
);
console.log(failures ? `${failures} page(s) over the goal or not 200` : "every page within its goal");
process.exitCode = failures ? 1 : 0;
