/**
 * A synthetic national-scale data set for the dashboard benchmark, into PostgreSQL:
 *   DATABASE_URL=postgres://… npm run seed:scale -- --kader 1414244
 * The region tree: the real one shipped with the project (38 provinces, 514 kabupaten/kota,
 * 7,285 kecamatan, Kalimantan Timur's desa) plus synthetic desa ("Desa Skala …") under the
 * other kecamatan, 82,182 desa in all. Posyandu: 221,428 × N / 1,414,244 spread evenly over every desa; 5-8 kader
 * per posyandu up to exactly N, one completed pelatihan per desa with ~60% enrolled and ~85% of those
 * attending, module progress and quiz attempts for attendees (~70% read each module,
 * ~85% of readers pass), and certificates for those who met the rule, issued over the
 * last 24 months (some expiring within 60 days, 0.5% revoked). Then the reporting
 * inputs and rollups are rebuilt in bulk. Set-based SQL: the database does the work.
 * Existing scale data is replaced; other data is kept. Scale user ids are "sx0" and nine
 * digits: app ids (lucia, base32: a-z and 2-7) never contain a 0, so no other user matches.
 * Certificate codes are real AP-XXXX-XXXX codes with their check character (a bijection of
 * the row number), so the app's code check accepts them and they can be revoked in the UI.
 */
import { sql } from "drizzle-orm";
import { closeDb, db, dbKind, dbReady } from "~/db.server";
import { content, pembinaProgramme } from "~/features/catalogue/content.server";
import { seedBundledRegions } from "~/features/regions/regions.server";
import { seedBundledBoundaries } from "~/features/regions/boundaries.server";
import { rebuildPractised, rebuildReporting } from "~/features/projection/projection.server";
import { CODE_ALPHABET, isCanonicalCode } from "~/features/certification/code";
import { rowsOf } from "~/db.server";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("kader", 1_414_244);
/**
 * `--only practice`: only the practice records, on an existing scale database (the rest is kept);
 * kader_progress.practised_at and its rollup are then refreshed set-based (rebuildPractised).
 */
const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
if (ONLY !== null && ONLY !== "practice") throw new Error("--only takes one step: practice");
const P = Math.max(100, Math.round((N * 221_428) / 1_414_244));
if (!Number.isFinite(N) || N < 1000) throw new Error("--kader must be a number of at least 1000");

await dbReady();
if (dbKind() !== "postgres") {
  console.error("seed:scale needs PostgreSQL: set DATABASE_URL.");
  process.exit(2);
}
await seedBundledRegions(); // the real tree; also renames an older synthetic one ("Provinsi Skala 11" …)
await seedBundledBoundaries(); // the maps: the nation, every province, Kalimantan Timur's kabupaten
const programme = content().defaultProgramme;
const slugs = `{${programme.requiredModules.join(",")}}`;
const hash = content().bySlug.get(programme.requiredModules[0])!.hash;

/**
 * A valid certificate code (app/features/certification/code.ts) from a row number: the number
 * scrambled by a bijection modulo 31^7, written in the code alphabet, plus the check character.
 */
function certificateCode(n: ReturnType<typeof sql>) {
  const v = sql`((${n})::bigint * 1103515245 + 12345) % ${31 ** 7}::bigint`;
  const digit = (i: number) => sql`((${v} / ${31 ** (6 - i)}::bigint) % 31)`;
  const ch = (d: ReturnType<typeof sql>) => sql`substr(${CODE_ALPHABET}, (${d})::int + 1, 1)`;
  const sum = sql.join(
    [0, 1, 2, 3, 4, 5, 6].map((i) => sql`${i + 1} * ${digit(i)}`),
    sql` + `,
  );
  const check = sql`((((-(${sum}) * 4) % 31) + 31) % 31)`;
  return sql`'AP-' || ${ch(digit(0))} || ${ch(digit(1))} || ${ch(digit(2))} || ${ch(digit(3))} || '-' || ${ch(digit(4))} || ${ch(digit(5))} || ${ch(digit(6))} || ${ch(check)}`;
}

const t0 = performance.now();
/** A step of the whole seed ("all"), or of a part that `--only <part>` runs alone. */
const step = async (label: string, q: ReturnType<typeof sql>, part: "all" | "practice" = "all") => {
  if (ONLY && part !== ONLY) return;
  const t = performance.now();
  await db.execute(q);
  console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
};

console.log(`seed:scale with ${N.toLocaleString("en")} kader`);
/** Scale users only: "sx0…" (see above). */
const SCALE_USER = sql.raw(`'^sx0[0-9a-z]+$'`);
// The rollups are rebuilt at the end: empty them first so the deletes below do not run the
// rollup triggers row set by row set.
await step(
  "clear reporting rollups",
  sql`truncate kader_progress, stats_kader, stats_funnel, stats_cert_expiry, stats_cert_expiry_month, stats_cert_month, stats_flow`,
);
// Before the users: an observation names its observer (a scale pembina) without a cascade.
await step(
  "clear scale practice records",
  sql`delete from practice_observations where user_id ~ ${SCALE_USER} or observer_id ~ ${SCALE_USER}`,
  "practice",
);
await step("clear scale workshops", sql`delete from workshops where title like 'Pelatihan Skala %'`);
await step(
  "clear previous scale data",
  sql`
  with gone as (delete from users where id ~ ${SCALE_USER} returning id)
  select count(*) from gone`,
);
await step("clear scale posyandu", sql`delete from posyandu where name like 'Posyandu Skala %'`);
// Synthetic desa, and what an older synthetic tree left under codes the real one does not have.
await step(
  "clear scale regions",
  sql`
  delete from regions where name like '% Skala %' and code not like '64%'`,
);
// The real tree (the bundled regions: 38 provinces, 514 kabupaten/kota, 7,285 kecamatan, and
// Kalimantan Timur's desa) gets synthetic desa ("Desa Skala …", codes 2001…) under every
// kecamatan that has none, 5-18 each, so that the tree holds DESA desa in all, as the earlier
// synthetic tree did (real Indonesia: 83,762).
const DESA = 82_182;
await step(
  "synthetic desa under the real kecamatan",
  sql`
  with c as (select k.code, 5 + ((row_number() over (order by k.code) * 11) % 14) as w
             from regions k
             where k.level = 'kecamatan' and not exists (select 1 from regions d where d.parent_code = k.code)),
  cw as (select code, w, sum(w) over (order by code) as cum, sum(w) over () as total from c),
  target as (select greatest(0, ${DESA} - (select count(*) from regions where level = 'desa'))::numeric as n)
  insert into regions (code, name, level, parent_code)
  select cw.code || '.' || (2000 + g)::text, 'Desa Skala ' || cw.code || '.' || (2000 + g)::text, 'desa', cw.code
  from cw cross join target
  cross join lateral generate_series(1, (floor(target.n * cw.cum / cw.total) - floor(target.n * (cw.cum - cw.w) / cw.total))::int) g
  on conflict do nothing`,
);
await step(
  "creator and one admin per province (sx0admin<province>)",
  sql`
  insert into users (id, name, phone, role, scope_code, active)
  select 'sx0admin', 'Admin Skala', '6289900000000', 'admin', '64', true
  union all
  select 'sx0admin' || code, 'Admin Skala ' || code, '62898000000' || code, 'admin', code, true from regions where level = 'provinsi'
  on conflict do nothing`,
);
await step(
  `posyandu (${P.toLocaleString("en")})`,
  sql`
  insert into posyandu (name, desa_code, registration_no, active)
  select 'Posyandu Skala ' || d.code || '-' || g, d.code, null, true
  from (select code, row_number() over (order by code) - 1 as i, count(*) over () as desa from regions where level = 'desa') d
  cross join lateral generate_series(1, (floor(${P}::numeric * (d.i + 1) / d.desa) - floor(${P}::numeric * d.i / d.desa))::int) g`,
); // exactly P, evenly
await step(
  "kader",
  sql`
  insert into users (id, name, phone, role, scope_code, posyandu_id, spm_bidang, gender, birth_year, active, created_at)
  select 'sx0' || lpad(n::text, 9, '0'), 'Kader ' || n, '62899' || lpad(n::text, 8, '0'), 'kader', desa_code, pid,
         (array['pendidikan','kesehatan','pekerjaan-umum','perumahan-rakyat','trantibum-linmas','sosial'])[1 + n % 6],
         case when n % 13 = 0 then 'L' else 'P' end, 1965 + n % 40, random() > 0.03,
         now() - (760 + (random() * 300)::int) * interval '1 day' -- joined before the first pelatihan: the trend has a history
  from (
    select row_number() over () as n, p.desa_code, p.id as pid
    from posyandu p cross join lateral generate_series(1, 5 + floor(random() * 4 + p.id * 0)::int) k -- 5-8; p.id: one draw per posyandu
    where p.name like 'Posyandu Skala %'
  ) x where n <= ${N}`,
);
await step(
  "pelatihan per desa",
  sql`
  insert into workshops (title, kind, audience, region_code, venue, starts_at, ends_at, capacity, status, module_slugs, created_by)
  select 'Pelatihan Skala ' || code, 'pelatihan', 'kader', code, 'Balai Desa', s, s + interval '7 hours', 5000, 'completed', ${slugs}::text[], 'sx0admin'
  from (select code, now() - (30 + (random() * 670)::int) * interval '1 day' as s from regions where level = 'desa') d`,
);
await step("analyze (fresh statistics for the joins below)", sql`analyze users, workshops, posyandu, regions`);
await step(
  "enrolments (~60%)",
  sql`
  insert into enrolments (workshop_id, user_id, status, at)
  select w.id, u.id, 'enrolled', w.starts_at - interval '7 days'
  from users u join workshops w on w.region_code = u.scope_code and w.title like 'Pelatihan Skala %'
  where u.id ~ ${SCALE_USER} and u.role = 'kader' and random() < 0.6`,
);
await step(
  "attendance (~85% of enrolled)",
  sql`
  insert into attendance (workshop_id, user_id, status, method, at)
  select e.workshop_id, e.user_id,
         case when r < 0.75 then 'hadir' when r < 0.85 then 'terlambat' when r < 0.93 then 'izin' else 'alpa' end, 'roster', w.starts_at
  from (select workshop_id, user_id, random() as r from enrolments where user_id ~ ${SCALE_USER}) e join workshops w on w.id = e.workshop_id`,
);
await step("analyze", sql`analyze enrolments, attendance`);
await step(
  "module progress of attendees",
  sql`
  insert into module_progress (user_id, slug, content_hash, opened_at, completed_at, best_score, passed_at)
  select user_id, slug, ${hash}, at - interval '1 day', at, score, case when score >= 70 then at end
  from (
    select a.user_id, s.slug, least(now(), a.at + (3 + (random() * 60)::int) * interval '1 day') as at,
           case when d >= 0.5 or random() < 0.85 then 75 + (random() * 5)::int * 5 else 37 + (random() * 4)::int * 6 end as score,
           d, random() as r
    from (select user_id, at, random() as d from attendance where user_id ~ ${SCALE_USER} and status in ('hadir', 'terlambat')) a
    cross join unnest(${slugs}::text[]) s(slug)
  ) x where d >= 0.5 or r < 0.7`,
);
// The item-statistics trigger (drizzle/0013) aggregates a statement's rows as one jsonb array,
// over PostgreSQL's 256 MB limit at this size: off for the bulk insert, rebuilt below (rebuildReporting).
await step("item-statistics trigger off", sql`alter table quiz_attempts disable trigger user`);
await step(
  "quiz attempts (one per module read)",
  sql`
  insert into quiz_attempts (id, user_id, slug, content_hash, question_ids, draw, pass_score, started_at, submitted_at, answers, score, passed, idempotency_key)
  select 'sq' || md5(user_id || slug), user_id, slug, content_hash, '{}', '[]'::jsonb, 70, completed_at - interval '12 minutes', completed_at, '{}'::jsonb,
         best_score, best_score >= 70, 'sq' || md5(user_id || slug)
  from module_progress where user_id ~ ${SCALE_USER}`,
);
await step("item-statistics trigger on", sql`alter table quiz_attempts enable trigger user`);
await step(
  "certificates for kader who met the rule",
  sql`
  insert into certificates (code, user_id, programme_id, cycle, issued_at, expires_at, revoked_at, revoked_reason, issuing_region, payload, signature)
  select ${certificateCode(sql`row_number() over ()`)}, user_id, ${programme.id}, 1, issued, issued + ${programme.validityMonths} * interval '1 month',
         case when random() < 0.005 then now() end, null, kab, '{}'::jsonb, 'skala'
  from (
    select mp.user_id, greatest(max(mp.completed_at), min(a.at)) + interval '1 day' as issued, substr(u.scope_code, 1, 5) as kab
    from module_progress mp
    join users u on u.id = mp.user_id
    join attendance a on a.user_id = mp.user_id and a.status in ('hadir', 'terlambat')
    where mp.user_id ~ ${SCALE_USER} and mp.passed_at is not null
    group by mp.user_id, u.scope_code having count(distinct mp.slug) = ${programme.requiredModules.length}
  ) q where issued < now()`,
);
await step(
  "spread issue dates over 24 months",
  sql`
  update certificates set issued_at = now() - (random() * 725)::int * interval '1 day'
  where user_id ~ ${SCALE_USER}`,
);
await step(
  "expiry from issue",
  sql`
  update certificates set expires_at = issued_at + ${programme.validityMonths} * interval '1 month' where user_id ~ ${SCALE_USER}`,
);
// Tim Pembina (issue 20): one pembina kecamatan per kecamatan and one pembina desa per desa
// ("sx0pk…"/"sx0pd…"), ~60% of the kecamatan and ~40% of the desa teams certified in the pembina
// programme (1% of those revoked, some expired): the cascade of the dashboard reads them.
const pembina = pembinaProgramme();
await step(
  "pembina kecamatan and desa",
  sql`
  insert into users (id, name, phone, role, scope_code, active)
  select case when level = 'kecamatan' then 'sx0pk' else 'sx0pd' end || lpad(n::text, 7, '0'), 'Pembina ' || code,
         '62897' || lpad(n::text, 8, '0'), case when level = 'kecamatan' then 'pembina_kecamatan' else 'pembina_desa' end, code, random() > 0.02
  from (select code, level, row_number() over (order by code) as n from regions where level in ('kecamatan', 'desa')) r`,
);
if (pembina)
  await step(
    "pembina certificates",
    sql`
  insert into certificates (code, user_id, programme_id, cycle, issued_at, expires_at, revoked_at, issuing_region, payload, signature)
  select ${certificateCode(sql`50000000 + row_number() over ()`)}, id, ${pembina.id}, 1, issued, issued + ${pembina.validityMonths} * interval '1 month',
         case when random() < 0.01 then now() end, substr(scope_code, 1, 5), '{}'::jsonb, 'skala'
  from (select id, scope_code, now() - (random() * 760)::int * interval '1 day' as issued from users
        where id ~ '^sx0p[kd]' and random() < case when role = 'pembina_kecamatan' then 0.6 else 0.4 end) u`,
  );
// Praktik lapangan as the certification rule implies it: each certificate holder of the programme
// was observed 'kompeten' in `practice.required` different tasks (the latest per task) before
// the issue, by the pembina of her desa (else of her kecamatan); ~20% of the kader who passed
// every module also have a 'belum kompeten' on another task. Tasks by a hash of the user id.
const practice = programme.practice;
if (practice.required && practice.tasks.length > practice.required) {
  const tasks = JSON.stringify(
    practice.tasks.map((t) => ({ id: t.id, full: t.steps.map(() => true), partial: t.steps.map((_, i) => i > 0) })),
  );
  const taskRows = sql`(select x.i, x.t->>'id' as id, x.t->'full' as full, x.t->'partial' as partial
                        from jsonb_array_elements(${tasks}::jsonb) with ordinality x(t, i))`;
  const userHash = (col: ReturnType<typeof sql>) => sql`(('x' || substr(md5(${col}), 1, 7))::bit(28)::int)`;
  // The observer of a kader's desa: its pembina desa, else its kecamatan's, else the scale admin.
  const observer = (desa: ReturnType<typeof sql>) => sql`coalesce(
    (select min(p.id) from users p where p.id ~ '^sx0pd' and p.scope_code = ${desa}),
    (select min(p.id) from users p where p.id ~ '^sx0pk' and p.scope_code = array_to_string((string_to_array(${desa}, '.'))[1:3], '.')),
    'sx0admin')`;
  await step(
    `practice: ${practice.required} kompeten tasks per certificate holder`,
    sql`
    insert into practice_observations (user_id, task_id, observed_on, place, steps, result, note, observer_id, recorded_at, idempotency_key)
    select h.user_id, t.id, (a.at at time zone 'Asia/Makassar')::date, 'Posyandu', t.full, 'kompeten', '', h.observer, a.at,
           'sp' || md5(h.user_id || t.id)
    from (select c.user_id, min(c.issued_at) as issued, ${userHash(sql`c.user_id`)} as n, ${observer(sql`u.scope_code`)} as observer
          from certificates c join users u on u.id = c.user_id
          where c.user_id ~ ${SCALE_USER} and u.role = 'kader' and c.programme_id = ${programme.id}
          group by c.user_id, u.scope_code) h
    cross join lateral generate_series(1, ${practice.required}::int) k
    join ${taskRows} t on t.i = 1 + (h.n + k) % ${practice.tasks.length}::int
    cross join lateral (select h.issued - (3 * k + 1) * interval '1 day' - (h.n % 480) * interval '1 minute' as at) a`,
    "practice",
  );
  await step(
    "practice: 'belum kompeten' for ~20% of kader with every module passed",
    sql`
    insert into practice_observations (user_id, task_id, observed_on, place, steps, result, note, observer_id, recorded_at, idempotency_key)
    select m.user_id, t.id, (a.at at time zone 'Asia/Makassar')::date, 'Posyandu', t.partial, 'belum_kompeten', 'Perlu pendampingan',
           m.observer, a.at, 'sb' || md5(m.user_id || t.id)
    from (select mp.user_id, max(mp.passed_at) as passed, ${userHash(sql`mp.user_id`)} as n, ${observer(sql`u.scope_code`)} as observer
          from module_progress mp join users u on u.id = mp.user_id
          where mp.user_id ~ ${SCALE_USER} and u.role = 'kader' and mp.passed_at is not null and mp.slug = any(${slugs}::text[])
          group by mp.user_id, u.scope_code having count(*) = ${programme.requiredModules.length}::int) m
    join ${taskRows} t on t.i = 1 + m.n % ${practice.tasks.length}::int
    cross join lateral (select least(now() - interval '1 hour', m.passed + interval '14 days') as at) a
    where random() < 0.2`,
    "practice",
  );
}
if (ONLY === "practice") {
  const t = performance.now();
  const changed = await rebuildPractised();
  console.log(
    `  kader_progress.practised_at and stats_kader.practised: ${changed.toLocaleString("en")} kader changed, ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const [n] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from practice_observations where user_id ~ ${SCALE_USER}`),
  );
  console.log(
    `Done in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${n.n.toLocaleString("en")} practice records`,
  );
  await closeDb();
  process.exit(0);
}
const sample = rowsOf<{ code: string }>(
  await db.execute(sql`select code from certificates where user_id ~ ${SCALE_USER} limit 1000`),
);
const bad = sample.filter((r) => !isCanonicalCode(r.code));
if (bad.length)
  throw new Error(
    `certificate codes fail the app's check: ${bad
      .slice(0, 3)
      .map((r) => r.code)
      .join(", ")}`,
  );
console.log(`  certificate codes: ${sample.length} sampled, all pass the app's check`);
let t = performance.now();
await rebuildReporting();
console.log(`  reporting inputs and rollups: ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
await db.execute(sql`analyze`);
console.log(`  analyze: ${((performance.now() - t) / 1000).toFixed(1)} s`);
const counts = (await db.execute(sql`select
  (select count(*) from users where id ~ ${SCALE_USER} and role = 'kader') as kader,
  (select count(*) from regions where level = 'provinsi') as provinsi,
  (select count(*) from regions where level = 'kabupaten') as kabupaten,
  (select count(*) from regions where level = 'kecamatan') as kecamatan,
  (select count(*) from regions where level = 'desa') as desa,
  (select count(*) from posyandu where name like 'Posyandu Skala %') as posyandu,
  (select count(*) from attendance where user_id ~ ${SCALE_USER}) as attendance,
  (select count(*) from module_progress where user_id ~ ${SCALE_USER}) as progress,
  (select count(*) from quiz_attempts where user_id ~ ${SCALE_USER}) as attempts,
  (select count(*) from certificates where user_id ~ ${SCALE_USER}) as certificates,
  (select count(*) from practice_observations where user_id ~ ${SCALE_USER}) as practice`)) as unknown as Record<
  string,
  string
>[];
console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(0)} s:`, counts[0]);
await closeDb();
