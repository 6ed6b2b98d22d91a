import { Field } from "~/components/form";
import { readForm } from "~/lib/http";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorSummary } from "~/components/error-summary";
import { OBSERVER_ROLES, practiceSheet, recordObservations } from "~/features/certification/practice.server";
import { IDEMPOTENCY_KEY_RE } from "~/lib/idempotency";
import { PRACTICE_RESULT_LABEL } from "~/features/certification/rule";
import { posyanduIdParam } from "~/features/regions/posyandu.server";
import { todayWita } from "~/lib/timezone";
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
    // Keep everything entered: a mistake for one kader must not clear the whole sheet.
    const values: Record<string, string[]> = {};
    for (const [k, v] of form.entries()) {
      if (typeof v !== "string") continue;
      values[k] = [...(values[k] ?? []), v];
    }
    // The sheet keeps its key, so sending it again (corrected) never stores a saved row twice.
    const key = form.get("idempotencyKey");
    return data(
      {
        errors: result.errors,
        values,
        saved: result.saved,
        idempotencyKey: typeof key === "string" && IDEMPOTENCY_KEY_RE.test(key) ? key : null,
      },
      { status: 400 },
    );
  }
  throw redirect(
    `/posyandu/${id}/praktik?tugas=${encodeURIComponent(String(form.get("taskId")))}&tersimpan=${result.recorded}`,
  );
}

/** Where each field's problem is on the page (header fields, then the kader in sheet order). */
function summaryItems(errors: Record<string, string>, kader: { id: string }[]) {
  const items: { message: string; href?: string }[] = [];
  const done = new Set<string>();
  const add = (key: string, href?: string) => {
    if (!errors[key] || done.has(key)) return;
    done.add(key);
    items.push({ message: errors[key], href });
  };
  add("form");
  add("idempotencyKey");
  add("taskId", "#f-tugas");
  add("observedOn", "#f-tanggal");
  add("place", "#f-tempat");
  for (const k of kader) {
    add(`hasil_${k.id}`, `#kader-${k.id}`);
    add(`catatan_${k.id}`, `#catatan-${k.id}`);
  }
  for (const key of Object.keys(errors)) add(key);
  return items;
}

const names = (list: { name: string }[]) => list.map((k) => k.name).join(", ");

export default function Praktik() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  const errors: Record<string, string> = a?.errors ?? {};
  const v = (name: string) => a?.values?.[name] ?? [];
  const saved = search.get("tersimpan");
  const savedRows = new Map((a?.saved ?? []).map((r) => [r.userId, r]));
  const rowError = (id: string) => Boolean(errors[`hasil_${id}`] || errors[`catatan_${id}`]);
  const savedKader = d.kader.filter((k) => savedRows.has(k.id));
  const failedKader = d.kader.filter((k) => rowError(k.id) && !savedRows.has(k.id));
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to={`/posyandu/${d.posyandu.id}`}>‹ {d.posyandu.name}</Link>
      </p>
      <h1>Praktik lapangan: {d.posyandu.name}</h1>
      {saved !== null && !a ? <p className="alert-ok">Pengamatan disimpan untuk {saved} kader.</p> : null}
      {a ? (
        <ErrorSummary title="Ada isian yang perlu diperbaiki" items={summaryItems(errors, d.kader)}>
          {savedKader.length ? (
            <p>
              <strong>Sudah disimpan:</strong> pengamatan {savedKader.length} kader ({names(savedKader)}).
            </p>
          ) : null}
          {savedKader.length && failedKader.length ? (
            <p>
              <strong>Belum disimpan:</strong> {names(failedKader)}. Perbaiki isiannya di bawah, lalu tekan
              &ldquo;Simpan pengamatan&rdquo; lagi.
            </p>
          ) : null}
          {!savedKader.length ? (
            <p>
              <strong>Belum ada pengamatan yang disimpan.</strong> Isian Anda masih ada di bawah: perbaiki, lalu tekan
              &ldquo;Simpan pengamatan&rdquo; lagi.
            </p>
          ) : null}
        </ErrorSummary>
      ) : null}
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
          <input type="hidden" name="idempotencyKey" value={a?.idempotencyKey ?? d.idempotencyKey} />
          <div className="card space-y-3">
            <Field
              label="Tanggal pengamatan"
              name="observedOn"
              id="f-tanggal"
              type="date"
              defaultValue={v("observedOn")[0] ?? d.today}
              max={d.today}
              required
              error={errors.observedOn}
            />
            <Field
              label="Tempat"
              name="place"
              id="f-tempat"
              defaultValue={v("place")[0] ?? `Posyandu ${d.posyandu.name.replace(/^Posyandu\s+/i, "")}`}
              required
              maxLength={120}
              error={errors.place}
            />
            <p className="text-xs text-stone-600">
              Isi hanya kader yang Anda amati kali ini; kader tanpa hasil tidak dicatat. Mencatat ulang seorang kader
              menjadi koreksi: catatan lama tetap tersimpan.
            </p>
          </div>
          {d.kader.map((k) => {
            const row = savedRows.get(k.id);
            if (row) {
              // Stored by this sheet: shown as stored, no longer sent (a later submit of the sheet cannot change it).
              const met = row.steps.filter(Boolean).length;
              return (
                <div key={k.id} id={`kader-${k.id}`} className="card space-y-2" data-testid={`kader-${k.id}`}>
                  <h2 className="text-base font-semibold">{k.name}</h2>
                  <p className="alert-ok text-sm">
                    <strong>Tersimpan:</strong> {PRACTICE_RESULT_LABEL[row.result]}, {met} dari {row.steps.length}{" "}
                    langkah terpenuhi{row.note ? `. Catatan: ${row.note}` : ""}
                  </p>
                  <ul className="space-y-1 text-sm">
                    {d.task!.steps.map((step, i) => (
                      <li key={i}>
                        <span aria-hidden="true">{row.steps[i] ? "✓" : "✗"} </span>
                        <span className="sr-only">{row.steps[i] ? "Terpenuhi: " : "Belum terpenuhi: "}</span>
                        {step}
                      </li>
                    ))}
                  </ul>
                </div>
              );
            }
            const hasilError = errors[`hasil_${k.id}`];
            const catatanError = errors[`catatan_${k.id}`];
            return (
              <fieldset
                key={k.id}
                id={`kader-${k.id}`}
                className={`card space-y-2 ${hasilError || catatanError ? "border-2 border-red-700" : ""}`}
                data-testid={`kader-${k.id}`}
                tabIndex={hasilError ? -1 : undefined}
                aria-describedby={hasilError ? `kader-${k.id}-err` : undefined}
              >
                <legend className="font-semibold">{k.name}</legend>
                {hasilError ? (
                  <p id={`kader-${k.id}-err`} className="field-error font-semibold">
                    Belum disimpan. {hasilError}
                  </p>
                ) : null}
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
                <label htmlFor={`catatan-${k.id}`} className="text-sm">
                  Catatan
                </label>
                <textarea
                  id={`catatan-${k.id}`}
                  name={`catatan_${k.id}`}
                  rows={2}
                  maxLength={500}
                  defaultValue={v(`catatan_${k.id}`)[0]}
                  aria-invalid={catatanError ? true : undefined}
                  aria-describedby={catatanError ? `catatan-${k.id}-err` : undefined}
                />
                {catatanError ? (
                  <p id={`catatan-${k.id}-err`} className="field-error">
                    {catatanError}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
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
