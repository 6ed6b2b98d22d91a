import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { getModule, programmesOf } from "~/features/catalogue/content.server";
import { moduleSections } from "~/features/catalogue/mdx.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { notFound, readForm } from "~/lib/http";
import { SPM_LABEL } from "~/lib/roles";
import {
  markCompleted,
  modulesInProgrammeOrder,
  progressFor,
  recordOpened,
  recordSection,
} from "~/features/learning/progress.server";
import { resumeSection, sectionsRead } from "~/features/catalogue/sections";
import { storedForOffline } from "~/features/learning/offline.server";
import { OutboxPanel } from "~/features/learning/outbox-panel";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "Modul"} · Akademi Posyandu` },
  { name: "description", content: data?.summary ?? "" },
];

function requireModule(slug: string | undefined) {
  const mod = slug ? getModule(slug) : undefined;
  if (!mod) throw notFound("Modul tidak ditemukan.");
  return mod;
}

/** The module after this one in the programme's order (the same order on every page). */
function nextModule(slug: string) {
  const order = modulesInProgrammeOrder();
  const next = order[order.findIndex((m) => m.slug === slug) + 1];
  return next ? { slug: next.slug, title: next.frontmatter.title } : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireModule(params.slug);
  const [split, progressMap] = await Promise.all([moduleSections(mod), progressFor(user.id, [mod.slug])]);
  const progress = progressMap.get(mod.slug);
  // A write only on her first open or a new version; never for a page only stored for offline.
  if (progress?.contentHash !== mod.hash && !storedForOffline(request)) await recordOpened(user.id, mod);
  const read = progress?.completedAt ? split.sections.length : sectionsRead(split.sections, progress?.lastSection);
  return {
    slug: mod.slug,
    title: mod.frontmatter.title,
    spm: SPM_LABEL[mod.frontmatter.spm],
    minutes: mod.frontmatter.minutes,
    summary: mod.frontmatter.summary,
    objectives: mod.frontmatter.objectives,
    intro: split.intro,
    sections: split.sections,
    read,
    resume: read > 0 && read < split.sections.length ? resumeSection(split.sections, progress?.lastSection) : null,
    completed: !!progress?.completedAt,
    bestScore: progress?.bestScore ?? null,
    passed: !!progress?.passedAt,
    hasQuiz: !!mod.quiz && programmesOf(mod.slug).length > 0,
    next: nextModule(mod.slug),
  };
}

const ActionForm = z.object({
  intent: z.enum(["bagian", "selesai"]).default("selesai"),
  bagian: z.string().max(120).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireModule(params.slug);
  const parsed = ActionForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success)
    return data({ message: "Formulir tidak valid. Muat ulang halaman lalu coba lagi." }, { status: 400 });
  const { sections } = await moduleSections(mod);
  const ids = sections.map((s) => s.id);
  if (parsed.data.intent === "bagian") {
    const id = parsed.data.bagian ?? "";
    // A section that an edit of the module removed: nothing to record, back to the module.
    if (!ids.includes(id))
      return data({ message: "Bagian ini tidak ada lagi di modul. Muat ulang halaman." }, { status: 400 });
    await recordSection(user.id, mod, ids, id);
    const next = ids[ids.indexOf(id) + 1];
    throw redirect(`/modul/${mod.slug}${next ? `#${next}` : "#selesai"}`);
  }
  await markCompleted(user.id, mod, ids[ids.length - 1]);
  throw redirect(mod.quiz && programmesOf(mod.slug).length ? `/modul/${mod.slug}/kuis` : `/modul/${mod.slug}`);
}

export const handle = { offline: true };

export default function ModulPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const n = d.sections.length;
  // The index route's own action, as Remix's <Form> wrote it; the kader script's outbox posts here too.
  const formAction = `/modul/${d.slug}?index`;
  return (
    <article className="mx-auto max-w-2xl">
      <a href="/modul" className="kembali">
        ‹ Semua modul
      </a>
      <p className="kategori">
        {d.spm} · ± {d.minutes} menit
      </p>
      <h1 className="mt-1">{d.title}</h1>
      {n ? (
        <div className="kemajuan" data-testid="kemajuan">
          <p>
            Dibaca: <strong>{d.read}</strong> dari {n} bagian
          </p>
          <progress value={d.read} max={n} aria-label={`${d.read} dari ${n} bagian dibaca`} />
          {d.resume ? <a href={`#${d.resume}`}>Lanjutkan dari bagian terakhir ›</a> : null}
        </div>
      ) : null}
      <OutboxPanel path={`/modul/${d.slug}`} className="mt-3" />
      <FormError message={a?.message} />
      <section className="card tujuan">
        <h2>Tujuan belajar</h2>
        <ul>
          {d.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </section>
      <div className="prose-modul mt-4">
        {d.intro ? <div dangerouslySetInnerHTML={{ __html: d.intro }} /> : null}
        {d.sections.map((s, i) =>
          i < n - 1 ? (
            <section key={s.id}>
              <div dangerouslySetInnerHTML={{ __html: s.html }} />
              <form
                method="post"
                action={formAction}
                className="bagian"
                data-offline="bagian"
                data-next={d.sections[i + 1].id}
              >
                <input type="hidden" name="intent" value="bagian" />
                <input type="hidden" name="bagian" value={s.id} />
                <button type="submit" className="btn-secondary">
                  {i < d.read ? "✓ " : ""}Bagian {i + 1} dari {n} selesai · lanjut
                </button>
              </form>
            </section>
          ) : (
            <section key={s.id} dangerouslySetInnerHTML={{ __html: s.html }} />
          ),
        )}
      </div>
      <p className="mt-4 text-sm">
        <a href={`/modul/${d.slug}/cetak`}>Versi cetak (A4)</a> · <a href="/istilah">Daftar istilah</a>
      </p>
      <section id="selesai" className="card mt-6 space-y-3">
        {d.completed ? (
          <p className="alert-ok">
            Anda sudah selesai membaca modul ini{d.bestScore !== null ? ` · nilai kuis terbaik ${d.bestScore}` : ""}.
          </p>
        ) : (
          <form method="post" action={formAction} data-offline="selesai">
            <input type="hidden" name="intent" value="selesai" />
            <button type="submit" className="btn w-full">
              {d.hasQuiz ? "Selesai membaca, lanjut ke kuis" : "Tandai selesai dibaca"}
            </button>
          </form>
        )}
        {d.hasQuiz && d.completed ? (
          <a href={`/modul/${d.slug}/kuis`} className={d.passed ? "btn-secondary w-full" : "btn w-full"}>
            {d.passed ? "Lihat kuis" : "Kerjakan kuis"}
          </a>
        ) : null}
        {d.next ? (
          <a
            href={`/modul/${d.next.slug}`}
            className={d.completed && (d.passed || !d.hasQuiz) ? "btn w-full" : "btn-secondary w-full"}
          >
            Modul berikutnya: {d.next.title}
          </a>
        ) : null}
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
