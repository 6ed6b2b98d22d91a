import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getModule } from "~/features/learning/content.server";
import { moduleHtml } from "~/features/learning/mdx.server";
import { notFound } from "~/lib/http";
import { SPM_LABEL } from "~/lib/roles";

/** Print version of a module for pembina who print for kader without phones: A4, no navigation. */
export const handle = { bare: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "Modul"} (cetak) · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const mod = params.slug ? getModule(params.slug) : undefined;
  if (!mod) throw notFound("Modul tidak ditemukan.");
  return {
    slug: mod.slug,
    title: mod.frontmatter.title,
    spm: SPM_LABEL[mod.frontmatter.spm],
    minutes: mod.frontmatter.minutes,
    summary: mod.frontmatter.summary,
    objectives: mod.frontmatter.objectives,
    version: mod.hash.slice(0, 8),
    html: await moduleHtml(mod),
  };
}

export default function ModulCetak() {
  const d = useLoaderData<typeof loader>();
  return (
    <article className="cetak mx-auto max-w-[180mm] bg-white p-6 print:p-0">
      <p className="no-print mb-4 text-sm">
        <a href={`/modul/${d.slug}`}>‹ Kembali ke modul</a> · Cetak halaman ini dari menu peramban (A4).
      </p>
      <header className="border-b border-stone-400 pb-2">
        <p className="text-xs uppercase tracking-wide text-stone-600">
          Akademi Posyandu · {d.spm} · ± {d.minutes} menit
        </p>
        <h1 className="mt-1 text-2xl">{d.title}</h1>
        <p className="mt-1 text-sm">{d.summary}</p>
      </header>
      <section className="mt-3">
        <h2 className="text-base">Tujuan belajar</h2>
        <ul className="list-disc pl-5 text-sm">
          {d.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </section>
      <div className="prose-modul mt-2" dangerouslySetInnerHTML={{ __html: d.html }} />
      <footer className="mt-6 border-t border-stone-400 pt-2 text-xs text-stone-600">
        Modul Akademi Posyandu · versi {d.version} · daftar istilah: /istilah
      </footer>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
