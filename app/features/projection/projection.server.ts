/**
 * Reporting, the write side of the projection, with one entry point per use: every write
 * that changes a kader's inputs calls refreshKaderProgress in its own transaction (the
 * rollup triggers then update the stats_* rows); refreshRegion and rebuildReporting
 * recompute a region or everything in set-based statements (bulk loads, repair);
 * reportingMismatches checks that every rollup equals a recomputation.
 */
import { type SQL, sql } from "drizzle-orm";
import { kaderProgrammes } from "~/features/catalogue/content.server";
import { db, type Conn, rowsOf } from "~/db.server";
import { timed } from "~/metrics.server";
import type { Programme } from "~/features/catalogue/content-schema";
import { withinScope } from "~/db/scope";
import { REPORTING_ZONE } from "~/lib/timezone";
import { env } from "~/env.server";

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
 * The practice requirement in SQL, the one spelling of it (refreshKaderProgress, the bulk
 * rebuild, seed:scale; the TypeScript twin for one kader is practiceStatus in
 * certification/rule.ts): the kader who meet it today, with when they met it. A kader meets it
 * with `practice.required` tasks of the programme whose LATEST observation (recorded_at, then
 * id) is 'kompeten'; `at` is the recording time of the observation that completed it (the
 * required-th of those latest kompeten observations). `filter` narrows the observations
 * (alias `o`), e.g. to some users. Rows (user_id, at); none when the programme requires none.
 */
export function practisedSql(p: Programme, filter: SQL = sql`true`): SQL {
  const required = p.practice.required;
  if (!required || !p.practice.tasks.length)
    return sql`select null::text as user_id, null::timestamptz as at where false`;
  const tasks = `{${p.practice.tasks.map((t) => t.id).join(",")}}`;
  return sql`
    select l.user_id, (array_agg(l.recorded_at order by l.recorded_at, l.id))[${required}::int] as at
    from (select distinct on (o.user_id, o.task_id) o.user_id, o.task_id, o.result, o.recorded_at, o.id
          from practice_observations o
          where o.task_id = any(${tasks}::text[]) and ${filter}
          order by o.user_id, o.task_id, o.recorded_at desc, o.id desc) l
    where l.result = 'kompeten'
    group by l.user_id
    having count(*) >= ${required}::int`;
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
        enrolled_at, attended_at, modules_passed_at, certified_at, cert_expires_at, practised_at)
      select u.id, ${p.id}, u.scope_code, u.posyandu_id, coalesce(u.spm_bidang, ''), u.active,
        (select min(e.at) from enrolments e join workshops w on w.id = e.workshop_id
          where e.user_id = u.id and e.status = 'enrolled' and w.kind = ${i.kind} and w.status <> 'cancelled'),
        (select min(a.at) from attendance a join workshops w on w.id = a.workshop_id
          where a.user_id = u.id and a.status = any(${i.statuses}::text[]) and w.kind = ${i.kind} and w.status in ('published', 'completed')),
        (select case when count(*) = ${i.n} then max(greatest(mp.completed_at, coalesce(mp.passed_at, mp.completed_at))) end
          from module_progress mp
          where mp.user_id = u.id and mp.slug = any(${i.slugs}::text[]) and mp.completed_at is not null
            and ${i.passScore === null ? sql`mp.passed_at is not null` : sql`mp.best_score >= ${i.passScore}`}),
        c.issued_at, c.expires_at, pr.at
      from users u
      left join lateral (
        select issued_at, expires_at from certificates c
        where c.user_id = u.id and c.programme_id = ${p.id} and c.revoked_at is null
        order by c.cycle desc limit 1
      ) c on true
      left join (${practisedSql(p, sql`o.user_id = any(${idArray}::text[])`)}) pr on pr.user_id = u.id
      where u.id = any(${idArray}::text[]) and u.role = 'kader'
      on conflict (user_id, programme_id) do update set
        desa_code = excluded.desa_code, posyandu_id = excluded.posyandu_id, spm_bidang = excluded.spm_bidang,
        active = excluded.active, enrolled_at = excluded.enrolled_at, attended_at = excluded.attended_at,
        modules_passed_at = excluded.modules_passed_at, certified_at = excluded.certified_at, cert_expires_at = excluded.cert_expires_at,
        practised_at = excluded.practised_at
      where (kp.desa_code, kp.posyandu_id, kp.spm_bidang, kp.active, kp.enrolled_at, kp.attended_at, kp.modules_passed_at, kp.certified_at, kp.cert_expires_at, kp.practised_at)
        is distinct from (excluded.desa_code, excluded.posyandu_id, excluded.spm_bidang, excluded.active, excluded.enrolled_at,
          excluded.attended_at, excluded.modules_passed_at, excluded.certified_at, excluded.cert_expires_at, excluded.practised_at)`);
  }
  await conn.execute(sql`
    delete from kader_progress kp where kp.user_id = any(${idArray}::text[])
      and not exists (select 1 from users u where u.id = kp.user_id and u.role = 'kader')`);
}

/**
 * Moves the graded answers waiting in stats_item_pending into the stats_item rollup (one
 * statement; drizzle/0021_item_stats_fold.sql). Returns the rows moved, 0 when another
 * transaction is folding. Readers add the pending rows, so this changes no figure: it keeps
 * the pending table small. Run every ITEM_FOLD_MS by each server process (startItemFold).
 */
export async function foldItemStats(conn: Conn = db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await conn.execute(sql`select fold_stats_item() as n`));
  return Number(row?.n ?? 0);
}

let foldTimer: NodeJS.Timeout | undefined;

/**
 * Folds every ITEM_FOLD_MS in this process, one fold at a time (server.ts, after it listens;
 * stopped by stopItemFold at shutdown). A fold that fails (the database away, a rebuild
 * holding the table) is said once and tried again at the next tick: the rows wait, the
 * figures stay exact.
 */
export function startItemFold(ms = env().ITEM_FOLD_MS): void {
  if (foldTimer || ms <= 0) return;
  let running = false;
  let failing = false;
  foldTimer = setInterval(() => {
    if (running) return;
    running = true;
    timed("item-fold", () => foldItemStats())
      .then(() => {
        if (failing) console.error("Statistik soal dilipat lagi.");
        failing = false;
      })
      .catch((e: unknown) => {
        if (!failing) console.error(`Statistik soal belum dapat dilipat (dicoba lagi): ${(e as Error)?.message ?? e}`);
        failing = true;
      })
      .finally(() => {
        running = false;
      });
  }, ms);
  foldTimer.unref();
}

export function stopItemFold(): void {
  clearInterval(foldTimer);
  foldTimer = undefined;
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
  "stats_item_pending",
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
  // The item fold's lock before any TRUNCATE: a fold of another transaction waits for the
  // rebuild instead of holding stats_item_pending while the rebuild waits for it.
  await conn.execute(sql`select lock_item_fold(true)`);
  // Fresh statistics first: after a bulk load or a TRUNCATE (the redo of a demo seed) the
  // planner takes the tables for empty, and rebuild_stats_item's joins ran as nested loops
  // over every attempt (PostgreSQL: 257 s instead of 8 s on the demo's 16,000 attempts).
  await conn.execute(
    sql`analyze users, workshops, enrolments, attendance, module_progress, certificates, quiz_attempts, practice_observations`,
  );
  await conn.execute(sql`alter table kader_progress disable trigger user`);
  await conn.execute(sql`truncate ${derivedTablesList}`);
  for (const p of kaderProgrammes()) {
    const i = programmeInputs(p);
    await conn.execute(sql`
      insert into kader_progress (user_id, programme_id, desa_code, posyandu_id, spm_bidang, active,
        enrolled_at, attended_at, modules_passed_at, certified_at, cert_expires_at, practised_at)
      select u.id, ${p.id}, u.scope_code, u.posyandu_id, coalesce(u.spm_bidang, ''), u.active, e.at, a.at, m.at, c.issued_at, c.expires_at, pr.at
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
      left join (${practisedSql(p)}) pr on pr.user_id = u.id
      where u.role = 'kader'`);
  }
  await conn.execute(sql`analyze kader_progress`);
  // Each active kader once per level (the nation, its desa and the regions between:
  // region_levels_of, migration 0019), under its bidang and under '*'.
  const levels = sql`(select kp.*, lvl.code, bd.bidang
                      from kader_progress kp cross join lateral region_levels_of(kp.desa_code) lvl(code)
                      cross join lateral (values (kp.spm_bidang), ('*')) bd(bidang)
                      where kp.active)`;
  const tz = sql`${REPORTING_ZONE.iana}`;
  await conn.execute(sql`
    insert into stats_kader (region_code, programme_id, spm_bidang, active, practised)
    select code, programme_id, bidang, count(*), count(*) filter (where practised_at is not null) from ${levels} x group by 1, 2, 3`);
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

/**
 * kader_progress.practised_at of every kader and stats_kader.practised, recomputed set-based
 * after a bulk load of practice observations (seed:scale --only practice), in one transaction.
 * Only these two columns change, so the rollup trigger is off for the update (one statement
 * over hundreds of thousands of rows would expand each to its levels) and the counts are
 * written from kader_progress afterwards over the levels rebuildReporting counts. Returns the
 * number of kader rows whose practised_at changed.
 */
export async function rebuildPractised(conn: Conn = db): Promise<number> {
  return timed("rebuild", () =>
    conn.transaction(async (tx) => {
      await tx.execute(sql`analyze practice_observations`);
      await tx.execute(sql`alter table kader_progress disable trigger user`);
      let changed = 0;
      for (const p of kaderProgrammes()) {
        const [row] = rowsOf<{ n: number }>(
          await tx.execute(sql`
            with upd as (
              update kader_progress kp set practised_at = pr.at
              from kader_progress k left join (${practisedSql(p)}) pr on pr.user_id = k.user_id
              where k.programme_id = ${p.id} and kp.user_id = k.user_id and kp.programme_id = k.programme_id
                and kp.practised_at is distinct from pr.at
              returning 1)
            select count(*)::int as n from upd`),
        );
        changed += Number(row?.n ?? 0);
      }
      await tx.execute(sql`alter table kader_progress enable trigger user`);
      await tx.execute(sql`
        update stats_kader s set practised = coalesce(x.n, 0)
        from stats_kader s2 left join (
          select lvl.code, kp.programme_id, bd.bidang, count(*)::int as n
          from kader_progress kp cross join lateral region_levels_of(kp.desa_code) lvl(code)
          cross join lateral (values (kp.spm_bidang), ('*')) bd(bidang)
          where kp.active and kp.practised_at is not null group by 1, 2, 3
        ) x on (x.code, x.programme_id, x.bidang) = (s2.region_code, s2.programme_id, s2.spm_bidang)
        where (s.region_code, s.programme_id, s.spm_bidang) = (s2.region_code, s2.programme_id, s2.spm_bidang)
          and s.practised is distinct from coalesce(x.n, 0)`);
      return changed;
    }),
  );
}

// ---------------------------------------------------------------- consistency check

/** The rows of each derived table that a recomputation must reproduce (rows that count nothing left out). */
const COMPARED: Record<(typeof DERIVED_TABLES)[number], string | null> = {
  kader_progress: "select * from kader_progress",
  stats_kader:
    "select region_code, programme_id, spm_bidang, active, practised from stats_kader where (active, practised) <> (0, 0)",
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
  // Empty after a fold: reportingMismatches folds first, and a rebuild folds as it goes.
  stats_item_pending: "select * from stats_item_pending",
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
      await foldItemStats(tx);
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
