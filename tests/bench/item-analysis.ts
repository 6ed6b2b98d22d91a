/**
 * "Analisis soal" at national scale (issue 19):
 *   DATABASE_URL=postgres://… npm run bench:item-analysis
 * Builds a throw-away database beside DATABASE_URL's and fills it as 1.41 M kader would over
 * two years:
 * - the rollup (stats_item) for every provinsi and kabupaten (38 + 514),
 *   every item of the 12 banks, 24 months, first attempts and retakes;
 * - the largest kecamatan's graded attempts (1.41 M / 7,277 kecamatan ≈ 194 kader; the largest
 *   ≈ 3 times that: 600 kader × 12 quizzes × 1.5 attempts over two years), written through
 *   the trigger in batches.
 * Then the write cost: 600 attempts graded this month one statement each, with the rollup
 * trigger and with it disabled. Then the page loaders (overview and one bank) at provinsi
 * and kabupaten (rollup) and at the kecamatan and a desa (summed live from their attempts),
 * 30 runs each after a warm-up. Prints figures; asserts nothing.
 */
import postgres from "postgres";
import { percentile } from "./server";

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error("bench:item-analysis needs PostgreSQL (set DATABASE_URL).");
  process.exit(2);
}
const dbName = `bench_items_${process.pid}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${dbName}"`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
process.env.DATABASE_URL = url.toString();

const { closeDb, db, dbReady } = await import("~/db.server");
const { sql } = await import("drizzle-orm");
const { seedRegionsIfEmpty } = await import("~/features/regions/regions.server");
const { content } = await import("~/features/catalogue/content.server");
const { drawQuestions, scoreAttempt } = await import("~/features/learning/quiz-rules");
const { makePosyandu, makeUser } = await import("~/demo/factories.server");
const { lucia, SESSION_COOKIE } = await import("~/auth.server");
const overview = await import("~/routes/analisis-soal._index");
const bankPage = await import("~/routes/analisis-soal.$slug._index");

try {
  await dbReady();
  await seedRegionsIfEmpty();
  const c = content();
  const banks = c.defaultProgramme.requiredModules.map((slug) => c.bySlug.get(slug)!);
  const items = banks.flatMap((m) =>
    m.quiz!.questions.map((q) => ({
      slug: m.slug,
      id: q.id,
      section: q.section,
      options: q.type === "truefalse" ? ["benar", "salah"] : q.options.map((o) => o.id),
    })),
  );
  // 38 provinsi and 514 kabupaten codes (Kalimantan Timur's real ones among them).
  const regions: string[] = [];
  for (let p = 0; p < 38; p++) {
    const prov = p === 0 ? "64" : String(11 + p).padStart(2, "0");
    regions.push(prov);
    const kabs = p === 0 ? 10 : 13 + (p % 2);
    for (let k = 1; k <= kabs && regions.length < 552; k++) regions.push(`${prov}.${String(k).padStart(2, "0")}`);
  }
  const t0 = performance.now();
  await db.execute(sql`
    insert into stats_item (region_code, slug, question_id, month, first_try, section, n, correct, rest_sum, rest_sq, xy_rest, options)
    select r, i->>'slug', i->>'id', (date '2025-01-01' + (m || ' month')::interval)::date, f, i->>'section',
           40, 28, 240, 1600, 190, (select jsonb_object_agg(o, 10) from jsonb_array_elements_text(i->'options') o)
    from unnest(string_to_array(${regions.join(",")}, ',')) r
    cross join jsonb_array_elements(${JSON.stringify(items)}::jsonb) i
    cross join generate_series(0, 23) m
    cross join (values (true), (false)) ft(f)`);
  const [{ rows, mb }] = (await db.execute(
    sql`select count(*)::int as rows, (pg_total_relation_size('stats_item') / 1048576)::int as mb from stats_item`,
  )) as unknown as { rows: number; mb: number }[];
  console.log(
    `Rollup for ${regions.length} provinsi/kabupaten × ${items.length} items × 24 months × 2: ${rows.toLocaleString("en")} rows, ${mb} MB (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  await db.execute(sql`analyze stats_item`);

  // The largest kecamatan: 600 kader in its desa, 12 quizzes each, half of them retaken.
  const KEC = "64.02.01";
  const desaRows = (await db.execute(
    sql`select code from regions where parent_code = ${KEC} order by code`,
  )) as unknown as { code: string }[];
  const desa = desaRows.map((r) => r.code);
  const pos = await Promise.all(desa.map((d, i) => makePosyandu({ name: `Posyandu Bench ${i}`, desaCode: d })));
  let seed = 1;
  const rng = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const kader: { id: string; desa: string }[] = [];
  for (let i = 0; i < 600; i++) {
    const d = i % desa.length;
    kader.push({ id: (await makeUser({ role: "kader", scopeCode: desa[d], posyanduId: pos[d] })).id, desa: desa[d] });
  }
  const now = Date.now();
  let attempts = 0;
  const attemptRow = (k: { id: string }, m: (typeof banks)[number], at: Date) => {
    const draw = drawQuestions(m.quiz!, rng);
    const ability = 0.4 + rng() * 0.55;
    const answers = Object.fromEntries(
      draw.map((q) => [
        q.id,
        rng() < ability ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))?.id ?? q.answer[0]],
      ]),
    );
    const r = scoreAttempt(draw, answers, m.quiz!.passScore);
    attempts++;
    return sql`(${`b${attempts.toString(36).padStart(10, "0")}`}, ${k.id}, ${m.slug}, ${m.hash}, ${`{${draw.map((q) => q.id).join(",")}}`}::text[],
      ${JSON.stringify(draw)}::jsonb, ${m.quiz!.passScore}, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz,
      ${JSON.stringify(answers)}::jsonb, ${r.score}, ${r.passed}, ${`bench-${attempts}`})`;
  };
  const insert = (values: ReturnType<typeof sql>[]) =>
    db.execute(sql`insert into quiz_attempts (id, user_id, slug, content_hash, question_ids, draw, pass_score,
      started_at, submitted_at, answers, score, passed, idempotency_key) values ${sql.join(values, sql`, `)}`);
  const t1 = performance.now();
  for (const k of kader) {
    const rows = [];
    for (const m of banks)
      for (let a = 0; a < (rng() < 0.5 ? 2 : 1); a++)
        rows.push(attemptRow(k, m, new Date(now - (30 + Math.floor(rng() * 700)) * 86_400_000 + a * 3_600_000)));
    await insert(rows);
  }
  await db.execute(sql`analyze quiz_attempts`);
  console.log(
    `Kecamatan ${KEC}: ${kader.length} kader in ${desa.length} desa, ${attempts.toLocaleString("en")} graded attempts over two years (${((performance.now() - t1) / 1000).toFixed(0)} s)`,
  );

  // The write cost of grading: one statement per attempt, this month, with and without the trigger.
  const perAttempt = async () => {
    const t = performance.now();
    for (let i = 0; i < 600; i++) await insert([attemptRow(kader[i], banks[i % banks.length], new Date())]);
    return (performance.now() - t) / 600;
  };
  await perAttempt(); // warm the current month's rows
  const withTrigger = await perAttempt();
  await db.execute(sql`alter table quiz_attempts disable trigger quiz_attempts_item_stats_ins`);
  const without = await perAttempt();
  await db.execute(sql`alter table quiz_attempts enable trigger quiz_attempts_item_stats_ins`);
  console.log(
    `Grading write (600 attempts, one statement each): ${withTrigger.toFixed(2)} ms with the item rollup, ${without.toFixed(2)} ms without: the rollup adds ${(withTrigger - without).toFixed(2)} ms per graded attempt`,
  );

  const adminUser = await makeUser({ role: "admin", scopeCode: "64" });
  const session = await lucia().createSession(adminUser.id, {});
  const cookie = `${SESSION_COOKIE}=${session.id}`;
  const slug = banks[0].slug;
  const time = async (label: string, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await fn();
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`,
    );
  };
  const req = (path: string) => new Request(`http://localhost:3000${path}`, { headers: { Cookie: cookie } });
  const period = "dari=2025-01&sampai=2026-12";
  for (const [level, code] of [
    ["provinsi (rollup)", "64"],
    ["kabupaten (rollup)", "64.02"],
    ["kecamatan (live, largest)", KEC],
    ["desa (live)", desa[0]],
  ] as const) {
    await time(`${level} ${code}: all banks`, () =>
      overview.loader({ request: req(`/analisis-soal?wilayah=${code}&${period}`), params: {}, context: {} } as never),
    );
    await time(`${level} ${code}: one bank`, () =>
      bankPage.loader({
        request: req(`/analisis-soal/${slug}?wilayah=${code}&${period}`),
        params: { slug },
        context: {},
      } as never),
    );
  }
} finally {
  await closeDb();
  if (process.env.BENCH_KEEP) console.log(`Kept database ${dbName} (BENCH_KEEP)`);
  else await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
}
