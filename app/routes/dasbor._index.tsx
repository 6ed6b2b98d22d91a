import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth.server";
import { DASHBOARD_ROLES } from "~/features/reporting/dashboard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, DASHBOARD_ROLES);
  const search = new URL(request.url).search;
  throw redirect(`/dasbor/${user.scopeCode}${search}`);
}
