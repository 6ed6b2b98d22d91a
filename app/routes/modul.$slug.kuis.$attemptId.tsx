import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import {
  getOwnAttempt,
  questionsForForm,
  quizStatus,
  requireQuizModule,
  submitAttempt,
} from "~/features/learning/quiz.server";
import { readForm } from "~/lib/http";
import { certificateIssuedSince } from "~/features/certification/evaluate.server";
import { NEXT_AFTER_LOCKOUT, scoreAttempt } from "~/features/learning/quiz-rules";
import { modulesInProgrammeOrder } from "~/features/learning/progress.server";
import { GrafikBerat } from "~/features/catalogue/diagrams";
import { QuestionFieldset } from "~/features/learning/question-fieldset";
import { lockoutMessage, pembinaContacts } from "~/features/coaching/kader-progress.server";
import { PembinaContacts } from "~/features/coaching/pembina-contacts";

export const meta: MetaFunction = () => [{ title: "Kuis · Akademi Posyandu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireQuizModule(params.slug);
  const attempt = await getOwnAttempt(user.id, mod.slug, params.attemptId);
  const base = { slug: mod.slug, title: mod.frontmatter.title, attemptId: attempt.id, passScore: attempt.passScore };
  if (!attempt.submittedAt) {
    // Before submission only prompts and options leave the server.
    return { ...base, mode: "form" as const, questions: questionsForForm(attempt.draw) };
  }
  const answers = attempt.answers ?? {};
  const graded = scoreAttempt(attempt.draw, answers, attempt.passScore);
  const status = await quizStatus(user.id, mod);
  // The last requirement met by this attempt: say so on the page the kader lands on.
  const issued = attempt.passed
    ? await certificateIssuedSince(user.id, new Date(attempt.submittedAt.getTime() - 1000))
    : null;
  const order = modulesInProgrammeOrder();
  const after = order[order.findIndex((m) => m.slug === mod.slug) + 1];
  return {
    ...base,
    mode: "review" as const,
    next: after
      ? { href: `/modul/${after.slug}`, label: `Lanjut ke modul berikutnya: ${after.frontmatter.title}` }
      : { href: "/sertifikat", label: "Lihat status sertifikat" },
    score: attempt.score!,
    passed: !!attempt.passed,
    lockedOut: status.lockedOut,
    lastChance: status.lastChance,
    afterLockout: NEXT_AFTER_LOCKOUT,
    // Who opens another round, and how to reach her (name, number, WhatsApp).
    contacts: status.lockedOut ? await pembinaContacts(user, lockoutMessage(mod.frontmatter.title)) : [],
    issued,
    review: attempt.draw.map((q) => {
      const given = answers[q.id] ?? [];
      // Right or wrong exactly as the attempt was graded (one rule: scoreAttempt).
      const ok = graded.perQuestion[q.id];
      // The section to re-read: stored with the draw (attempts before content v2: the bank's current one).
      const section = q.section ?? mod.quiz?.questions.find((b) => b.id === q.id)?.section;
      const heading = section ? mod.headings.find((h) => h.id === section) : undefined;
      return {
        ...q,
        given,
        correct: ok,
        reread: heading ? { href: `/modul/${mod.slug}#${heading.id}`, title: heading.text } : null,
      };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireQuizModule(params.slug);
  const form = await readForm(request);
  const result = await submitAttempt(user.id, mod.slug, params.attemptId ?? "", form.entries());
  if (!result.ok)
    return data(
      { message: result.message, unanswered: result.unanswered ?? [], answers: result.answers ?? {} },
      { status: 400 },
    );
  throw redirect(`/modul/${mod.slug}/kuis/${params.attemptId}`);
}

export default function Attempt() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  if (d.mode === "form") {
    const chosen = a?.answers ?? {};
    const unanswered = new Set(a?.unanswered ?? []);
    return (
      <section className="mx-auto max-w-xl space-y-4">
        <a href={`/modul/${d.slug}`} className="kembali">
          ‹ {d.title}
        </a>
        <h1>Kuis: {d.title}</h1>
        <FormError message={a?.message} />
        {/* data-offline: with JavaScript the answers are kept on the phone when there is no signal. */}
        <form method="post" action={`/modul/${d.slug}/kuis/${d.attemptId}`} className="space-y-4" data-offline="kuis">
          {d.questions.map((q, i) => (
            <QuestionFieldset
              key={q.id}
              q={q}
              slug={d.slug}
              index={i}
              noun="Pertanyaan"
              unanswered={unanswered.has(q.id)}
              chosen={chosen[q.id]}
            />
          ))}
          <button type="submit" className="btn w-full">
            Kirim jawaban
          </button>
        </form>
      </section>
    );
  }
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <a href={`/modul/${d.slug}/kuis`} className="kembali">
        ‹ Kuis {d.title}
      </a>
      <h1>Hasil kuis</h1>
      {/* data-nilai, data-lulus: read by the page script when it sent these answers from the phone. */}
      <div
        className={d.passed ? "alert-ok" : "alert-error"}
        role="status"
        data-nilai={d.score}
        data-lulus={d.passed ? "ya" : ""}
      >
        <p className="text-2xl font-bold">Nilai {d.score}</p>
        <p>
          {d.passed
            ? "Selamat, Anda lulus kuis modul ini."
            : d.lockedOut
              ? `Belum lulus (batas lulus ${d.passScore}). Kesempatan mengerjakan kuis ini sudah habis.`
              : `Belum lulus (batas lulus ${d.passScore}). Pelajari lagi modulnya, lalu coba kembali.`}
        </p>
        {!d.passed && d.lastChance ? (
          <p className="mt-1 font-semibold">Tersisa satu kesempatan: itu kesempatan terakhir Anda.</p>
        ) : null}
      </div>
      {d.lockedOut ? (
        <div className="card space-y-1" data-testid="langkah-berikutnya">
          <h2 className="text-base">Apa yang terjadi sekarang?</h2>
          <p className="text-sm">{d.afterLockout}</p>
          <PembinaContacts contacts={d.contacts} />
        </div>
      ) : null}
      {d.issued ? (
        <div className="alert-ok space-y-2" role="status">
          <p className="text-lg font-bold">Selamat, sertifikat Anda terbit</p>
          <p className="text-sm">Anda sudah memenuhi semua syarat. Kode sertifikat: {d.issued.code}.</p>
          <a href="/sertifikat" className="btn w-full">
            Lihat dan unduh sertifikat
          </a>
        </div>
      ) : null}
      {d.passed ? (
        <a href={d.next.href} className="btn w-full">
          {d.next.label}
        </a>
      ) : (
        <a href={`/modul/${d.slug}`} className="btn w-full">
          Baca lagi modulnya
        </a>
      )}
      <ol className="space-y-3">
        {d.review.map((q, i) => (
          <li key={q.id} className="card">
            <p className="font-semibold">
              {i + 1}. {q.prompt}
            </p>
            {q.chart ? <GrafikBerat {...q.chart} idSuffix={q.id} /> : null}
            <p className={`mt-1 text-sm font-semibold ${q.correct ? "text-emerald-800" : "text-red-700"}`}>
              {q.correct ? "✓ Benar" : "✗ Kurang tepat"}
            </p>
            <ul className="mt-2 space-y-1 text-sm">
              {q.options.map((o) => {
                const right = q.answer.includes(o.id);
                const picked = q.given.includes(o.id);
                return (
                  <li key={o.id} className={`rounded px-2 py-1 ${right ? "bg-emerald-50" : picked ? "bg-red-50" : ""}`}>
                    {picked ? "● " : "○ "}
                    {o.text}
                    {right ? <strong className="ml-1 text-emerald-800">(jawaban benar)</strong> : null}
                    {picked && !right ? <span className="ml-1 text-red-700">(pilihan Anda)</span> : null}
                  </li>
                );
              })}
            </ul>
            <p className="mt-2 text-sm text-stone-700">{q.explanation}</p>
            {!q.correct && q.reread ? (
              <p className="mt-2 text-sm">
                Baca lagi: <a href={q.reread.href}>{q.reread.title}</a>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <a href="/" className="btn-secondary w-full">
        Ke Beranda
      </a>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
