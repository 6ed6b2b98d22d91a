import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { dashboardPage } from "~/features/reporting/dashboard-page.server";
import { regionTitle, scopeLevelOf } from "~/lib/region";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `Dasbor ${data ? regionTitle({ level: scopeLevelOf(data.region.code), name: data.region.name }) : ""} · Akademi Posyandu`,
  },
];

/** The page is made and cached in the reporting feature (dashboard-page.server.tsx). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { data, html } = await dashboardPage(request, params.region);
  return { ...data, html };
}

export default function Dasbor() {
  const d = useLoaderData<typeof loader>();
  return <section className="space-y-4" dangerouslySetInnerHTML={{ __html: d.html }} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
