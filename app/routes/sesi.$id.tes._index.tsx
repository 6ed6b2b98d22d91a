import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { QuestionFieldset } from "~/features/learning/question-fieldset";
import { answerKey } from "~/features/learning/quiz-rules";
import { PHASE_LABEL, participantTest, submitPhoneTest } from "~/features/learning/session-test.server";
import { workshopOr404 } from "~/features/workshops/measure-access.server";
import { canTakeAttendance } from "~/features/workshops/rules";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Tes: ${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

/**
 * A participant's pre-test and post-test on the phone (issue 20): the page offers the pre-test
 * until she submitted it, then the post-test, with the same items in the same order. Only
 * prompts and options leave the server; after submission only the score is shown (the keys
 * stay hidden: the post-test asks the same items). Staff are sent to the paper entry.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  const w = await workshopOr404(user, id);
  if (canTakeAttendance(user, w)) throw redirect(`/sesi/${id}/tes/isi`);
  const t = await participantTest(user, id);
  const open = !!t.test?.questions.length && t.workshop.status !== "cancelled";
  return {
    id,
    title: t.workshop.title,
    open,
    phase: open ? t.phase : null,
    phaseLabel: t.phase ? PHASE_LABEL[t.phase] : null,
    pre: t.pre?.score ?? null,
    post: t.post?.score ?? null,
    questions:
      open && t.phase
        ? t.test!.questions.map((q) => ({
            id: q.id,
            slug: q.slug,
            type: q.type,
            prompt: q.prompt,
            options: q.options,
            chart: q.chart ?? null,
          }))
        : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  const form = await readForm(request);
  const r = await submitPhoneTest(user, id, form.get("phase"), form.entries());
  if (!r.ok)
    return data({ message: r.message, unanswered: r.unanswered ?? [], answers: r.answers ?? {} }, { status: 400 });
  throw redirect(`/sesi/${id}/tes?selesai=${r.phase}`);
}

export default function SesiTes() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  const done = search.get("selesai");
  const chosen: Record<string, string[]> = a?.answers ?? {};
  const unanswered = new Set(a?.unanswered ?? []);
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>{d.phaseLabel && d.phase ? d.phaseLabel : "Pre-test dan post-test"}</h1>
      {done === "pre" || done === "post" ? (
        <p className="alert-ok" role="status">
          {done === "pre" ? "Pre-test" : "Post-test"} tersimpan.
        </p>
      ) : null}
      {d.pre !== null || d.post !== null ? (
        <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="nilai-tes">
          <dt className="text-stone-500">Nilai pre-test</dt>
          <dd>{d.pre ?? "belum"}</dd>
          <dt className="text-stone-500">Nilai post-test</dt>
          <dd>{d.post ?? "belum"}</dd>
        </dl>
      ) : null}
      {!d.open ? (
        <p className="card text-sm">Tes untuk kegiatan ini belum tersedia. Tanyakan kepada Tim Pembina.</p>
      ) : null}
      {d.open && !d.phase ? (
        <p className="card text-sm">Anda sudah mengerjakan pre-test dan post-test. Terima kasih.</p>
      ) : null}
      <FormError message={a?.message} />
      {d.phase ? (
        <Form method="post" className="space-y-4">
          <input type="hidden" name="phase" value={d.phase} />
          <p className="text-sm text-stone-600">
            {d.questions.length} soal. Jawab sendiri tanpa melihat modul: nilai ini mengukur apa yang sudah Anda pahami.
          </p>
          {d.questions.map((q, i) => (
            <QuestionFieldset
              key={answerKey(q.slug, q.id)}
              q={q}
              slug={q.slug}
              index={i}
              noun="Soal"
              unanswered={unanswered.has(answerKey(q.slug, q.id))}
              chosen={chosen[answerKey(q.slug, q.id)]}
              data={{ "data-slug": q.slug, "data-question": q.id }}
            />
          ))}
          <button type="submit" className="btn w-full">
            Kirim {d.phaseLabel?.toLowerCase()}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
