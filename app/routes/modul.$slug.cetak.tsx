import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getModule } from "~/features/catalogue/content.server";
import { moduleHtml } from "~/features/catalogue/mdx.server";
import { env } from "~/env.server";
import { notFound } from "~/lib/http";
import { SPM_LABEL } from "~/lib/roles";
import { publicOrigin } from "~/lib/url";

/**
 * Print version of a module for pembina who print for kader without phones: A4, no navigation.
 * On paper a link is only its address: every link is absolute (the public origin, APP_URL,
 * never the request's Host), and the footer is one short line, so it never takes a sheet of its own.
 */
export const handle = { bare: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "Modul"} (cetak) · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const mod = params.slug ? getModule(params.slug) : undefined;
  if (!mod) throw notFound("Modul tidak ditemukan.");
  const origin = publicOrigin(env().APP_URL);
  return {
    origin,
    slug: mod.slug,
    title: mod.frontmatter.title,
    spm: SPM_LABEL[mod.frontmatter.spm],
    minutes: mod.frontmatter.minutes,
    summary: mod.frontmatter.summary,
    objectives: mod.frontmatter.objectives,
    version: mod.hash.slice(0, 8),
    // The glossary links (/istilah#…) and any other path of ours, with the origin.
    html: absoluteLinks(await moduleHtml(mod), origin),
  };
}

/** `href="/…"` → `href="https://host/…"` in rendered HTML. */
function absoluteLinks(html: string, origin: string): string {
  return html.replace(/\bhref="\/(?!\/)/g, `href="${origin}/`);
}

export default function ModulCetak() {
  const d = useLoaderData<typeof loader>();
  return (
    <article className="cetak mx-auto max-w-[180mm] bg-white p-6 print:p-0">
      <p className="no-print mb-4 text-sm">
        <a href={`${d.origin}/modul/${d.slug}`}>‹ Kembali ke modul</a> · Cetak halaman ini dari menu peramban (A4).
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
      <footer className="mt-3 break-inside-avoid border-t border-stone-400 pt-1 text-xs text-stone-600">
        Akademi Posyandu · versi {d.version} · istilah: {d.origin}/istilah
      </footer>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
