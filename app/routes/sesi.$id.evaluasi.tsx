import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { EVALUATION_QUESTIONS, SCALE_LABEL } from "~/features/workshops/evaluation";
import { evaluationSession, ownEvaluation, submitEvaluation } from "~/features/workshops/evaluation.server";
import { workshopOr404 } from "~/features/workshops/measure-access.server";
import { canTakeAttendance } from "~/features/workshops/rules";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { readFormObject } from "~/lib/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Evaluasi: ${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

/**
 * A participant's evaluation of a session she attended (issue 20): three questions on 1–5 and a
 * comment. She may change it (one row per participant). Staff read the summary on the session page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  const w = await workshopOr404(user, id);
  if (canTakeAttendance(user, w)) throw redirect(`/sesi/${id}#evaluasi`);
  await evaluationSession(user, id);
  const mine = await ownEvaluation(user.id, id);
  return {
    id,
    title: w.title,
    mine: mine
      ? { relevance: mine.relevance, clarity: mine.clarity, speaker: mine.speaker, comment: mine.comment }
      : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  await evaluationSession(user, id);
  const r = await submitEvaluation(user, id, await readFormObject(request));
  if (!r.ok) return data({ errors: r.errors }, { status: 400 });
  throw redirect(`/sesi/${id}?evaluasi=1`);
}

export default function Evaluasi() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors: Record<string, string> = a?.errors ?? {};
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>Evaluasi kegiatan</h1>
      <p className="text-sm text-stone-600">
        Nilai 1 (sangat kurang) sampai 5 (sangat baik). Tim Pembina melihat ringkasannya tanpa nama Anda.
      </p>
      {d.mine ? <p className="alert-ok">Anda sudah mengisi evaluasi. Anda boleh mengubahnya.</p> : null}
      <FormError message={Object.keys(errors).length ? "Periksa isian yang ditandai." : undefined} />
      <Form method="post" className="space-y-3">
        {EVALUATION_QUESTIONS.map((q) => (
          <fieldset
            key={q.name}
            className="card"
            aria-invalid={errors[q.name] ? true : undefined}
            aria-describedby={errors[q.name] ? `${q.name}-err` : undefined}
          >
            <legend className="font-semibold">{q.legend}</legend>
            <div className="mt-2 grid grid-cols-5 gap-1 text-center text-xs">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="flex flex-col items-center gap-1 font-normal">
                  <input type="radio" name={q.name} value={n} defaultChecked={d.mine?.[q.name] === n} required />
                  <span>{n}</span>
                  <span className="sr-only">{SCALE_LABEL[n]}</span>
                </label>
              ))}
            </div>
            {errors[q.name] ? (
              <p id={`${q.name}-err`} className="field-error">
                {errors[q.name]}
              </p>
            ) : null}
          </fieldset>
        ))}
        <div>
          <label htmlFor="comment">Saran atau komentar (boleh kosong)</label>
          <textarea
            id="comment"
            name="comment"
            maxLength={500}
            rows={4}
            defaultValue={d.mine?.comment ?? ""}
            aria-invalid={errors.comment ? true : undefined}
            aria-describedby={errors.comment ? "comment-err" : undefined}
          />
          {errors.comment ? (
            <p id="comment-err" className="field-error">
              {errors.comment}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn w-full">
          Kirim evaluasi
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
