/**
 * Reporting, the write side of the projection, with one entry point per use: every write
 * that changes a kader's inputs calls refreshKaderProgress in its own transaction (the
 * rollup triggers then update the stats_* rows); refreshRegion and rebuildReporting
 * recompute a region or everything in set-based statements (bulk loads, repair).
 */
import { sql } from "drizzle-orm";
import { content } from "~/features/learning/content.server";
import { db, type Conn, rowsOf } from "~/db.server";
import type { Programme } from "~/features/learning/content-schema";
import { withinScope } from "~/features/regions/regions.server";
import { REPORTING_ZONE } from "~/lib/timezone";

function programmeInputs(p: Programme) {
  return {
    kind: p.attendance.kind,
    statuses: `{${p.attendance.statuses.join(",")}}`,
    slugs: `{${p.requiredModules.join(",")}}`,
    n: p.requiredModules.length,
    passScore: p.passScore ?? null,
  };
}

/**
 * Recomputes the kader_progress rows of these users for every programme, exactly, from
 * the base tables. Rows that did not change are not rewritten (so the rollup trigger
 * does nothing); users who are no longer kader lose their rows.
 */
export async function refreshKaderProgress(userIds: string[], conn: Conn = db): Promise<void> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  const idArray = `{${ids.join(",")}}`;
  for (const p of content().programmes) {
    const i = programmeInputs(p);
    await conn.execute(sql`
      insert into kader_progress as kp (user_id, programme_id, desa_code, posyandu_id, spm_bidang, active,
        enrolled_at, attended_at, modules_passed_at, certified_at, cert_expires_at)
      select u.id, ${p.id}, u.scope_code, u.posyandu_id, coalesce(u.spm_bidang, ''), u.active,
        (select min(e.at) from enrolments e join workshops w on w.id = e.workshop_id
          where e.user_id = u.id and e.status = 'enrolled' and w.kind = ${i.kind} and w.status <> 'cancelled'),
        (select min(a.at) from attendance a join workshops w on w.id = a.workshop_id
          where a.user_id = u.id and a.status = any(${i.statuses}::text[]) and w.kind = ${i.kind} and w.status in ('published', 'completed')),
        (select case when count(*) = ${i.n} then max(greatest(mp.completed_at, coalesce(mp.passed_at, mp.completed_at))) end
          from module_progress mp
          where mp.user_id = u.id and mp.slug = any(${i.slugs}::text[]) and mp.completed_at is not null
            and ${i.passScore === null ? sql`mp.passed_at is not null` : sql`mp.best_score >= ${i.passScore}`}),
        c.issued_at, c.expires_at
      from users u
      left join lateral (
        select issued_at, expires_at from certificates c
        where c.user_id = u.id and c.programme_id = ${p.id} and c.revoked_at is null
        order by c.cycle desc limit 1
      ) c on true
      where u.id = any(${idArray}::text[]) and u.role = 'kader'
      on conflict (user_id, programme_id) do update set
        desa_code = excluded.desa_code, posyandu_id = excluded.posyandu_id, spm_bidang = excluded.spm_bidang,
        active = excluded.active, enrolled_at = excluded.enrolled_at, attended_at = excluded.attended_at,
        modules_passed_at = excluded.modules_passed_at, certified_at = excluded.certified_at, cert_expires_at = excluded.cert_expires_at
      where (kp.desa_code, kp.posyandu_id, kp.spm_bidang, kp.active, kp.enrolled_at, kp.attended_at, kp.modules_passed_at, kp.certified_at, kp.cert_expires_at)
        is distinct from (excluded.desa_code, excluded.posyandu_id, excluded.spm_bidang, excluded.active, excluded.enrolled_at,
          excluded.attended_at, excluded.modules_passed_at, excluded.certified_at, excluded.cert_expires_at)`);
  }
  await conn.execute(sql`
    delete from kader_progress kp where kp.user_id = any(${idArray}::text[])
      and not exists (select 1 from users u where u.id = kp.user_id and u.role = 'kader')`);
}

/** Every kader of a region (all when no scope): after bulk loads or to repair. */
export async function refreshRegion(scope: string | null, conn: Conn = db): Promise<number> {
  const rows = rowsOf<{ id: string }>(
    await conn.execute(
      scope
        ? sql`select id from users where role = 'kader' and ${withinScope(sql`scope_code`, scope)}`
        : sql`select id from users where role = 'kader'`,
    ),
  );
  for (let i = 0; i < rows.length; i += 5000)
    await refreshKaderProgress(
      rows.slice(i, i + 5000).map((r) => r.id),
      conn,
    );
  return rows.length;
}

// ---------------------------------------------------------------- bulk rebuild

/**
 * Rebuilds kader_progress and every stats_* table from the base tables in a few
 * set-based statements (for bulk loads such as seed:scale, or to repair). Same
 * definitions as refreshKaderProgress and the rollup trigger; a test checks they agree.
 */
export async function rebuildReporting(conn: Conn = db): Promise<void> {
  await conn.execute(sql`alter table kader_progress disable trigger user`);
  await conn.execute(
    sql`truncate kader_progress, stats_kader, stats_funnel, stats_cert_expiry, stats_cert_expiry_month, stats_cert_month`,
  );
  for (const p of content().programmes) {
    const i = programmeInputs(p);
    await conn.execute(sql`
      insert into kader_progress (user_id, programme_id, desa_code, posyandu_id, spm_bidang, active,
        enrolled_at, attended_at, modules_passed_at, certified_at, cert_expires_at)
      select u.id, ${p.id}, u.scope_code, u.posyandu_id, coalesce(u.spm_bidang, ''), u.active, e.at, a.at, m.at, c.issued_at, c.expires_at
      from users u
      left join (select e.user_id, min(e.at) as at from enrolments e join workshops w on w.id = e.workshop_id
                 where e.status = 'enrolled' and w.kind = ${i.kind} and w.status <> 'cancelled' group by 1) e on e.user_id = u.id
      left join (select a.user_id, min(a.at) as at from attendance a join workshops w on w.id = a.workshop_id
                 where a.status = any(${i.statuses}::text[]) and w.kind = ${i.kind} and w.status in ('published', 'completed') group by 1) a on a.user_id = u.id
      left join (select mp.user_id, max(greatest(mp.completed_at, coalesce(mp.passed_at, mp.completed_at))) as at from module_progress mp
                 where mp.slug = any(${i.slugs}::text[]) and mp.completed_at is not null
                   and ${i.passScore === null ? sql`mp.passed_at is not null` : sql`mp.best_score >= ${i.passScore}`}
                 group by 1 having count(*) = ${i.n}) m on m.user_id = u.id
      left join (select distinct on (c.user_id) c.user_id, c.issued_at, c.expires_at from certificates c
                 where c.programme_id = ${p.id} and c.revoked_at is null order by c.user_id, c.cycle desc) c on c.user_id = u.id
      where u.role = 'kader'`);
  }
  // Each active kader once per level (desa and its ancestors), under its bidang and under '*'.
  const levels = sql`(select kp.*, array_to_string((string_to_array(kp.desa_code, '.'))[1:g.i], '.') as code, bd.bidang
                      from kader_progress kp cross join generate_series(1, 4) g(i)
                      cross join lateral (values (kp.spm_bidang), ('*')) bd(bidang)
                      where kp.active and g.i <= array_length(string_to_array(kp.desa_code, '.'), 1))`;
  const tz = sql`${REPORTING_ZONE.iana}`;
  await conn.execute(sql`
    insert into stats_kader (region_code, programme_id, spm_bidang, active)
    select code, programme_id, bidang, count(*) from ${levels} x group by 1, 2, 3`);
  await conn.execute(sql`
    insert into stats_funnel (region_code, programme_id, spm_bidang, year, enrolled, attended, modules_passed, certified)
    select code, programme_id, bidang, y, sum(e)::int, sum(a)::int, sum(m)::int, sum(c)::int from (
      select code, programme_id, bidang, extract(year from enrolled_at at time zone ${tz})::smallint as y, 1 as e, 0 as a, 0 as m, 0 as c from ${levels} x where enrolled_at is not null
      union all select code, programme_id, bidang, extract(year from attended_at at time zone ${tz})::smallint, 0, 1, 0, 0 from ${levels} x where attended_at is not null
      union all select code, programme_id, bidang, extract(year from modules_passed_at at time zone ${tz})::smallint, 0, 0, 1, 0 from ${levels} x where modules_passed_at is not null
      union all select code, programme_id, bidang, extract(year from certified_at at time zone ${tz})::smallint, 0, 0, 0, 1 from ${levels} x where certified_at is not null
    ) ev group by 1, 2, 3, 4`);
  await conn.execute(sql`
    insert into stats_cert_expiry (region_code, programme_id, spm_bidang, expires_on, n)
    select code, programme_id, bidang, (cert_expires_at at time zone ${tz})::date, count(*) from ${levels} x
    where certified_at is not null group by 1, 2, 3, 4`);
  await conn.execute(sql`
    insert into stats_cert_expiry_month (region_code, programme_id, spm_bidang, month, n)
    select region_code, programme_id, spm_bidang, date_trunc('month', expires_on)::date, sum(n) from stats_cert_expiry group by 1, 2, 3, 4`);
  await conn.execute(sql`
    insert into stats_cert_month (region_code, programme_id, month, n)
    select code, programme_id, date_trunc('month', certified_at at time zone ${tz})::date, count(*) from ${levels} x
    where certified_at is not null and bidang = '*' group by 1, 2, 3`);
  await conn.execute(sql`select rebuild_stats_flow()`);
  await conn.execute(sql`alter table kader_progress enable trigger user`);
  // Item statistics (Analisis soal) from the graded attempts.
  await conn.execute(sql`select rebuild_stats_item()`);
}
