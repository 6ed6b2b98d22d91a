import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { answerField, answerKey } from "~/features/learning/quiz-rules";
import { optionLetter } from "~/features/learning/session-test";
import {
  enterPaperTest,
  getSessionTest,
  PHASE_LABEL,
  paperParticipants,
  storedAnswers,
} from "~/features/learning/session-test.server";
import { rosterOr404 } from "~/features/workshops/measure-access.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Isi hasil tes kertas: ${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

const querySchema = z.object({
  peserta: z.string().max(40).optional().catch(undefined),
  tahap: z.enum(["pre", "post"]).optional().catch(undefined),
});

const SOURCE_LABEL = { ponsel: "ponsel", kertas: "kertas" } as const;

/**
 * Typing in paper sheets (issue 20), one participant and phase per form: first pick them
 * (a GET form), then one radio or checkbox group per item, pre-filled when a paper sheet of
 * that phase is already stored (a correction). A phone result is shown, never replaced.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await rosterOr404(user, workshopIdParam(params));
  const test = await getSessionTest(w.id);
  const people = await paperParticipants(w.id);
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const person = q.peserta ? people.find((p) => p.userId === q.peserta) : undefined;
  const phase = person && q.tahap ? q.tahap : null;
  const stored = person && phase ? await storedAnswers(w.id, person.userId, phase) : null;
  return {
    id: w.id,
    title: w.title,
    hasTest: !!test?.questions.length,
    people: people.map((p) => ({
      userId: p.userId,
      label: `${p.name}${p.posyanduName ? ` (${p.posyanduName})` : ""}`,
      pre: p.pre ? SOURCE_LABEL[p.pre] : null,
      post: p.post ? SOURCE_LABEL[p.post] : null,
    })),
    selected:
      person && phase ? { userId: person.userId, name: person.name, phase, phaseLabel: PHASE_LABEL[phase] } : null,
    stored: stored ? { source: stored.source, score: stored.score, given: stored.given } : null,
    questions: (test?.questions ?? []).map((x) => ({
      id: x.id,
      slug: x.slug,
      type: x.type,
      prompt: x.prompt,
      options: x.options.map((o, i) => ({ id: o.id, letter: optionLetter(x, i), text: o.text })),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  await rosterOr404(user, id);
  const form = await readForm(request);
  const r = await enterPaperTest(user, id, { userId: form.get("userId"), phase: form.get("phase") }, form.entries());
  if (!r.ok) return data({ message: r.message }, { status: 400 });
  throw redirect(`/sesi/${id}/tes/isi?tersimpan=${r.outcome}&nilai=${r.score}`);
}

const SAVED: Record<string, string> = {
  stored: "Hasil tes kertas tersimpan.",
  corrected: "Hasil tes kertas diperbaiki.",
  unchanged: "Tidak ada perubahan: jawaban sama dengan yang tersimpan.",
};

export default function TesIsi() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = SAVED[search.get("tersimpan") ?? ""];
  const nilai = search.get("nilai");
  const given = d.stored?.given ?? {};
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>Isi hasil tes kertas</h1>
      {saved ? (
        <p className="alert-ok" role="status">
          {saved}
          {nilai && /^\d{1,3}$/.test(nilai) ? ` Nilai: ${nilai}.` : ""}
        </p>
      ) : null}
      <FormError message={a?.message} />
      {!d.hasTest ? (
        <p className="card text-sm">Tes belum dibuat. Buat tes dari halaman kegiatan.</p>
      ) : (
        <>
          <p className="text-sm">
            <a href={`/sesi/${d.id}/tes/cetak`}>Cetak lembar tes</a>
          </p>
          <Form method="get" className="card space-y-3">
            <div>
              <label htmlFor="peserta">Peserta</label>
              <select id="peserta" name="peserta" defaultValue={d.selected?.userId ?? ""} required>
                <option value="">Pilih peserta…</option>
                {d.people.map((p) => (
                  <option key={p.userId} value={p.userId}>
                    {p.label}
                    {p.pre ? ` · pre: ${p.pre}` : ""}
                    {p.post ? ` · post: ${p.post}` : ""}
                  </option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend>Tahap</legend>
              <div className="flex gap-4">
                {(["pre", "post"] as const).map((ph) => (
                  <label key={ph} className="flex items-center gap-2 font-normal">
                    <input type="radio" name="tahap" value={ph} defaultChecked={d.selected?.phase === ph} required />
                    {ph === "pre" ? "Pre-test" : "Post-test"}
                  </label>
                ))}
              </div>
            </fieldset>
            <button type="submit" className="btn-secondary">
              Buka lembar
            </button>
          </Form>
          {d.selected ? (
            d.stored?.source === "ponsel" ? (
              <p className="card text-sm">
                {d.selected.name} sudah mengerjakan {d.selected.phaseLabel.toLowerCase()} di ponsel (nilai{" "}
                {d.stored.score}). Hasil dari ponsel tidak dapat diganti.
              </p>
            ) : (
              <Form method="post" className="space-y-3">
                <input type="hidden" name="userId" value={d.selected.userId} />
                <input type="hidden" name="phase" value={d.selected.phase} />
                <h2 className="text-base">
                  {d.selected.phaseLabel}: {d.selected.name}
                </h2>
                {d.stored ? (
                  <p className="text-sm">
                    Lembar ini sudah diisi (nilai {d.stored.score}). Simpan lagi untuk memperbaikinya.
                  </p>
                ) : null}
                <p className="text-xs text-stone-600">Soal yang tidak dijawab di kertas dibiarkan kosong.</p>
                {d.questions.map((q, i) => (
                  <fieldset key={answerKey(q.slug, q.id)} className="card">
                    <legend className="text-sm font-semibold">
                      Soal {i + 1}
                      {q.type === "multiple" ? " (boleh lebih dari satu)" : ""}
                    </legend>
                    <p className="text-xs text-stone-600">{q.prompt}</p>
                    <div className="mt-1 flex flex-wrap gap-3">
                      {q.options.map((o) => (
                        <label key={o.id} className="flex items-center gap-1 font-normal">
                          <input
                            type={q.type === "multiple" ? "checkbox" : "radio"}
                            name={answerField(q.slug, q.id)}
                            value={o.id}
                            defaultChecked={given[answerKey(q.slug, q.id)]?.includes(o.id)}
                            aria-label={`${o.letter}. ${o.text}`}
                          />
                          <span aria-hidden="true">{o.letter}</span>
                        </label>
                      ))}
                    </div>
                  </fieldset>
                ))}
                <button type="submit" className="btn w-full">
                  Simpan {d.selected.phaseLabel.toLowerCase()}
                </button>
              </Form>
            )
          ) : null}
        </>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
