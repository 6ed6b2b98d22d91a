/**
 * Dashboard loader latency at national, province, kabupaten, kecamatan and desa scope (the
 * biggest region of each level), the trend query alone at each level, and the export time
 * of the largest table, against the PostgreSQL data set of seed:scale:
 *   DATABASE_URL=postgres://… npm run seed:scale -- --kader 1414244
 *   DATABASE_URL=postgres://… npm run bench:dashboard
 * Calls the route loaders in-process with a real Request (an admin session), 50 times per
 * level after a warm-up, and prints p50/p95. Goal: p95 ≤ 50 ms at every level; export < 10 s.
 * The nation has its own rollup rows (migration 0019, region "ID"); the old way, summing the
 * rows of every province, is printed beside it.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createRequestHandler } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { closeDb, db, dbKind, dbReady, rowsOf, sqlRows } from "~/db.server";
import { lucia, SESSION_COOKIE } from "~/auth.server";
import * as dasbor from "~/routes/dasbor.$region._index";
import * as csv from "~/routes/dasbor.$region.csv";
import * as xlsx from "~/routes/dasbor.$region.xlsx";
import { percentile } from "./server";
import { rateTrend } from "~/features/reporting/reports.server";
import { todayWita } from "~/lib/timezone";
import { NATIONAL_CODE } from "~/lib/region";
import { content, pembinaProgramme } from "~/features/catalogue/content.server";
import { cascadeSource } from "~/features/reporting/cascade.server";

await dbReady();
if (dbKind() !== "postgres") {
  console.error("bench:dashboard needs the PostgreSQL data set of seed:scale (set DATABASE_URL).");
  process.exit(2);
}
// One admin per province (seed:scale creates them), and one at the root for the national page:
// a session for the province of each region.
await db.execute(sql`insert into users (id, name, phone, role, scope_code, active)
  values ('sx0adminID', 'Admin Skala Nasional', '628980000099', 'admin', ${NATIONAL_CODE}, true) on conflict do nothing`);
const sessions = new Map<string, string>();
const cookieFor = async (code: string) => {
  const province = code === NATIONAL_CODE ? code : code.slice(0, 2);
  if (!sessions.has(province)) {
    const session = await lucia().createSession(`sx0admin${province}`, {});
    sessions.set(province, session.id);
  }
  return `${SESSION_COOKIE}=${sessions.get(province)}`;
};

const biggest = async (level: string) =>
  rowsOf<{ code: string; n: number }>(
    await db.execute(sql`select s.region_code as code, sum(s.active)::int as n from stats_kader s join regions r on r.code = s.region_code
      where r.level = ${level} and s.spm_bidang = '*' group by 1 order by 2 desc limit 1`),
  )[0];
const [{ kader }] = rowsOf<{ kader: number }>(
  await db.execute(sql`select count(*)::int as kader from users where role = 'kader'`),
);
console.log(
  `Data set: ${Number(kader).toLocaleString("en")} kader; dashboard reads from the ${process.env.DATABASE_REPLICA_URL ? "replica (DATABASE_REPLICA_URL)" : "primary"}`,
);

const call = async (fn: Function, code: string, suffix = "") => {
  const request = new Request(`http://localhost:3000/dasbor/${code}${suffix}`, {
    headers: { Cookie: await cookieFor(code) },
  });
  return fn({ request, params: { region: code }, context: { clientIp: "127.0.0.1" } });
};

for (const level of ["nasional", "provinsi", "kabupaten", "kecamatan", "desa"]) {
  const r = await biggest(level);
  for (let i = 0; i < 5; i++) await call(dasbor.loader, r.code);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    const res = await call(dasbor.loader, r.code, i % 2 ? "?tahun=2026" : "");
    times.push(performance.now() - t);
    if (!res?.rows) throw new Error("no rows");
  }
  times.sort((a, b) => a - b);
  console.log(
    `${level.padEnd(9)} ${r.code.padEnd(14)} ${Number(r.n).toLocaleString("en").padStart(10)} kader: p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms`,
  );
}

// The trend query alone, per level (24 months, all bidang).
const f = { programmeId: content().defaultProgramme.id, year: null, bidang: null, today: todayWita() };
const provinces = rowsOf<{ code: string }>(
  await db.execute(sql`select code from regions where level = 'provinsi' order by code`),
).map((r) => r.code);
const timeIt = async (label: string, run: () => Promise<unknown>) => {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(34)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms`,
  );
};
for (const level of ["nasional", "provinsi", "kabupaten", "kecamatan", "desa"]) {
  const r = await biggest(level);
  await timeIt(`trend ${level} ${r.code}`, () => rateTrend(r.code, f, 24));
}
// Before migration 0019 the nation had no rollup rows and its trend summed the provinces'.
await timeIt(`trend sum of ${provinces.length} provinsi`, () => rateTrend(provinces, f, 24));
// The training cascade's query alone (issue 20: pembina teams and posyandu with a certified kader), per level.
for (const level of ["provinsi", "kabupaten", "kecamatan", "desa"]) {
  const r = await biggest(level);
  await timeIt(`cascade ${level} ${r.code}`, () => cascadeSource({ code: r.code, level }, f));
}
// The nation's cascade is cached for NATIONAL_TTL_MS: its computation once (a filter not seen yet).
{
  const t = performance.now();
  const parts = await cascadeSource({ code: NATIONAL_CODE, level: "nasional" }, { ...f, bidang: "kesehatan" });
  await parts(provinces.map((code) => ({ code, name: code })));
  console.log(`cascade nasional, computed (then cached)   ${(performance.now() - t).toFixed(0)} ms`);
}
const [{ pembina, pembinaCerts }] = rowsOf<{ pembina: number; pembinaCerts: number }>(
  await db.execute(sql`select (select count(*) from users where role in ('pembina_kecamatan', 'pembina_desa'))::int as pembina,
    (select count(*) from certificates where programme_id = ${pembinaProgramme()?.id ?? ""})::int as "pembinaCerts"`),
);
console.log(
  `Pembina kecamatan/desa: ${Number(pembina).toLocaleString("en")}, pembina certificates ${Number(pembinaCerts).toLocaleString("en")}`,
);
const [{ flow, expiry, expiryMonth }] = rowsOf<{ flow: number; expiry: number; expiryMonth: number }>(
  await db.execute(sql`select (select count(*) from stats_flow)::int as flow, (select count(*) from stats_cert_expiry)::int as expiry,
    (select count(*) from stats_cert_expiry_month)::int as "expiryMonth"`),
);
console.log(
  `Rollup rows: stats_flow ${Number(flow).toLocaleString("en")}, stats_cert_expiry ${Number(expiry).toLocaleString("en")}, stats_cert_expiry_month ${Number(expiryMonth).toLocaleString("en")}`,
);

// The largest table: the region with the most child rows.
const [largest] = await sqlRows<{ code: string; rows: number }>(sql`
    select code, rows from (
      select parent_code as code, count(*)::int as rows from regions where parent_code is not null group by 1
      union all select desa_code, count(*)::int from posyandu group by 1
    ) x order by rows desc limit 1`);
for (const [label, fn, suffix] of [
  ["CSV", csv.loader, ".csv"],
  ["XLSX", xlsx.loader, ".xlsx"],
] as const) {
  const t = performance.now();
  const res = (await call(fn, largest.code, suffix)) as Response;
  const bytes = (await res.arrayBuffer()).byteLength;
  console.log(
    `Export ${label} of the largest table (${largest.code}, ${largest.rows} rows): ${(performance.now() - t).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`,
  );
}
// The kabupaten page as a phone loads it first: the HTML rendered by the built app (npm run
// build) for Kutai Kartanegara (64.02, with its map) plus its CSS, gzip. Goal ≤ 40 KB.
if (existsSync("build/server/index.js")) {
  const build = await import(path.resolve("build/server/index.js"));
  const handler = createRequestHandler(build, "production");
  const res = await handler(
    new Request("http://localhost:3000/dasbor/64.02", { headers: { Cookie: await cookieFor("64.02") } }),
    { clientIp: "127.0.0.1" },
  );
  const html = await res.text();
  const css = [...html.matchAll(/<link[^>]+href="(\/assets\/[^"]+\.css)"/g)].map((m) =>
    readFileSync(path.join("build/client", m[1])),
  );
  const htmlGz = gzipSync(html).length;
  const cssGz = css.reduce((s, c) => s + gzipSync(c).length, 0);
  const scripts = [...html.matchAll(/<script[^>]*src=/g)].length;
  console.log(
    `Kabupaten page 64.02 (status ${res.status}): HTML ${(htmlGz / 1024).toFixed(1)} KB + CSS ${(cssGz / 1024).toFixed(1)} KB gzip = ${((htmlGz + cssGz) / 1024).toFixed(1)} KB first load, ${scripts} scripts (goal ≤ 40 KB)`,
  );
} else {
  console.log("Page size: run npm run build first to measure the kabupaten page.");
}
for (const id of sessions.values()) await lucia().invalidateSession(id);
await closeDb();
