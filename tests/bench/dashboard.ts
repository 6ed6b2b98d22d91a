/**
 * Dashboard loader latency at province, kabupaten, kecamatan and desa scope, and the
 * export time of the largest table, against the PostgreSQL data set of seed:scale:
 *   DATABASE_URL=postgres://… npm run seed:scale -- --kader 1400000
 *   DATABASE_URL=postgres://… npm run bench:dashboard
 * Calls the route loaders in-process with a real Request (an admin session), 50 times per
 * level after a warm-up, and prints p50/p95. Targets: p95 < 200 ms, export < 10 s.
 */
import { sql } from "drizzle-orm";
import { closeDb, db, dbKind, dbReady, sqlRows } from "~/db.server";
import { lucia, SESSION_COOKIE } from "~/auth.server";
import * as dasbor from "~/routes/dasbor.$region._index";
import * as csv from "~/routes/dasbor.$region.csv";
import * as xlsx from "~/routes/dasbor.$region.xlsx";
import { percentile } from "./server";

await dbReady();
if (dbKind() !== "postgres") {
  console.error("bench:dashboard needs the PostgreSQL data set of seed:scale (set DATABASE_URL).");
  process.exit(2);
}
const [admin] = await sqlRows<{ id: string; scope: string }>(sql`select id, scope_code as scope from users where role = 'admin' and active order by (id = 'sxadmin0000') desc limit 1`);
const session = await lucia().createSession(admin.id, {});
const cookie = `${SESSION_COOKIE}=${session.id}`;

const biggest = async (level: string) =>
  (await sqlRows<{ code: string; n: number }>(sql`select s.region_code as code, sum(s.active)::int as n from stats_kader s join regions r on r.code = s.region_code
      where r.level = ${level} group by 1 order by 2 desc limit 1`))[0];
const [{ kader }] = await sqlRows<{ kader: number }>(sql`select count(*)::int as kader from users where role = 'kader'`);
console.log(`Data set: ${Number(kader).toLocaleString("en")} kader`);

const call = async (fn: Function, code: string, suffix = "") => {
  const request = new Request(`http://localhost:3000/dasbor/${code}${suffix}`, { headers: { Cookie: cookie } });
  return fn({ request, params: { region: code }, context: { clientIp: "127.0.0.1" } });
};

for (const level of ["provinsi", "kabupaten", "kecamatan", "desa"]) {
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

// The largest table: the region with the most child rows.
const [largest] = await sqlRows<{ code: string; rows: number }>(sql`
    select code, rows from (
      select parent_code as code, count(*)::int as rows from regions where parent_code is not null group by 1
      union all select desa_code, count(*)::int from posyandu group by 1
    ) x order by rows desc limit 1`);
for (const [label, fn, suffix] of [["CSV", csv.loader, ".csv"], ["XLSX", xlsx.loader, ".xlsx"]] as const) {
  const t = performance.now();
  const res = (await call(fn, largest.code, suffix)) as Response;
  const bytes = (await res.arrayBuffer()).byteLength;
  console.log(`Export ${label} of the largest table (${largest.code}, ${largest.rows} rows): ${(performance.now() - t).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`);
}
await lucia().invalidateSession(session.id);
await closeDb();
