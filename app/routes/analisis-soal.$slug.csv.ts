// /analisis-soal/:slug.csv (server.ts maps it here through lib/suffix-url: a route param cannot carry a suffix).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { bankAnalysis, bankAnalysisCsv, requireItemAnalysis } from "~/features/reporting/item-analysis.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { q } = await requireItemAnalysis(request);
  return bankAnalysisCsv(await bankAnalysis(request, q, params.slug ?? ""), q);
}
