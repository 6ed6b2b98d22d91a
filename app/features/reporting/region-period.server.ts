/**
 * The region and month range of a reporting page (Analisis soal, Kebutuhan pelatihan): the
 * region must be in the user's scope (404 unknown, 403 outside), the months default to the
 * last twelve (WITA) and a reversed range is put in order. Anything malformed falls back.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { requireScope, type SessionUser } from "~/auth.server";
import { sqlRows } from "~/db.server";
import { getRegion, regionLineage, type RegionRecord } from "~/features/regions/regions.server";
import { MONTH_RE, monthsBack } from "~/features/reporting/training-needs";
import { notFound } from "~/lib/http";
import { isRegionCode, LEVEL_LABEL } from "~/lib/region";
import { localYearMonth, REPORTING_ZONE } from "~/lib/timezone";

export interface RegionPeriod {
  region: RegionRecord;
  lineage: { code: string; name: string }[];
  /** The regions one level down. */
  children: { code: string; name: string }[];
  from: string;
  to: string;
}

export async function regionPeriod(
  user: SessionUser,
  params: { wilayah?: string; dari?: string; sampai?: string },
  now = new Date(),
): Promise<RegionPeriod> {
  const { year, month } = localYearMonth(now, REPORTING_ZONE);
  const thisMonth = `${year}-${String(month).padStart(2, "0")}`;
  const parsed = z
    .object({
      wilayah: z.string().refine(isRegionCode).catch(user.scopeCode),
      dari: z.string().regex(MONTH_RE).catch(monthsBack(thisMonth, 11)),
      sampai: z.string().regex(MONTH_RE).catch(thisMonth),
    })
    .parse({ wilayah: params.wilayah ?? user.scopeCode, dari: params.dari ?? "", sampai: params.sampai ?? "" });
  const region = await getRegion(parsed.wilayah);
  if (!region) throw notFound("Wilayah tidak ditemukan.");
  requireScope(user, region.code);
  const [from, to] = parsed.dari <= parsed.sampai ? [parsed.dari, parsed.sampai] : [parsed.sampai, parsed.dari];
  const lineage = (await regionLineage(region.code))
    .filter((r) => r.code.length >= user.scopeCode.length)
    .map((r) => ({ code: r.code, name: `${LEVEL_LABEL[r.level]} ${r.name}` }));
  const children = await sqlRows<{ code: string; name: string }>(
    sql`select code, name from regions where parent_code = ${region.code} order by code`,
  );
  return { region, lineage, children, from, to };
}
