import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { getModule, programmesOf } from "~/features/learning/content.server";
import { moduleHtml } from "~/features/learning/mdx.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { notFound, readForm } from "~/lib/http";
import { SPM_LABEL } from "~/lib/roles";
import { markCompleted, progressFor, recordOpened } from "~/features/learning/progress.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "Modul"} · Akademi Posyandu` },
  { name: "description", content: data?.summary ?? "" },
];

function requireModule(slug: string | undefined) {
  const mod = slug ? getModule(slug) : undefined;
  if (!mod) throw notFound("Modul tidak ditemukan.");
  return mod;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireModule(params.slug);
  const [html, progressMap] = await Promise.all([moduleHtml(mod), progressFor(user.id, [mod.slug])]);
  const progress = progressMap.get(mod.slug);
  if (progress?.contentHash !== mod.hash) await recordOpened(user.id, mod); // a write only on first open or a new version
  return {
    slug: mod.slug,
    title: mod.frontmatter.title,
    spm: SPM_LABEL[mod.frontmatter.spm],
    minutes: mod.frontmatter.minutes,
    summary: mod.frontmatter.summary,
    objectives: mod.frontmatter.objectives,
    html,
    completed: !!progress?.completedAt,
    bestScore: progress?.bestScore ?? null,
    hasQuiz: !!mod.quiz && programmesOf(mod.slug).length > 0,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireModule(params.slug);
  await readForm(request);
  await markCompleted(user.id, mod);
  throw redirect(mod.quiz && programmesOf(mod.slug).length ? `/modul/${mod.slug}/kuis` : `/modul/${mod.slug}`);
}

export default function ModulPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto max-w-2xl">
      <p className="text-sm">
        <Link to="/modul">‹ Semua modul</Link>
      </p>
      <p className="mt-3 text-xs font-semibold uppercase tracking-wide text-brand-700">
        {d.spm} · ± {d.minutes} menit
      </p>
      <h1 className="mt-1">{d.title}</h1>
      <section className="card mt-4">
        <h2 className="text-base">Tujuan belajar</h2>
        <ul className="mt-1 list-disc pl-5 text-sm">
          {d.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </section>
      <div className="mt-4">
        <div className="prose-modul" dangerouslySetInnerHTML={{ __html: d.html }} />
      </div>
      <p className="mt-4 text-sm">
        <Link to={`/modul/${d.slug}/cetak`}>Versi cetak (A4)</Link> · <Link to="/istilah">Daftar istilah</Link>
      </p>
      <section className="card mt-6 space-y-3">
        {d.completed ? (
          <p className="alert-ok">Anda sudah selesai membaca modul ini{d.bestScore !== null ? ` · nilai kuis terbaik ${d.bestScore}` : ""}.</p>
        ) : null}
        {d.hasQuiz ? (
          d.completed ? (
            <Link to={`/modul/${d.slug}/kuis`} className="btn w-full">
              Kerjakan kuis
            </Link>
          ) : (
            <Form method="post">
              <button type="submit" className="btn w-full">
                Selesai membaca, lanjut ke kuis
              </button>
            </Form>
          )
        ) : d.completed ? null : (
          <Form method="post">
            <button type="submit" className="btn w-full">
              Tandai selesai dibaca
            </button>
          </Form>
        )}
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
