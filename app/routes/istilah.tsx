import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { content } from "~/features/catalogue/content.server";

export const meta: MetaFunction = () => [
  { title: "Daftar istilah · Akademi Posyandu" },
  {
    name: "description",
    content:
      "Arti singkat istilah yang dipakai dalam modul Akademi Posyandu: KIE, RTL, ILP, LKD, SPM, Musrenbang, APBDes dan lainnya.",
  },
];

/** Public: the glossary from content/glossary.yaml; modules link their first use of a term here. */
export function loader() {
  return { terms: content().glossary.map((t) => ({ id: t.id, term: t.term, meaning: t.meaning })) };
}

export default function Istilah() {
  const { terms } = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-2xl">
      <h1>Daftar istilah</h1>
      <p className="mt-2 text-sm text-stone-600">
        Istilah yang sering muncul di modul, dengan arti singkatnya. Di dalam modul, istilah yang bergaris bawah menuju
        ke sini.
      </p>
      <dl className="mt-4 space-y-3">
        {terms.map((t) => (
          <div key={t.id} id={t.id} className="card scroll-mt-4 target:border-brand-600 target:bg-brand-50">
            <dt className="font-semibold">{t.term}</dt>
            <dd className="mt-1 text-stone-800">{t.meaning}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
