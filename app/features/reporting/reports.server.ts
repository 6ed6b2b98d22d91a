/**
 * Reporting, the read side: the dashboard queries over the trigger-maintained rollups.
 * The write side (kader_progress refreshed after every write, bulk rebuild) is
 * projection.server.ts. Figure definitions: app/features/reporting/figures.ts.
 */
import { sql, type SQL } from "drizzle-orm";
import { content, kaderProgrammes } from "~/features/catalogue/content.server";
import { db, rowsOf, sqlRows } from "~/db.server";
import { SPM_BIDANG } from "~/db/schema";
import { withRate, type Figures } from "~/features/reporting/figures";
import { REPORTING_ZONE } from "~/lib/timezone";
import { lockedOutReport } from "~/features/coaching/kader-progress.server";
import { certValidOn } from "~/features/reporting/cascade.server";
import { childOf } from "~/features/regions/regions.server";

// ---------------------------------------------------------------- queries

export interface ReportFilter {
  programmeId: string;
  /** A year (WITA) or null for all time. */
  year: number | null;
  /** One SPM bidang, or null for all. */
  bidang: string | null;
  /** Today's date in WITA (YYYY-MM-DD): validity and the 60-day window are measured from it. */
  today: string;
}

export interface RegionFigures extends Figures {
  code: string;
  name: string;
  level: string;
}

/** The bidang key of the rollup rows: one bidang, or '*' (the all-bidang row). */
const bidangKey = (f: ReportFilter) => f.bidang ?? "*";

/**
 * CTEs dm/mm/ex: valid certificates today and those expiring within 60 days, per region_code
 * (and spm_bidang), from at most ~61 daily rows and the monthly rows after this month.
 */
function expiryCtes(where: SQL, f: ReportFilter, bidang: string | null) {
  const b = bidang === null ? sql`spm_bidang <> '*'` : sql`spm_bidang = ${bidang}`;
  return sql`ex as (
        select region_code, spm_bidang, sum(valid)::int as valid, sum(expiring)::int as expiring from (
          select region_code, spm_bidang,
                 case when expires_on < (date_trunc('month', ${f.today}::date) + interval '1 month')::date then n else 0 end as valid,
                 case when expires_on <= ${f.today}::date + 60 then n else 0 end as expiring
          from stats_cert_expiry where ${where} and programme_id = ${f.programmeId} and ${b}
            and expires_on between ${f.today}::date and greatest(${f.today}::date + 60, (date_trunc('month', ${f.today}::date) + interval '1 month - 1 day')::date)
          union all
          select region_code, spm_bidang, n, 0 from stats_cert_expiry_month
          where ${where} and programme_id = ${f.programmeId} and ${b} and month > ${f.today}::date
        ) e group by 1, 2)`;
}

/** The columns every figures query returns (counts cast to int in the SQL). */
interface FigureRow {
  active: number;
  enrolled: number;
  attended: number;
  modules_passed: number;
  issued: number;
  valid: number;
  expiring: number;
}

/** One row of a figures query as Figures: the one row→figures mapper of every level, table and export. */
function rowFigures(r: FigureRow): Figures {
  return withRate({
    activeKader: Number(r.active),
    enrolled: Number(r.enrolled),
    attended: Number(r.attended),
    modulesPassed: Number(r.modules_passed),
    issued: Number(r.issued),
    certified: Number(r.valid),
    expiring60: Number(r.expiring),
  });
}

/**
 * Figures for a set of regions (by code) from the rollups: a few indexed rows per region,
 * whatever the number of kader below it.
 */
async function figuresForRegions(codesSql: SQL, f: ReportFilter): Promise<Map<string, Figures>> {
  const b = bidangKey(f);
  const rows = rowsOf<FigureRow & { code: string }>(
    await db.execute(sql`
      with codes as (${codesSql}),
      k as (select region_code, active from stats_kader
            where region_code in (select code from codes) and programme_id = ${f.programmeId} and spm_bidang = ${b}),
      fu as (select region_code, sum(enrolled)::int as enrolled, sum(attended)::int as attended, sum(modules_passed)::int as modules_passed,
                    sum(certified)::int as certified_period from stats_funnel
            where region_code in (select code from codes) and programme_id = ${f.programmeId} and spm_bidang = ${b}
              ${f.year === null ? sql`` : sql`and year = ${f.year}`} group by 1),
      ${expiryCtes(sql`region_code in (select code from codes)`, f, b)}
      select c.code, coalesce(k.active, 0) as active, coalesce(fu.enrolled, 0) as enrolled, coalesce(fu.attended, 0) as attended,
             coalesce(fu.modules_passed, 0) as modules_passed, coalesce(fu.certified_period, 0) as issued,
             coalesce(ex.valid, 0) as valid, coalesce(ex.expiring, 0) as expiring
      from codes c left join k on k.region_code = c.code left join fu on fu.region_code = c.code left join ex on ex.region_code = c.code`),
  );
  const out = new Map<string, Figures>();
  for (const r of rows) {
    out.set(r.code, rowFigures(r));
  }
  return out;
}

/** The same figures computed live from kader_progress for the posyandu of one desa (bounded by the desa). */
async function figuresForPosyanduOfDesa(desa: string, f: ReportFilter): Promise<RegionFigures[]> {
  const yearCond = (col: SQL) =>
    f.year === null
      ? sql`${col} is not null`
      : sql`extract(year from ${col} at time zone ${REPORTING_ZONE.iana}) = ${f.year}`;
  const validCond = certValidOn(sql`kp.cert_expires_at`, f.today);
  const rows = rowsOf<FigureRow & { code: string; name: string }>(
    await db.execute(sql`
      select coalesce(p.id::text, '-') as code, coalesce(p.name, 'Tanpa posyandu') as name,
        count(kp.user_id)::int as active,
        count(kp.user_id) filter (where ${yearCond(sql`kp.enrolled_at`)})::int as enrolled,
        count(kp.user_id) filter (where ${yearCond(sql`kp.attended_at`)})::int as attended,
        count(kp.user_id) filter (where ${yearCond(sql`kp.modules_passed_at`)})::int as modules_passed,
        count(kp.user_id) filter (where ${yearCond(sql`kp.certified_at`)})::int as issued,
        count(kp.user_id) filter (where ${validCond})::int as valid,
        count(kp.user_id) filter (where ${validCond} and (kp.cert_expires_at at time zone ${REPORTING_ZONE.iana})::date <= ${f.today}::date + 60)::int as expiring
      from (select id, name from posyandu where desa_code = ${desa} and active
            union all select null, null) p
      left join kader_progress kp on kp.programme_id = ${f.programmeId} and kp.active and kp.desa_code = ${desa}
        and kp.posyandu_id is not distinct from p.id ${f.bidang === null ? sql`` : sql`and kp.spm_bidang = ${f.bidang}`}
      group by p.id, p.name
      having p.id is not null or count(kp.user_id) > 0
      order by p.name nulls last`),
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: "posyandu",
    ...rowFigures(r),
  }));
}

export interface RegionReport {
  region: { code: string; name: string; level: string };
  totals: Figures;
  rows: RegionFigures[];
  rowLevel: "provinsi" | "kabupaten" | "kecamatan" | "desa" | "posyandu";
}

const CHILD_LEVEL = {
  nasional: "provinsi",
  provinsi: "kabupaten",
  kabupaten: "kecamatan",
  kecamatan: "desa",
  desa: "posyandu",
} as const;

export async function regionReport(
  region: { code: string; name: string; level: keyof typeof CHILD_LEVEL },
  f: ReportFilter,
): Promise<RegionReport> {
  const rowLevel = CHILD_LEVEL[region.level];
  if (rowLevel === "posyandu") {
    const [own, rows] = await Promise.all([
      figuresForRegions(sql`select ${region.code}::text as code`, f),
      figuresForPosyanduOfDesa(region.code, f),
    ]);
    return { region, totals: own.get(region.code)!, rows, rowLevel };
  }
  // The region and its children in one query over the rollups; their names in parallel.
  const [children, figures] = await Promise.all([
    sqlRows<{ code: string; name: string; level: string }>(
      sql`select code, name, level from regions r where ${childOf(region.code)} order by code`,
    ),
    figuresForRegions(
      sql`select ${region.code}::text as code union all select code from regions r where ${childOf(region.code)}`,
      f,
    ),
  ]);
  return {
    region,
    totals: figures.get(region.code)!,
    rows: children.map((c) => ({ ...c, ...figures.get(c.code)! })),
    rowLevel,
  };
}

/** The bidang in the schema's order, then kader without a bidang (''). */
const BIDANG_ORDER: string[] = [...SPM_BIDANG, ""];

/** Figures per SPM bidang of the kader in a region (one query over the rollup rows of the region). */
export async function bidangBreakdown(code: string, f: ReportFilter): Promise<{ bidang: string; figures: Figures }[]> {
  const rows = rowsOf<FigureRow & { bidang: string }>(
    await db.execute(sql`
      with b as (select unnest(${`{${BIDANG_ORDER.map((x) => `"${x}"`).join(",")}}`}::text[]) as bidang),
      k as (select spm_bidang, sum(active)::int as active from stats_kader where region_code = ${code} and programme_id = ${f.programmeId} group by 1),
      fu as (select spm_bidang, sum(enrolled)::int as enrolled, sum(attended)::int as attended, sum(modules_passed)::int as modules_passed, sum(certified)::int as issued
             from stats_funnel where region_code = ${code} and programme_id = ${f.programmeId} ${f.year === null ? sql`` : sql`and year = ${f.year}`} group by 1),
      ${expiryCtes(sql`region_code = ${code}`, f, null)}
      select b.bidang, coalesce(k.active, 0) as active, coalesce(fu.enrolled, 0) as enrolled, coalesce(fu.attended, 0) as attended,
             coalesce(fu.modules_passed, 0) as modules_passed, coalesce(fu.issued, 0) as issued, coalesce(ex.valid, 0) as valid, coalesce(ex.expiring, 0) as expiring
      from b left join k on k.spm_bidang = b.bidang left join fu on fu.spm_bidang = b.bidang left join ex on ex.spm_bidang = b.bidang`),
  );
  const byBidang = new Map(rows.map((r) => [r.bidang, r]));
  return BIDANG_ORDER.map((bidang) => {
    const r = byBidang.get(bidang)!;
    return {
      bidang,
      figures: rowFigures(r),
    };
  }).filter((x) => x.bidang !== "" || x.figures.activeKader > 0);
}

/** Kader certified per month (current certificates, by month of issue), the last `months` months. */
export async function certifiedPerMonth(
  code: string,
  programmeId: string,
  today: string,
  months = 12,
): Promise<{ month: string; n: number }[]> {
  const start = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() - (months - 1));
  const rows = await sqlRows<{ month: string; n: number }>(sql`
      select to_char(month, 'YYYY-MM') as month, n from stats_cert_month
      where region_code = ${code} and programme_id = ${programmeId} and month >= ${start.toISOString().slice(0, 10)}::date`);
  const byMonth = new Map(rows.map((r) => [r.month, Number(r.n)]));
  return Array.from({ length: months }, (_, i) => {
    const d = new Date(start);
    d.setUTCMonth(d.getUTCMonth() + i);
    const key = d.toISOString().slice(0, 7);
    return { month: key, n: byMonth.get(key) ?? 0 };
  });
}

/**
 * Locked-out kader per child of a kecamatan (per desa) or desa (per posyandu, "-" for none):
 * counted from lockedOutReport, the one definition (grants and cycles included), so each
 * count matches the list it links to (/admin/kader-terkunci).
 */
export async function lockedOutByChild(
  region: { code: string; level: string },
  programmeId: string,
): Promise<Map<string, number>> {
  if (region.level !== "kecamatan" && region.level !== "desa") return new Map();
  const report = await lockedOutReport(region.code, new Date(), { programmeId });
  const kader = new Map<string, string>();
  for (const r of report.kecamatan.flatMap((k) => k.rows))
    kader.set(r.userId, region.level === "desa" ? (r.posyanduId === null ? "-" : String(r.posyanduId)) : r.desaCode);
  const out = new Map<string, number>();
  for (const code of kader.values()) out.set(code, (out.get(code) ?? 0) + 1);
  return out;
}

export interface TrendPoint {
  /** YYYY-MM */
  month: string;
  /** The last day counted (the month's end, or today for the current month), YYYY-MM-DD. */
  asOf: string;
  activeKader: number;
  certified: number;
  rate: number;
}

export interface RateTrend {
  months: TrendPoint[];
  /** Active and certified at the end of the day 30 and 90 days ago. */
  ago30: { activeKader: number; certified: number; rate: number };
  ago90: { activeKader: number; certified: number; rate: number };
}

/**
 * The certification rate per month (at each month's end, WITA) for one region (or the sum of
 * several: the whole country is its provinces), from the
 * day-by-day changes in stats_flow: one indexed range of rows of the region, summed.
 */
export async function rateTrend(code: string | string[], f: ReportFilter, months = 24): Promise<RateTrend> {
  const codes = `{${(Array.isArray(code) ? code : [code]).join(",")}}`;
  const start = new Date(`${f.today.slice(0, 7)}-01T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() - (months - 1));
  const startDay = start.toISOString().slice(0, 10);
  const rows = rowsOf<{
    month: string | null;
    active: number;
    certified: number;
    a30: number;
    c30: number;
    a90: number;
    c90: number;
  }>(
    await db.execute(sql`
      select case when day >= ${startDay}::date then to_char(day, 'YYYY-MM') end as month,
             sum(active)::int as active, sum(certified)::int as certified,
             sum(active) filter (where day <= ${f.today}::date - 30)::int as a30, sum(certified) filter (where day <= ${f.today}::date - 30)::int as c30,
             sum(active) filter (where day <= ${f.today}::date - 90)::int as a90, sum(certified) filter (where day <= ${f.today}::date - 90)::int as c90
      from stats_flow
      where region_code = any(${codes}::text[]) and programme_id = ${f.programmeId} and spm_bidang = ${bidangKey(f)} and day <= ${f.today}::date
      group by 1`),
  );
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const sum = (k: "a30" | "c30" | "a90" | "c90") => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  const point = (activeKader: number, certified: number) => ({
    activeKader,
    certified,
    rate: activeKader > 0 ? certified / activeKader : 0,
  });
  let active = Number(byMonth.get(null)?.active ?? 0);
  let certified = Number(byMonth.get(null)?.certified ?? 0);
  const out: TrendPoint[] = [];
  for (let i = 0; i < months; i++) {
    const d = new Date(start);
    d.setUTCMonth(d.getUTCMonth() + i);
    const key = d.toISOString().slice(0, 7);
    const r = byMonth.get(key);
    active += Number(r?.active ?? 0);
    certified += Number(r?.certified ?? 0);
    d.setUTCMonth(d.getUTCMonth() + 1);
    d.setUTCDate(0);
    const end = d.toISOString().slice(0, 10);
    out.push({ month: key, asOf: end < f.today ? end : f.today, ...point(active, certified) });
  }
  return { months: out, ago30: point(sum("a30"), sum("c30")), ago90: point(sum("a90"), sum("c90")) };
}

export interface KaderRow {
  id: string;
  name: string;
  bidang: string;
  modulesPassed: number;
  modulesTotal: number;
  status: "bersertifikat" | "kedaluwarsa" | "lulus_modul" | "hadir" | "terdaftar" | "belum";
  certExpires: string | null;
}

/** The kader of one posyandu with their progress and status. */
export async function posyanduKader(posyanduId: number, f: ReportFilter): Promise<KaderRow[]> {
  const p = kaderProgrammes().find((x) => x.id === f.programmeId) ?? content().defaultProgramme;
  const slugs = `{${p.requiredModules.join(",")}}`;
  const rows = rowsOf<{
    id: string;
    name: string;
    bidang: string;
    passed: number;
    enrolled: boolean;
    attended: boolean;
    modules: boolean;
    valid: boolean;
    expired: boolean;
    expires: string | null;
  }>(
    await db.execute(sql`
      select u.id, u.name, coalesce(u.spm_bidang, '') as bidang,
        (select count(*)::int from module_progress mp where mp.user_id = u.id and mp.slug = any(${slugs}::text[])
          and mp.completed_at is not null and ${p.passScore ? sql`mp.best_score >= ${p.passScore}` : sql`mp.passed_at is not null`}) as passed,
        kp.enrolled_at is not null as enrolled, kp.attended_at is not null as attended, kp.modules_passed_at is not null as modules,
        (kp.cert_expires_at at time zone ${REPORTING_ZONE.iana})::date >= ${f.today}::date as valid,
        kp.cert_expires_at is not null and (kp.cert_expires_at at time zone ${REPORTING_ZONE.iana})::date < ${f.today}::date as expired,
        to_char(kp.cert_expires_at at time zone ${REPORTING_ZONE.iana}, 'YYYY-MM-DD') as expires
      from users u
      left join kader_progress kp on kp.user_id = u.id and kp.programme_id = ${p.id}
      where u.posyandu_id = ${posyanduId} and u.role = 'kader' and u.active
        ${f.bidang === null ? sql`` : sql`and coalesce(u.spm_bidang, '') = ${f.bidang}`}
      order by u.name, u.id`),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    bidang: r.bidang,
    modulesPassed: Number(r.passed),
    modulesTotal: p.requiredModules.length,
    status: r.valid
      ? "bersertifikat"
      : r.expired
        ? "kedaluwarsa"
        : r.modules
          ? "lulus_modul"
          : r.attended
            ? "hadir"
            : r.enrolled
              ? "terdaftar"
              : "belum",
    certExpires: r.expires,
  }));
}
