import { readFormObject } from "~/lib/http";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { grantAttempts, kaderProgressPage, PROGRESS_VIEWERS } from "~/features/coaching/kader-progress.server";
import { can } from "~/lib/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Kemajuan ${data?.kader.name ?? "kader"} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, PROGRESS_VIEWERS);
  const page = await kaderProgressPage(user, params.id);
  return {
    ...page,
    canObserve: can(user.role, "practice-observe"),
    idempotencyKey: randomBytes(16).toString("hex"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, PROGRESS_VIEWERS);
  const form = await readFormObject(request);
  const result = await grantAttempts(user, params.id, form);
  if (!result.ok) return data({ slug: String(form.slug ?? ""), errors: result.errors }, { status: result.status });
  return data({ slug: String(form.slug ?? ""), errors: {} as Record<string, string>, extra: result.extra });
}

export default function KaderProgress() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <h1>Kemajuan {d.kader.name}</h1>
      <p className="text-sm text-stone-700">
        {d.kader.posyanduName ? `${d.kader.posyanduName}, ` : ""}
        {d.kader.desa}
        {d.kader.active ? "" : " · akun nonaktif"} · <Link to={`/admin/pengguna/${d.kader.id}`}>Akun</Link>
      </p>
      {d.programmes.map((p) => (
        <div key={p.id} className="card space-y-2" data-testid="program">
          <h2 className="text-base">{p.title}</h2>
          <p className="text-sm font-semibold">
            {p.certificate
              ? `Sertifikat ${p.certificate.code}: ${p.certificate.stateLabel} (terbit ${p.certificate.issued}, s.d. ${p.certificate.expires})`
              : "Belum bersertifikat"}
          </p>
          <p className="text-sm">{p.summary}</p>
          <ul className="text-sm">
            <li>
              {p.attendance.ok ? "✓" : "○"} Kehadiran {p.attendance.kind}: {p.attendance.attended} dari{" "}
              {p.attendance.required}
            </li>
            {p.modules.map((m) => (
              <li key={m.slug}>
                {m.completed && m.quizPassed ? "✓" : "○"} {m.title}: {m.completed ? "dibaca" : "belum dibaca"},{" "}
                {m.quizPassed
                  ? `kuis lulus (${m.bestScore})`
                  : m.bestScore !== null
                    ? `kuis belum lulus (terbaik ${m.bestScore})`
                    : "kuis belum dikerjakan"}
              </li>
            ))}
          </ul>
          {p.practice.tasks.length ? (
            <>
              <h3 className="pt-1 text-sm font-semibold">
                Praktik lapangan: {p.practice.done} dari {p.practice.required} tugas wajib kompeten
              </h3>
              <ul className="text-sm">
                {p.practice.tasks.map((t) => (
                  <li key={t.taskId}>
                    {t.result === "kompeten" ? "✓" : "○"} {t.title}: {t.resultLabel}
                  </li>
                ))}
              </ul>
              {d.canObserve && d.kader.posyanduId ? (
                <Link to={`/posyandu/${d.kader.posyanduId}/praktik`} className="btn-secondary">
                  Catat praktik lapangan
                </Link>
              ) : null}
            </>
          ) : null}
        </div>
      ))}

      <h2>Kuis</h2>
      {d.quizzes.map((q) => (
        <div key={q.slug} className="card space-y-2" id={`kuis-${q.slug}`} data-testid={`kuis-${q.slug}`}>
          <h3 className="font-semibold">{q.title}</h3>
          <p className="text-sm">
            {q.passed
              ? "Lulus."
              : q.lockedOut
                ? "Terkunci: semua kesempatan sudah dipakai tanpa lulus."
                : "Belum lulus."}{" "}
            Kesempatan dipakai {q.used}
            {q.max ? ` dari ${q.max}` : ""} · batas lulus {q.passScore}
          </p>
          {q.attempts.length ? (
            <ol className="list-decimal pl-6 text-sm">
              {q.attempts.map((t, i) => (
                <li key={i}>
                  {t.when}: nilai {t.score} {t.passed ? "(lulus)" : "(belum lulus)"}
                  {t.earlierCycle ? " · siklus sebelumnya" : ""}
                </li>
              ))}
            </ol>
          ) : null}
          {q.grants.map((g, i) => (
            <p key={i} className="text-xs text-stone-600">
              {g.when}: {g.by} memberi {g.extra} kesempatan tambahan. Alasan: {g.reason}
            </p>
          ))}
          {a && a.slug === q.slug && !Object.keys(a.errors).length ? (
            <p className="alert-ok">Kesempatan tambahan diberikan. Kader dapat langsung mengerjakan kuis lagi.</p>
          ) : null}
          {q.lockedOut ? (
            <Form method="post" className="space-y-2">
              <input type="hidden" name="slug" value={q.slug} />
              <input type="hidden" name="idempotencyKey" value={d.idempotencyKey} />
              {a && a.slug === q.slug ? (
                <FormError message={a.errors.form ?? a.errors.slug ?? a.errors.idempotencyKey} />
              ) : null}
              <div>
                <label htmlFor={`alasan-${q.slug}`}>Alasan memberi {q.roundSize} kesempatan lagi</label>
                <textarea id={`alasan-${q.slug}`} name="reason" rows={2} required minLength={5} maxLength={500} />
                {a && a.slug === q.slug && a.errors.reason ? <p className="field-error">{a.errors.reason}</p> : null}
              </div>
              <button type="submit" className="btn">
                Beri kesempatan lagi
              </button>
            </Form>
          ) : null}
        </div>
      ))}

      <div className="card">
        <h2 className="text-base">Kehadiran</h2>
        {d.attendance.length ? (
          <ul className="text-sm">
            {d.attendance.map((t, i) => (
              <li key={i}>
                {t.when}: {t.title} ({t.kind}) · {t.status}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm">Belum ada catatan kehadiran.</p>
        )}
      </div>

      <div className="card">
        <h2 className="text-base">Catatan praktik lapangan</h2>
        {d.practice.length ? (
          <ul className="divide-y divide-stone-100 text-sm">
            {d.practice.map((p) => (
              <li key={p.id} className="py-2">
                <strong>{p.task}</strong>: {p.result} ({p.stepsMet} dari {p.stepsTotal} langkah) · {p.observedOn},{" "}
                {p.place} · oleh {p.observer}
                {p.correction ? " · koreksi" : ""}
                {p.note ? <span className="block text-xs text-stone-600">{p.note}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm">Belum ada pengamatan.</p>
        )}
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
