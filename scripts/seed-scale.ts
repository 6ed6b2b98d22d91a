/**
 * A synthetic national-scale data set for the dashboard benchmark, into PostgreSQL:
 *   DATABASE_URL=postgres://… npm run seed:scale -- --kader 1400000
 * For every desa of the region table: posyandu (about N / 6 / desa each), 5-7 kader per
 * posyandu, one completed pelatihan per desa with ~60% enrolled and ~85% of those
 * attending, module progress and quiz attempts for attendees (~70% read each module,
 * ~85% of readers pass), and certificates for those who met the rule, issued over the
 * last 24 months (some expiring within 60 days, 0.5% revoked). Then the reporting
 * inputs and rollups are rebuilt in bulk. Set-based SQL: the database does the work.
 * Existing scale data (ids starting with "sx") is replaced; other data is kept.
 */
import { sql } from "drizzle-orm";
import { closeDb, db, dbKind, dbReady } from "~/db.server";
import { content } from "~/features/learning/content.server";
import { seedRegionsIfEmpty } from "~/features/regions/regions.server";
import { rebuildReporting } from "~/features/reporting/reports.server";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("kader", 1_400_000);
if (!Number.isFinite(N) || N < 1000) throw new Error("--kader must be a number of at least 1000");

await dbReady();
if (dbKind() !== "postgres") {
  console.error("seed:scale needs PostgreSQL: set DATABASE_URL.");
  process.exit(2);
}
await seedRegionsIfEmpty();
const programme = content().defaultProgramme;
const slugs = `{${programme.requiredModules.join(",")}}`;
const hash = content().bySlug.get(programme.requiredModules[0])!.hash;

const t0 = performance.now();
const step = async (label: string, q: ReturnType<typeof sql>) => {
  const t = performance.now();
  await db.execute(q);
  console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
};

console.log(`seed:scale with ${N.toLocaleString("en")} kader`);
await step("clear previous scale data", sql`
  with gone as (delete from users where id like 'sx%' returning id)
  select count(*) from gone`);
await step("clear scale posyandu and workshops", sql`
  with a as (delete from workshops where title like 'Pelatihan Skala %'), b as (delete from posyandu where name like 'Posyandu Skala %') select 1`);
await step("creator account", sql`
  insert into users (id, name, phone, role, scope_code, active) values ('sxadmin0000', 'Admin Skala', '6289900000000', 'admin', (select min(code) from regions where level = 'provinsi'), true)
  on conflict do nothing`);
await step("posyandu", sql`
  insert into posyandu (name, desa_code, registration_no, active)
  select 'Posyandu Skala ' || d.code || '-' || g, d.code, null, true
  from (select code, count(*) over () as desa from regions where level = 'desa') d
  cross join lateral generate_series(1, greatest(1, round(${N}::numeric / 6 / d.desa * (0.82 + random() * 0.4))::int)) g`); // a little over N/6: the kader step stops at exactly N
await step("kader", sql`
  insert into users (id, name, phone, role, scope_code, posyandu_id, spm_bidang, gender, birth_year, active)
  select 'sx' || lpad(n::text, 10, '0'), 'Kader ' || n, '62899' || lpad(n::text, 8, '0'), 'kader', desa_code, pid,
         (array['pendidikan','kesehatan','pekerjaan-umum','perumahan-rakyat','trantibum-linmas','sosial'])[1 + n % 6],
         case when n % 13 = 0 then 'L' else 'P' end, 1965 + n % 40, random() > 0.03
  from (
    select row_number() over () as n, p.desa_code, p.id as pid
    from posyandu p cross join lateral generate_series(1, 5 + (random() * 2 + p.id * 0)::int) k -- p.id: one draw per posyandu
    where p.name like 'Posyandu Skala %'
  ) x where n <= ${N}`);
await step("pelatihan per desa", sql`
  insert into workshops (title, kind, audience, region_code, venue, starts_at, ends_at, capacity, status, module_slugs, created_by)
  select 'Pelatihan Skala ' || code, 'pelatihan', 'kader', code, 'Balai Desa', s, s + interval '7 hours', 5000, 'completed', ${slugs}::text[], 'sxadmin0000'
  from (select code, now() - (30 + (random() * 670)::int) * interval '1 day' as s from regions where level = 'desa') d`);
await step("enrolments (~60%)", sql`
  insert into enrolments (workshop_id, user_id, status, at)
  select w.id, u.id, 'enrolled', w.starts_at - interval '7 days'
  from users u join workshops w on w.region_code = u.scope_code and w.title like 'Pelatihan Skala %'
  where u.id like 'sx%' and u.role = 'kader' and random() < 0.6`);
await step("attendance (~85% of enrolled)", sql`
  insert into attendance (workshop_id, user_id, status, method, at)
  select e.workshop_id, e.user_id,
         case when r < 0.75 then 'hadir' when r < 0.85 then 'terlambat' when r < 0.93 then 'izin' else 'alpa' end, 'roster', w.starts_at
  from (select workshop_id, user_id, random() as r from enrolments where user_id like 'sx%') e join workshops w on w.id = e.workshop_id`);
await step("module progress of attendees", sql`
  insert into module_progress (user_id, slug, content_hash, opened_at, completed_at, best_score, passed_at)
  select user_id, slug, ${hash}, at - interval '1 day', at, score, case when score >= 70 then at end
  from (
    select a.user_id, s.slug, least(now(), a.at + (3 + (random() * 60)::int) * interval '1 day') as at,
           case when d >= 0.5 or random() < 0.85 then 75 + (random() * 5)::int * 5 else 37 + (random() * 4)::int * 6 end as score,
           d, random() as r
    from (select user_id, at, random() as d from attendance where user_id like 'sx%' and status in ('hadir', 'terlambat')) a
    cross join unnest(${slugs}::text[]) s(slug)
  ) x where d >= 0.5 or r < 0.7`);
await step("quiz attempts (one per module read)", sql`
  insert into quiz_attempts (id, user_id, slug, content_hash, question_ids, draw, pass_score, started_at, submitted_at, answers, score, passed, idempotency_key)
  select 'sq' || md5(user_id || slug), user_id, slug, content_hash, '{}', '[]'::jsonb, 70, completed_at - interval '12 minutes', completed_at, '{}'::jsonb,
         best_score, best_score >= 70, 'sq' || md5(user_id || slug)
  from module_progress where user_id like 'sx%'`);
await step("certificates for kader who met the rule", sql`
  insert into certificates (code, user_id, programme_id, cycle, issued_at, expires_at, revoked_at, revoked_reason, issuing_region, payload, signature)
  select 'AP-S' || lpad(row_number() over ()::text, 8, '0'), user_id, ${programme.id}, 1, issued, issued + ${programme.validityMonths} * interval '1 month',
         case when random() < 0.005 then now() end, null, kab, '{}'::jsonb, 'skala'
  from (
    select mp.user_id, greatest(max(mp.completed_at), min(a.at)) + interval '1 day' as issued, substr(u.scope_code, 1, 5) as kab
    from module_progress mp
    join users u on u.id = mp.user_id
    join attendance a on a.user_id = mp.user_id and a.status in ('hadir', 'terlambat')
    where mp.user_id like 'sx%' and mp.passed_at is not null
    group by mp.user_id, u.scope_code having count(distinct mp.slug) = ${programme.requiredModules.length}
  ) q where issued < now()`);
await step("spread issue dates over 24 months", sql`
  update certificates set issued_at = now() - (random() * 725)::int * interval '1 day'
  where user_id like 'sx%'`);
await step("expiry from issue", sql`
  update certificates set expires_at = issued_at + ${programme.validityMonths} * interval '1 month' where user_id like 'sx%'`);
let t = performance.now();
await rebuildReporting();
console.log(`  reporting inputs and rollups: ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
await db.execute(sql`analyze`);
console.log(`  analyze: ${((performance.now() - t) / 1000).toFixed(1)} s`);
const counts = (await db.execute(sql`select
  (select count(*) from users where id like 'sx%' and role = 'kader') as kader,
  (select count(*) from posyandu where name like 'Posyandu Skala %') as posyandu,
  (select count(*) from attendance where user_id like 'sx%') as attendance,
  (select count(*) from module_progress where user_id like 'sx%') as progress,
  (select count(*) from quiz_attempts where user_id like 'sx%') as attempts,
  (select count(*) from certificates where user_id like 'sx%') as certificates`)) as unknown as Record<string, string>[];
console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(0)} s:`, counts[0]);
await closeDb();
