/**
 * Reporting, the write side of the projection, with one entry point per use: every write
 * that changes a kader's inputs calls refreshKaderProgress in its own transaction (the
 * rollup triggers then update the stats_* rows); refreshRegion and rebuildReporting
 * recompute a region or everything in set-based statements (bulk loads, repair);
 * reportingMismatches checks that every rollup equals a recomputation.
 */
import { sql } from "drizzle-orm";
import { content, kaderProgrammes } from "~/features/catalogue/content.server";
import { db, type Conn, rowsOf } from "~/db.server";
import { timed } from "~/metrics.server";
import type { Programme } from "~/features/catalogue/content-schema";
import { withinScope } from "~/db/scope";
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
  return timed("kader", () => refreshIn(ids, conn));
}

async function refreshIn(ids: string[], conn: Conn): Promise<void> {
  const idArray = `{${ids.join(",")}}`;
  for (const p of kaderProgrammes()) {
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
 * Every table derived from the base tables (kader_progress by refreshKaderProgress, the rest
 * by the rollup triggers of drizzle/0004-0013). Whatever empties base tables without row
 * triggers (TRUNCATE: a rebuild, the redo of an interrupted demo seed) empties all of these
 * too, or the rollups keep counting rows that are gone. A test checks that every stats_*
 * table of the schema is listed.
 */
export const DERIVED_TABLES = [
  "kader_progress",
  "stats_kader",
  "stats_funnel",
  "stats_cert_expiry",
  "stats_cert_expiry_month",
  "stats_cert_month",
  "stats_flow",
  "stats_item",
  "quiz_item_answers",
] as const;

/** The derived tables as a list for a TRUNCATE (appended to one of base tables: one statement). */
export const derivedTablesList = sql.raw(DERIVED_TABLES.join(", "));

/**
 * Rebuilds kader_progress and every stats_* table from the base tables in a few
 * set-based statements (for bulk loads such as seed:scale, or to repair), in one
 * transaction: an interrupted rebuild leaves the rollups as they were. Same definitions
 * as refreshKaderProgress and the rollup triggers; reportingMismatches checks they agree.
 */
export async function rebuildReporting(conn: Conn = db): Promise<void> {
  await timed("rebuild", () => conn.transaction((tx) => rebuildIn(tx)));
}

async function rebuildIn(conn: Conn): Promise<void> {
  // Fresh statistics first: after a bulk load or a TRUNCATE (the redo of a demo seed) the
  // planner takes the tables for empty, and rebuild_stats_item's joins ran as nested loops
  // over every attempt (PostgreSQL: 257 s instead of 8 s on the demo's 16,000 attempts).
  await conn.execute(
    sql`analyze users, workshops, enrolments, attendance, module_progress, certificates, quiz_attempts`,
  );
  await conn.execute(sql`alter table kader_progress disable trigger user`);
  await conn.execute(sql`truncate ${derivedTablesList}`);
  for (const p of kaderProgrammes()) {
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
  await conn.execute(sql`analyze kader_progress`);
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

// ---------------------------------------------------------------- consistency check

/** The rows of each derived table that a recomputation must reproduce (rows that count nothing left out). */
const COMPARED: Record<(typeof DERIVED_TABLES)[number], string | null> = {
  kader_progress: "select * from kader_progress",
  stats_kader: "select region_code, programme_id, spm_bidang, active from stats_kader where active <> 0",
  stats_funnel: `select region_code, programme_id, spm_bidang, year, enrolled, attended, modules_passed, certified
    from stats_funnel where (enrolled, attended, modules_passed, certified) <> (0, 0, 0, 0)`,
  stats_cert_expiry: "select region_code, programme_id, spm_bidang, expires_on, n from stats_cert_expiry where n <> 0",
  stats_cert_expiry_month:
    "select region_code, programme_id, spm_bidang, month, n from stats_cert_expiry_month where n <> 0",
  stats_cert_month: "select region_code, programme_id, month, n from stats_cert_month where n <> 0",
  // History written as it happened: checked by what it gives today (below), not row by row.
  stats_flow: null,
  // Option counts back at 0 (an attempt added, then removed) are not in a recomputation.
  stats_item: `select region_code, slug, question_id, month, first_try, section, n, correct, rest_sum, rest_sq, xy_rest,
    (select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from jsonb_each(options) o(k, v) where v <> '0'::jsonb) as options
    from stats_item where n <> 0`,
  quiz_item_answers: "select * from quiz_item_answers",
};

/**
 * Every derived table compared with a recomputation from the base tables: one line per
 * table that differs, empty when all agree. stats_flow's history depends on when rows were
 * written, so it is checked by what it must give today: its sums up to today equal
 * stats_kader and the certificates of stats_cert_expiry still valid. Runs rebuildReporting
 * in a transaction that is rolled back: nothing changes, but the derived tables are held
 * for its duration (seconds at demo size): for tests and maintenance, not a busy server.
 */
export async function reportingMismatches(): Promise<string[]> {
  const rollback = new Error("reportingMismatches: rollback");
  const out: string[] = [];
  const compared = Object.entries(COMPARED).filter((e): e is [string, string] => e[1] !== null);
  try {
    await db.transaction(async (tx) => {
      const [flow] = rowsOf<{ n: number }>(
        await tx.execute(sql`
          with today as (select (now() at time zone ${REPORTING_ZONE.iana})::date as d),
          fl as (select region_code, programme_id, spm_bidang, sum(active)::int as a, sum(certified)::int as c
                 from stats_flow where day <= (select d from today) group by 1, 2, 3),
          k as (select region_code, programme_id, spm_bidang, active as a from stats_kader),
          e as (select region_code, programme_id, spm_bidang, sum(n)::int as c from stats_cert_expiry
                where expires_on >= (select d from today) group by 1, 2, 3)
          select count(*)::int as n from fl full join k using (region_code, programme_id, spm_bidang)
            full join e using (region_code, programme_id, spm_bidang)
          where coalesce(fl.a, 0) <> coalesce(k.a, 0) or coalesce(fl.c, 0) <> coalesce(e.c, 0)`),
      );
      if (flow.n) out.push(`stats_flow: ${flow.n} baris (wilayah, bidang) yang jumlahnya sampai hari ini salah`);
      for (const [table, query] of compared) {
        await tx.execute(sql.raw(`create temp table "kept_${table}" on commit drop as ${query}`));
      }
      await rebuildIn(tx);
      for (const [table, query] of compared) {
        const [d] = rowsOf<{ extra: number; missing: number }>(
          await tx.execute(
            sql.raw(`select (select count(*) from (select * from "kept_${table}" except all ${query}) x)::int as extra,
              (select count(*) from (${query} except all select * from "kept_${table}") x)::int as missing`),
          ),
        );
        if (d.extra || d.missing) out.push(`${table}: ${d.extra} baris berlebih, ${d.missing} baris kurang`);
      }
      throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  return out;
}
