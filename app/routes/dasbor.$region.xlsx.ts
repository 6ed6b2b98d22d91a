// /dasbor/:region.xlsx (server.js maps it here: a route param cannot carry a suffix).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dashboardExport } from "~/features/reporting/export.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return dashboardExport(request, params.region, "xlsx");
}
