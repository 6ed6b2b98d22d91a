/**
 * Many kader completing their programme's modules at the same moment (the end of a workshop's
 * exam session): `npm run bench:rollup-burst` (needs DATABASE_URL: a throw-away database is
 * created on that PostgreSQL and dropped afterwards).
 *
 * Every change of a kader_progress row updates, inside the writer's transaction, the rollup
 * rows of her desa, kecamatan, kabupaten, provinsi and the nation (the rollup triggers), so
 * writers of one area queue on the same rows. Each of N kader gets, in one transaction of her
 * own, every required module passed and refreshKaderProgress (as grading her last quiz
 * does), C transactions at a time (BENCH_C, 16), for N (BENCH_N, 2000) kader:
 *   - all in one desa (a workshop's kader: every row from the desa up is shared);
 *   - spread over every desa of the regions table (the demo's province down to desa), in turn:
 *     the province's and the nation's rows shared by all, a kabupaten's by a tenth.
 * Prints transactions/s and p50/p95/p99 per transaction for both, and checks the rollups
 * against a recomputation afterwards (reportingMismatches).
 */
import postgres from "postgres";
import { benchDatabase, makeKader, percentile, startServer } from "./server";

const N = Number(process.env.BENCH_N ?? 2000);
const C = Number(process.env.BENCH_C ?? 16);

const bench = await benchDatabase();
if (!bench) {
  console.error("bench:rollup-burst needs DATABASE_URL (PostgreSQL).");
  process.exit(2);
}
try {
  // The server migrates the database and loads the regions, as in production.
  const server = await startServer({ DATABASE_URL: bench.url, WEB_CONCURRENCY: "1" });
  await server.stop();

  process.env.DATABASE_URL = bench.url;
  process.env.DB_POOL_SIZE = String(C);
  const { db, closeDb, dbReady } = await import("~/db.server");
  const { sql } = await import("drizzle-orm");
  const { kaderProgrammes } = await import("~/features/catalogue/content.server");
  const { refreshKaderProgress, reportingMismatches } = await import("~/features/projection/projection.server");
  await dbReady();
  const admin = postgres(bench.url, { max: 2, onnotice: () => {} });
  const slugs = [...new Set(kaderProgrammes().flatMap((p) => p.requiredModules))];

  const oneDesa = "64.08.01.2001";
  // Every desa the regions table has (the demo's province, Kalimantan Timur, is loaded down to desa).
  const spread = (
    await admin<{ code: string }[]>`select code from regions where level = 'desa' order by md5(code)`
  ).map((r) => r.code);
  const kabupaten = new Set(spread.map((c) => c.split(".").slice(0, 2).join("."))).size;

  async function burst(label: string, ids: string[]) {
    const lat: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        for (let i = next++; i < ids.length; i = next++) {
          const t = performance.now();
          await db.transaction(async (tx) => {
            await tx.execute(sql`
              insert into module_progress (user_id, slug, content_hash, completed_at, best_score, passed_at)
              select ${ids[i]}, s, 'bench', now(), 100, now() from unnest(${`{${slugs.join(",")}}`}::text[]) s
              on conflict (user_id, slug) do update set completed_at = now(), best_score = 100, passed_at = now()`);
            await refreshKaderProgress([ids[i]], tx);
          });
          lat.push(performance.now() - t);
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    console.log(
      `${label}: ${ids.length} kader in ${wall.toFixed(1)} s = ${(ids.length / wall).toFixed(0)} transactions/s ` +
        `at ${C} at a time; per transaction p50 ${percentile(lat, 50).toFixed(1)} ms p95 ${percentile(lat, 95).toFixed(1)} ms ` +
        `p99 ${percentile(lat, 99).toFixed(1)} ms`,
    );
  }

  // The kader, with their reporting rows (as accounts made by the app have them).
  await makeKader(admin, N, { id: "rb1", phone: "62871", name: "Kader Satu Desa", desa: oneDesa, days: 1 });
  const localIds = (await admin<{ id: string }[]>`select id from users where id like 'rb1%' order by id`).map(
    (r) => r.id,
  );
  for (let i = 0; i < N; i++)
    await makeKader(admin, 1, {
      id: `rb2${i}x`,
      phone: `62872${i}`,
      name: "Kader Tersebar",
      desa: spread[i % spread.length],
      days: 1,
    });
  const spreadIds = (await admin<{ id: string }[]>`select id from users where id like 'rb2%' order by id`).map(
    (r) => r.id,
  );
  console.log(`bench:rollup-burst: ${N} kader per case, ${slugs.length} modules each, ${C} transactions at a time`);
  await burst("one desa (a workshop)", localIds);
  await burst(`spread over ${Math.min(N, spread.length)} desa of ${kabupaten} kabupaten`, spreadIds);
  const mismatches = await reportingMismatches();
  console.log(`rollups against a recomputation: ${mismatches.length ? `${mismatches.length} MISMATCHES` : "equal"}`);
  await admin.end();
  await closeDb();
} finally {
  await bench.drop();
}
