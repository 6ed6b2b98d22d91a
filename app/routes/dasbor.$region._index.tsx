import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FragmentSlot } from "~/components/fragment-slot";
import { dashboardPage } from "~/features/reporting/dashboard-page.server";
import { regionTitle, scopeLevelOf } from "~/lib/region";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `Dasbor ${data ? regionTitle({ level: scopeLevelOf(data.region.code), name: data.region.name }) : ""} · Akademi Posyandu`,
  },
];

/**
 * The page is made and cached in the reporting feature (dashboard-page.server.tsx). Its
 * content goes to the response as a fragment: entry.server.tsx splices it in (FragmentSlot).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await dashboardPage(request, params.region);
  context.htmlFragment = page.fragment;
  return page.loaderData;
}

export default function Dasbor() {
  const d = useLoaderData<typeof loader>();
  return <FragmentSlot className="space-y-4" html={d.html} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
