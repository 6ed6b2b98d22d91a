/**
 * A synthetic national-scale data set for the dashboard benchmark, into PostgreSQL:
 *   DATABASE_URL=postgres://… npm run seed:scale -- --kader 1414244
 * A national-shaped region tree: Kalimantan Timur's real one plus 37 synthetic provinces
 * ("Provinsi Skala 11" …) for 38 provinces, 514 kabupaten/kota, ~7,200 kecamatan and
 * ~82,000 desa. Posyandu: 221,428 × N / 1,414,244 spread evenly over every desa; 5-8 kader
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
import { seedRegionsIfEmpty } from "~/features/regions/regions.server";
import { seedBoundariesIfEmpty } from "~/features/regions/boundaries.server";
import { rebuildReporting } from "~/features/projection/projection.server";
import { CODE_ALPHABET, isCanonicalCode } from "~/features/certification/code";
import { rowsOf } from "~/db.server";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("kader", 1_414_244);
const P = Math.max(100, Math.round((N * 221_428) / 1_414_244));
if (!Number.isFinite(N) || N < 1000) throw new Error("--kader must be a number of at least 1000");

await dbReady();
if (dbKind() !== "postgres") {
  console.error("seed:scale needs PostgreSQL: set DATABASE_URL.");
  process.exit(2);
}
await seedRegionsIfEmpty();
await seedBoundariesIfEmpty(); // the map of Kalimantan Timur's kabupaten pages
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
const step = async (label: string, q: ReturnType<typeof sql>) => {
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
await step("clear scale workshops", sql`delete from workshops where title like 'Pelatihan Skala %'`);
await step(
  "clear previous scale data",
  sql`
  with gone as (delete from users where id ~ ${SCALE_USER} returning id)
  select count(*) from gone`,
);
await step("clear scale posyandu", sql`delete from posyandu where name like 'Posyandu Skala %'`);
await step(
  "clear scale regions",
  sql`
  delete from regions where name like '% Skala %' and code not like '64%'`,
);
// 37 provinces besides Kalimantan Timur (64), with their real codes; 13-14 kabupaten each
// (504), 8-20 kecamatan per kabupaten, 5-18 desa per kecamatan.
const PROVINCES = [
  "11",
  "12",
  "13",
  "14",
  "15",
  "16",
  "17",
  "18",
  "19",
  "21",
  "31",
  "32",
  "33",
  "34",
  "35",
  "36",
  "51",
  "52",
  "53",
  "61",
  "62",
  "63",
  "65",
  "71",
  "72",
  "73",
  "74",
  "75",
  "76",
  "81",
  "82",
  "91",
  "92",
  "93",
  "94",
  "95",
  "96",
];
await step(
  "national region tree",
  sql`
  with p as (select code, row_number() over (order by code) as i from unnest(${`{${PROVINCES.join(",")}}`}::text[]) code),
  ins_p as (insert into regions (code, name, level, parent_code) select code, 'Provinsi Skala ' || code, 'provinsi', null from p on conflict do nothing),
  k as (select p.code || '.' || lpad(g::text, 2, '0') as code, p.code as parent, row_number() over (order by p.code, g) as j
        from p cross join lateral generate_series(1, 13 + (p.i <= 23)::int) g),
  ins_k as (insert into regions (code, name, level, parent_code) select code, 'Kabupaten Skala ' || code, 'kabupaten', parent from k on conflict do nothing),
  c as (select k.code || '.' || lpad(g::text, 2, '0') as code, k.code as parent, row_number() over (order by k.code, g) as m
        from k cross join lateral generate_series(1, 8 + ((k.j * 7) % 13)::int) g),
  ins_c as (insert into regions (code, name, level, parent_code) select code, 'Kecamatan Skala ' || code, 'kecamatan', parent from c on conflict do nothing)
  insert into regions (code, name, level, parent_code)
  select c.code || '.' || (2000 + g)::text, 'Desa Skala ' || c.code || '.' || (2000 + g)::text, 'desa', c.code
  from c cross join lateral generate_series(1, 5 + ((c.m * 11) % 14)::int) g
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
  (select count(*) from certificates where user_id ~ ${SCALE_USER}) as certificates`)) as unknown as Record<
  string,
  string
>[];
console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(0)} s:`, counts[0]);
await closeDb();
