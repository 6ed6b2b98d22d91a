import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth.server";
import { notFound } from "~/lib/http";
import { IMPORT_ROLES } from "~/lib/roles";
import { parseTemplateName, templateCsv, templateXlsx } from "~/features/roster-import/templates.server";

/** Template downloads: /admin/impor/templat-{kader,posyandu}.{csv,xlsx} */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, IMPORT_ROLES);
  const t = parseTemplateName(params.file);
  if (!t) throw notFound("Templat tidak ditemukan.");
  const headers = {
    "Content-Disposition": `attachment; filename="${params.file}"`,
    "Cache-Control": "private, no-store",
  };
  if (t.format === "csv") {
    return new Response(templateCsv(t.kind), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  }
  const body = await templateXlsx(t.kind, user.scopeCode);
  return new Response(new Uint8Array(body), {
    headers: { ...headers, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  });
}
