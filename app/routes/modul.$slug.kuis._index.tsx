import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { quizStatus, requireQuizModule, startAttempt } from "~/features/learning/quiz.server";
import { readForm } from "~/lib/http";
import { REPORTING_ZONE } from "~/lib/timezone";
import { lockoutMessage, pembinaContacts } from "~/features/coaching/kader-progress.server";
import { PembinaContacts } from "~/features/coaching/pembina-contacts";
import { OutboxPanel } from "~/features/learning/outbox-panel";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Kuis: ${data?.title ?? "Modul"} · Akademi Posyandu` },
];

const WITA = new Intl.DateTimeFormat("id-ID", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: REPORTING_ZONE.iana,
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireQuizModule(params.slug);
  const status = await quizStatus(user.id, mod);
  return {
    slug: mod.slug,
    title: mod.frontmatter.title,
    draw: mod.quiz.draw,
    passScore: mod.quiz.passScore,
    ...status,
    check: status.check.ok ? { ok: true as const } : { ok: false as const, message: status.check.message },
    attempts: status.attempts.map((a) => ({ ...a, submittedAt: WITA.format(a.submittedAt) })),
    idempotencyKey: randomBytes(16).toString("hex"),
    // Every attempt used: who opens another round, and how to reach her.
    contacts: status.lockedOut ? await pembinaContacts(user, lockoutMessage(mod.frontmatter.title)) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const mod = requireQuizModule(params.slug);
  const form = await readForm(request);
  const result = await startAttempt(user.id, mod.slug, String(form.get("idempotencyKey") ?? ""));
  if (!result.ok) return data({ message: result.message }, { status: result.status });
  throw redirect(`/modul/${mod.slug}/kuis/${result.attemptId}`);
}

export default function KuisInfo() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <a href={`/modul/${d.slug}`} className="kembali">
        ‹ {d.title}
      </a>
      <h1>Kuis: {d.title}</h1>
      <OutboxPanel path={`/modul/${d.slug}/kuis`} />
      <ul className="card list-disc space-y-1 pl-8 text-sm">
        <li>{d.draw} pertanyaan diambil acak dari bank soal.</li>
        <li>Lulus jika nilai minimal {d.passScore}.</li>
        <li>
          {d.maxAttempts > 0
            ? `Kesempatan: ${d.submittedCount} dari ${d.maxAttempts} sudah dipakai.`
            : "Kesempatan tidak dibatasi."}
        </li>
        <li>
          Nilai terbaik yang disimpan: {d.bestScore ?? "belum ada"}
          {d.passed ? " (lulus)" : ""}.
        </li>
      </ul>
      <FormError message={a?.message} />
      {d.granted > 0 ? (
        <p className="alert-ok">Tim Pembina membuka {d.granted} kesempatan tambahan untuk kuis ini.</p>
      ) : null}
      {d.lastChance && !d.inProgressId ? (
        <p className="alert-error" role="alert">
          Ini kesempatan terakhir Anda untuk kuis ini. Baca lagi modulnya sebelum mulai. Bila belum lulus, Tim Pembina
          desa atau kecamatan Anda dapat membuka kesempatan baru.
        </p>
      ) : null}
      {d.inProgressId ? (
        <a href={`/modul/${d.slug}/kuis/${d.inProgressId}`} className="btn w-full">
          Lanjutkan kuis yang belum selesai
        </a>
      ) : d.check.ok ? (
        <form method="post" action={`/modul/${d.slug}/kuis?index`}>
          <input type="hidden" name="idempotencyKey" value={d.idempotencyKey} />
          <button type="submit" className="btn w-full">
            {d.submittedCount ? "Coba lagi" : "Mulai kuis"}
          </button>
        </form>
      ) : (
        <p className="alert-error">{d.check.message}</p>
      )}
      {d.lockedOut ? (
        <div className="card space-y-2">
          <h2 className="text-base">Tim Pembina yang dapat membuka kesempatan baru</h2>
          <PembinaContacts contacts={d.contacts} />
        </div>
      ) : null}
      {d.attempts.length ? (
        <div className="card">
          <h2 className="text-base">Percobaan sebelumnya</h2>
          <ul className="mt-2 divide-y divide-stone-100 text-sm">
            {d.attempts.map((t) => (
              <li key={t.id} className="flex justify-between py-2">
                <a href={`/modul/${d.slug}/kuis/${t.id}`}>{t.submittedAt}</a>
                <span className={t.passed ? "font-semibold text-emerald-800" : "text-stone-700"}>
                  {t.score} {t.passed ? "· lulus" : "· belum lulus"}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
