// /dasbor/:region.csv (server.js maps it here: a route param cannot carry a suffix).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvStream } from "~/dashboard-export.server";
import { parseDashboardQuery, requireDashboardRegion } from "~/dashboard.server";
import { regionReport } from "~/reports.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { region } = await requireDashboardRegion(request, params.region);
  const q = parseDashboardQuery(request);
  const report = await regionReport({ code: region.code, name: region.name, level: region.level }, q.filter);
  return new Response(csvStream(report, q.filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rekap-${region.code}-${q.filter.today}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
