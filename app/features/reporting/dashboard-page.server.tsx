/**
 * The dashboard page of a region (issue 23, "Dashboards that answer in 50 ms"): its figures
 * and its markup, made once and then served to every view for at most DASHBOARD_MAX_AGE_MS.
 *
 * Why: at 1.41 M kader a view cost 13–34 ms of server CPU (the rollup reads, the cascade,
 * the React render of ~40 KB of tables and SVG), so two workers served ~45 views/s and ten
 * people looking at dashboards waited 400–600 ms (p95). A region's figures change only
 * when its kader do; ten people looking at the same kabupaten need one computation.
 *
 * The rules of the cache:
 * - The key holds everything the page depends on: the region, the query string as sent (its
 *   links repeat it), the reporting day, whether the viewer edits signatories (the warning)
 *   and how much of the breadcrumb her scope shows. Nothing else of a user is in the page:
 *   the header with her name is rendered per view by the root layout.
 * - Age: at most FRESH_SECONDS, the read-your-writes window. A browser that has just written
 *   (the cookie server.ts sets on every write) skips the cache and refreshes it, as it skips
 *   the read replica: whoever changed something sees it at once, everyone else within
 *   seconds, and the page says when its figures were computed.
 * - One computation per key at a time: views that arrive during it wait for it. Past half the
 *   max age a view starts a computation in the background and is served the current page.
 * - A failed computation is not kept.
 */
import { renderToStaticMarkup } from "react-dom/server";
import type { SessionUser } from "~/auth.server";
import { onReplica } from "~/db.server";
import { metrics } from "~/metrics.server";
import { hasFreshCookie, FRESH_SECONDS } from "~/read-your-writes.server";
import { kaderProgrammes } from "~/features/catalogue/content.server";
import { practisedCount } from "~/features/certification/practice.server";
import { SIGNATORY_EDITORS, unsignedSummary, unsignedWarning } from "~/features/certification/signatories.server";
import { cascadeSource, NATIONAL_TTL_MS } from "~/features/reporting/cascade.server";
import { cascadeView, mapLevelsFor } from "~/features/reporting/cascade";
import {
  dashboardLineage,
  parseDashboardQuery,
  requireDashboardCode,
  requireDashboardRegionRow,
  type DashboardRegion,
} from "~/features/reporting/dashboard.server";
import { attentionLists, sortRows } from "~/features/reporting/dashboard-rank";
import { DashboardView } from "~/features/reporting/dashboard-view";
import { childMap } from "~/features/reporting/map.server";
import { bidangBreakdown, lockedOutByChild, rateTrend, regionReport } from "~/features/reporting/reports.server";
import { HtmlFragment } from "~/html-fragment.server";
import { lru } from "~/lib/lru";
import { LEVEL_LABEL, NATIONAL_CODE } from "~/lib/region";
import { SPM_LABEL } from "~/lib/roles";
import { localYearMonth, REPORTING_ZONE } from "~/lib/timezone";

/** How old a served dashboard may be: the read-your-writes window (one spelling of both). */
export const DASHBOARD_MAX_AGE_MS = FRESH_SECONDS * 1000;

/** The unsigned-issuance warning names this many kabupaten, then "dan N lainnya". */
const UNSIGNED_SHOWN = 5;

export interface DashboardPage {
  /** The figures (tests and the page title read them). */
  data: DashboardData;
  /**
   * The page's main content, rendered from `data` once and spliced into every view of it
   * (app/html-fragment.server.ts): not copied by React or compressed again per view.
   */
  fragment: HtmlFragment;
  /** What the route's loader returns, made once per page (dashboardLoaderData). */
  loaderData: DashboardLoaderData;
}

/** The figures and the content (`html`, decoded from the fragment only when read: tests). */
export type DashboardLoaderData = DashboardData & { readonly html: string };

function dashboardLoaderData(data: DashboardData, fragment: HtmlFragment): DashboardLoaderData {
  return Object.defineProperty({ ...data }, "html", {
    get: () => fragment.html,
    enumerable: false,
  }) as DashboardLoaderData;
}

/** A cached page, and when its computation started (its figures are at least that old). */
interface Entry {
  page: Promise<DashboardPage>;
  startedAt: number;
  /** A newer computation runs in the background. */
  refreshing?: boolean;
}

// 200 pages of 20–70 KB (their content as UTF-8 bytes, off the heap, and its deflate stream): ~15 MB per process at most.
const pages = lru<string, Entry>("dashboard-pages", 200, { maxAgeMs: DASHBOARD_MAX_AGE_MS });

/**
 * A page served after this age is computed again in the background while the views keep
 * getting the one they have (never beyond DASHBOARD_MAX_AGE_MS): a page viewed every few
 * seconds is never waited for.
 */
export const DASHBOARD_REFRESH_AFTER_MS = DASHBOARD_MAX_AGE_MS / 2;

/**
 * The dashboard page of `code` for this request: role, code and scope checked first
 * (requireDashboardCode), then the cache. The region is read when the page is computed
 * (404 when unknown; a failed page is not kept), so a view served from the cache sends
 * no query but the session's.
 */
export async function dashboardPage(request: Request, code: string | undefined): Promise<DashboardPage> {
  const { user, code: regionCode } = await requireDashboardCode(request, code);
  const url = new URL(request.url);
  const q = parseDashboardQuery(request);
  const editor = SIGNATORY_EDITORS.includes(user.role);
  const crumbs = user.scopeCode === NATIONAL_CODE ? "nasional" : String(user.scopeCode.length);
  const key = [regionCode, q.filter.today, editor ? "penandatangan" : "-", crumbs, url.search].join("|");
  const make = async () => makePage(request, user, await requireDashboardRegionRow(regionCode), q, url.searchParams);
  const fresh = hasFreshCookie(request.headers.get("Cookie"));
  if (!fresh) {
    const hit = pages.get(key);
    if (hit) {
      metrics().dashboardPages.inc({ result: "hit" });
      if (!hit.refreshing && Date.now() - hit.startedAt >= DASHBOARD_REFRESH_AFTER_MS) refresh(key, hit, make);
      return hit.page;
    }
  }
  metrics().dashboardPages.inc({ result: fresh ? "fresh" : "miss" });
  const startedAt = Date.now();
  const made = make();
  // Stored at once, so views that arrive meanwhile wait for this computation instead of starting one.
  pages.set(key, { page: made, startedAt }, startedAt);
  made.catch(() => {
    if (pages.get(key)?.page === made) pages.delete(key);
  });
  return made;
}

/** Computes the page again; the views keep the current one until the new one is ready. */
function refresh(key: string, current: Entry, make: () => Promise<DashboardPage>): void {
  current.refreshing = true;
  metrics().dashboardPages.inc({ result: "refresh" });
  const startedAt = Date.now();
  const next = make();
  next.then(
    () => {
      // Unless a newer computation (a write's) replaced it meanwhile.
      const now = pages.get(key);
      if (!now || now.startedAt <= startedAt) pages.set(key, { page: next, startedAt }, startedAt);
    },
    () => {
      current.refreshing = false; // the current page is served until its age runs out
    },
  );
}

async function makePage(
  request: Request,
  user: SessionUser,
  region: DashboardRegion,
  q: DashboardQuery,
  search: URLSearchParams,
): Promise<DashboardPage> {
  const data = await dashboardData(request, user, region, q);
  const fragment = new HtmlFragment(renderToStaticMarkup(<DashboardView d={data} search={search} />));
  return { data, fragment, loaderData: dashboardLoaderData(data, fragment) };
}

type DashboardQuery = ReturnType<typeof parseDashboardQuery>;

export type DashboardData = Awaited<ReturnType<typeof dashboardData>>;

/** Every figure of the page, read from the rollups (on the replica when it may). */
async function dashboardData(request: Request, user: SessionUser, region: DashboardRegion, q: DashboardQuery) {
  const computedAt = new Date();
  // Reports may come from the replica (not right after this browser's own write: onReplica).
  const [lineage, report, bidang, trend, map, locked, practised, cascadeFor] = await onReplica(request, () =>
    Promise.all([
      dashboardLineage(user, region),
      regionReport({ code: region.code, name: region.name, level: region.level }, q.filter),
      bidangBreakdown(region.code, q.filter),
      rateTrend(region.code, q.filter, 24),
      region.level === "desa" ? null : childMap(region.code),
      lockedOutByChild(region, q.filter.programmeId),
      practisedCount(region.code, q.filter.programmeId, q.filter.bidang),
      cascadeSource(region, q.filter),
    ]),
  );
  // DPMD/admin: kabupaten issuing certificates without a signatory (they set it).
  const unsigned = SIGNATORY_EDITORS.includes(user.role)
    ? await unsignedSummary(region.code, UNSIGNED_SHOWN)
    : { shown: [], more: 0 };
  // The training cascade (issue 20): teams, posyandu and kader per row, and where the chain breaks.
  const cascade = cascadeView(await cascadeFor(report.rows), region, report);
  const mapLevels = mapLevelsFor(region.level);
  const rows = sortRows(report.rows, q.urut, q.arah);
  // The year in WITA, as every date of the dashboard (today's date above, the rollups).
  const { year } = localYearMonth(computedAt, REPORTING_ZONE);
  const attention = attentionLists(report.rows, locked, region.level);
  return {
    region: { code: region.code, name: region.name, level: LEVEL_LABEL[region.level] },
    lineage,
    rowLevel: report.rowLevel,
    totals: report.totals,
    /** Funnel step "praktik" (today, whatever the year filter). */
    practised,
    rows,
    bidang: bidang.map((b) => ({
      label: b.bidang ? SPM_LABEL[b.bidang as keyof typeof SPM_LABEL] : "Belum ditetapkan",
      ...b.figures,
    })),
    trend: trend.months,
    change: { d30: report.totals.rate - trend.ago30.rate, d90: report.totals.rate - trend.ago90.rate },
    map,
    attention: { ...attention, chain: cascade.attention },
    cascade: { levels: cascade.levels, rows: cascade.rows, totals: cascade.totals },
    /** The nation's cascade is cached (cascade.server.ts): how old it may be. */
    cascadeMaxAgeMin: region.code === NATIONAL_CODE ? NATIONAL_TTL_MS / 60_000 : null,
    mapLevels,
    peta: mapLevels.includes(q.peta) ? q.peta : "kader",
    // A province or the nation may have hundreds: the first few, then how many more.
    unsigned: [
      ...unsigned.shown.map((u) => ({ code: u.code, message: unsignedWarning(u) })),
      ...(unsigned.more
        ? [{ code: "+", message: `Dan ${unsigned.more} kabupaten/kota lain tanpa penandatangan.` }]
        : []),
    ],
    today: q.filter.today,
    /** When these figures were read (the page is served from the cache for up to DASHBOARD_MAX_AGE_MS). */
    computedAt: computedAt.toISOString(),
    maxAgeSeconds: DASHBOARD_MAX_AGE_MS / 1000,
    q: { program: q.program, tahun: q.tahun ?? null, bidang: q.bidang ?? null, urut: q.urut, arah: q.arah },
    programmes: kaderProgrammes().map((p) => ({ id: p.id, title: p.title })),
    years: [year, year - 1, year - 2],
  };
}
