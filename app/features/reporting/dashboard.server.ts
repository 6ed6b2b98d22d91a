/** The dashboard request: who may see which region, validated filters, the report. */
import { z } from "zod";
import type { SessionUser } from "~/auth.server";
import { requireRole, requireScope } from "~/auth.server";
import { content, kaderProgrammes } from "~/features/catalogue/content.server";
import { SPM_BIDANG, type Role } from "~/db/schema";
import { notFound } from "~/lib/http";
import { isScopeCode, NATIONAL_CODE } from "~/lib/region";
import { getRegion, regionLineage } from "~/features/regions/regions.server";
import type { ReportFilter } from "~/features/reporting/reports.server";
import { todayWita } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";
import { SORT_KEYS } from "~/features/reporting/dashboard-rank";
import { MAP_LEVELS } from "~/features/reporting/cascade";

export const DASHBOARD_ROLES: readonly Role[] = rolesFor("dashboard");

// The sort keys and the ranking itself are pure (dashboard-rank.ts); the query is parsed here.
export { SORT_KEYS, type SortKey } from "~/features/reporting/dashboard-rank";

/** The query schema of one content version (built once: zod compiles a schema when it first parses). */
const querySchemas = new WeakMap<object, ReturnType<typeof querySchema>>();

function querySchema() {
  const programmes = kaderProgrammes().map((p) => p.id) as [string, ...string[]];
  return z.object({
    program: z.enum(programmes).catch(content().defaultProgramme.id),
    tahun: z.coerce.number().int().min(2020).max(2100).optional().catch(undefined),
    bidang: z.enum(SPM_BIDANG).optional().catch(undefined),
    // Lagging regions first by default.
    urut: z.enum(SORT_KEYS).catch("tingkat"),
    arah: z.enum(["naik", "turun"]).catch("naik"),
    // What the map colours: the kader rate or one level of the training cascade (cascade.ts).
    peta: z.enum(MAP_LEVELS).catch("kader"),
  });
}

/** Every query parameter is parsed here; anything invalid falls back to the default. */
export function parseDashboardQuery(request: Request) {
  const version = content();
  let schema = querySchemas.get(version);
  if (!schema) {
    schema = querySchema();
    querySchemas.set(version, schema);
  }
  const q = schema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const filter: ReportFilter = {
    programmeId: q.program,
    year: q.tahun ?? null,
    bidang: q.bidang ?? null,
    today: todayWita(),
  };
  return { ...q, filter };
}

export type DashboardRegion = NonNullable<Awaited<ReturnType<typeof getRegion>>>;

/**
 * The dashboard's reader and a well-formed code in her scope: 404 when the code is malformed,
 * 403 outside her scope (whether or not such a region exists), checked on the code alone.
 */
export async function requireDashboardCode(
  request: Request,
  code: string | undefined,
): Promise<{ user: SessionUser; code: string }> {
  const user = await requireRole(request, DASHBOARD_ROLES);
  if (!code || !isScopeCode(code)) throw notFound("Wilayah tidak ditemukan.");
  requireScope(user, code);
  return { user, code };
}

/** The region of a code that passed requireDashboardCode; 404 when there is none. */
export async function requireDashboardRegionRow(code: string): Promise<DashboardRegion> {
  const region = await getRegion(code);
  if (!region) throw notFound("Wilayah tidak ditemukan.");
  return region;
}

/** requireDashboardCode, then the region (404 when unknown). */
export async function requireDashboardScope(
  request: Request,
  code: string | undefined,
): Promise<{ user: SessionUser; region: DashboardRegion }> {
  const checked = await requireDashboardCode(request, code);
  return { user: checked.user, region: await requireDashboardRegionRow(checked.code) };
}

/** The breadcrumb: the region's ancestors within the user's scope (the nation first for whoever holds it). */
export async function dashboardLineage(
  user: SessionUser,
  region: DashboardRegion,
): Promise<{ code: string; name: string }[]> {
  const national = user.scopeCode === NATIONAL_CODE;
  const lineage = await regionLineage(region.code, { nation: national });
  return lineage
    .filter((r) => national || r.code.length >= user.scopeCode.length)
    .map((r) => ({ code: r.code, name: r.name }));
}

/** requireDashboardScope and the breadcrumb. */
export async function requireDashboardRegion(
  request: Request,
  code: string | undefined,
): Promise<{ user: SessionUser; region: DashboardRegion; lineage: { code: string; name: string }[] }> {
  const { user, region } = await requireDashboardScope(request, code);
  return { user, region, lineage: await dashboardLineage(user, region) };
}
