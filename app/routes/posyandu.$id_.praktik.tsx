import { readForm } from "~/lib/http";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { OBSERVER_ROLES, practiceSheet, recordObservations } from "~/features/certification/practice.server";
import { PRACTICE_RESULT_LABEL } from "~/features/certification/rule";
import { posyanduIdParam } from "~/features/regions/posyandu.server";
import { todayWita } from "~/features/reporting/reports.server";
import { formatIsoDay } from "~/lib/timezone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Praktik lapangan ${data?.posyandu.name ?? ""} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, OBSERVER_ROLES);
  const tugas = new URL(request.url).searchParams.get("tugas");
  const sheet = await practiceSheet(user, posyanduIdParam(params), tugas);
  return {
    posyandu: { id: sheet.posyandu.id, name: sheet.posyandu.name, desaName: sheet.posyandu.desaName },
    tasks: sheet.tasks.map((t) => ({ id: t.id, title: t.title })),
    task: sheet.task ?? null,
    kader: sheet.kader.map((k) => ({
      id: k.id,
      name: k.name,
      latest: k.latest
        ? `${PRACTICE_RESULT_LABEL[k.latest.result as keyof typeof PRACTICE_RESULT_LABEL]} (${formatIsoDay(k.latest.observedOn)})`
        : null,
    })),
    today: todayWita(),
    idempotencyKey: randomBytes(16).toString("hex"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, OBSERVER_ROLES);
  const id = posyanduIdParam(params);
  const form = await readForm(request);
  const result = await recordObservations(user, id, form);
  if (!result.ok) {
    // Keep what was ticked: a mistake for one kader must not clear the whole sheet.
    const values: Record<string, string[]> = {};
    for (const [k, v] of form.entries()) {
      if (typeof v !== "string") continue;
      values[k] = [...(values[k] ?? []), v];
    }
    return data({ errors: result.errors, values }, { status: 400 });
  }
  throw redirect(
    `/posyandu/${id}/praktik?tugas=${encodeURIComponent(String(form.get("taskId")))}&tersimpan=${result.recorded}`,
  );
}

export default function Praktik() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  const errors: Record<string, string> = a?.errors ?? {};
  const v = (name: string) => a?.values?.[name] ?? [];
  const saved = search.get("tersimpan");
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to={`/posyandu/${d.posyandu.id}`}>‹ {d.posyandu.name}</Link>
      </p>
      <h1>Praktik lapangan: {d.posyandu.name}</h1>
      {saved !== null ? <p className="alert-ok">Pengamatan disimpan untuk {saved} kader.</p> : null}
      <Form method="get" className="card space-y-2">
        <label htmlFor="f-tugas">Tugas yang diamati</label>
        <select id="f-tugas" name="tugas" defaultValue={d.task?.id ?? ""} required>
          <option value="">Pilih tugas…</option>
          {d.tasks.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
        <button type="submit" className="btn-secondary">
          Tampilkan daftar periksa
        </button>
      </Form>
      {d.task ? (
        <Form method="post" className="space-y-4">
          <input type="hidden" name="taskId" value={d.task.id} />
          <input type="hidden" name="idempotencyKey" value={d.idempotencyKey} />
          <FormError message={errors.form ?? errors.idempotencyKey ?? errors.taskId} />
          <div className="card space-y-3">
            <div>
              <label htmlFor="f-tanggal">Tanggal pengamatan</label>
              <input
                id="f-tanggal"
                name="observedOn"
                type="date"
                defaultValue={v("observedOn")[0] ?? d.today}
                max={d.today}
                required
              />
              {errors.observedOn ? <p className="field-error">{errors.observedOn}</p> : null}
            </div>
            <div>
              <label htmlFor="f-tempat">Tempat</label>
              <input
                id="f-tempat"
                name="place"
                defaultValue={`Posyandu ${d.posyandu.name.replace(/^Posyandu\s+/i, "")}`}
                required
                maxLength={120}
              />
              {errors.place ? <p className="field-error">{errors.place}</p> : null}
            </div>
            <p className="text-xs text-stone-600">
              Isi hanya kader yang Anda amati kali ini; kader tanpa hasil tidak dicatat. Mencatat ulang seorang kader
              menjadi koreksi: catatan lama tetap tersimpan.
            </p>
          </div>
          {d.kader.map((k) => (
            <fieldset key={k.id} className="card space-y-2" data-testid={`kader-${k.id}`}>
              <legend className="font-semibold">{k.name}</legend>
              {k.latest ? <p className="text-xs text-stone-600">Terakhir: {k.latest}</p> : null}
              <ul className="space-y-1">
                {d.task!.steps.map((step, i) => (
                  <li key={i}>
                    <label className="flex items-start gap-2 font-normal">
                      <input
                        type="checkbox"
                        name={`langkah_${k.id}`}
                        value={i}
                        className="mt-1"
                        defaultChecked={v(`langkah_${k.id}`).includes(String(i))}
                      />
                      <span>{step}</span>
                    </label>
                  </li>
                ))}
              </ul>
              <div className="flex flex-wrap gap-4">
                <label className="flex items-center gap-2 font-normal">
                  <input type="radio" name={`hasil_${k.id}`} value="" defaultChecked={!v(`hasil_${k.id}`)[0]} /> Tidak
                  diamati
                </label>
                {(Object.keys(PRACTICE_RESULT_LABEL) as (keyof typeof PRACTICE_RESULT_LABEL)[]).map((result) => (
                  <label key={result} className="flex items-center gap-2 font-normal">
                    <input
                      type="radio"
                      name={`hasil_${k.id}`}
                      value={result}
                      defaultChecked={v(`hasil_${k.id}`)[0] === result}
                    />{" "}
                    {PRACTICE_RESULT_LABEL[result]}
                  </label>
                ))}
              </div>
              {errors[`hasil_${k.id}`] ? <p className="field-error">{errors[`hasil_${k.id}`]}</p> : null}
              <label htmlFor={`catatan-${k.id}`} className="text-sm">
                Catatan
              </label>
              <textarea
                id={`catatan-${k.id}`}
                name={`catatan_${k.id}`}
                rows={2}
                maxLength={500}
                defaultValue={v(`catatan_${k.id}`)[0]}
              />
              {errors[`catatan_${k.id}`] ? <p className="field-error">{errors[`catatan_${k.id}`]}</p> : null}
            </fieldset>
          ))}
          {d.kader.length ? (
            <button type="submit" className="btn w-full">
              Simpan pengamatan
            </button>
          ) : (
            <p className="card text-sm">Posyandu ini belum punya kader aktif.</p>
          )}
        </Form>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
