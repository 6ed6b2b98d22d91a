import { Form, Link, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/form";
import { ErrorSummary } from "~/components/error-summary";
import type { SavedRow } from "~/features/certification/practice.server";
import { PRACTICE_RESULT_LABEL } from "~/features/certification/rule";

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

export interface SheetSubject {
  id: string;
  name: string;
  /** "Kompeten (12/11/2026)" or null. */
  latest: string | null;
  /** Shown under the name (e.g. the pembina's team and region). */
  detail?: string;
}

export interface SheetData {
  tasks: { id: string; title: string }[];
  task: { id: string; title: string; steps: string[] } | null;
  kader: SheetSubject[];
  today: string;
  idempotencyKey: string;
}

export interface SheetActionData {
  errors: Record<string, string>;
  values: Record<string, string[]>;
  saved: SavedRow[];
  idempotencyKey: string | null;
}

/**
 * The observation sheet of praktik lapangan (one task, several people observed in one sitting),
 * shared by the posyandu's kader sheet and the Tim Pembina sheet. Works without JavaScript.
 */
export function PracticeSheet({
  d,
  a,
  title,
  back,
  placeDefault,
  empty,
  who,
  areas = [],
  area = null,
}: {
  d: SheetData;
  a: SheetActionData | undefined;
  title: string;
  back: { to: string; label: string };
  placeDefault: string;
  empty: string;
  /** "kader" or "anggota" in messages. */
  who: string;
  /** Areas to pick from (the Tim Pembina sheet above kecamatan level); the chosen one. */
  areas?: { code: string; name: string }[];
  area?: string | null;
}) {
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
        <Link to={back.to}>‹ {back.label}</Link>
      </p>
      <h1>{title}</h1>
      {saved !== null && !a ? (
        <p className="alert-ok">
          Pengamatan disimpan untuk {saved} {who}.
        </p>
      ) : null}
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
        {areas.length ? (
          <>
            <label htmlFor="f-wilayah">Wilayah</label>
            <select id="f-wilayah" name="wilayah" defaultValue={area ?? ""} required>
              <option value="">Pilih wilayah…</option>
              {areas.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
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
          {area && areas.length ? <input type="hidden" name="wilayah" value={area} /> : null}
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
              defaultValue={v("place")[0] ?? placeDefault}
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
                {k.detail ? <p className="text-xs text-stone-600">{k.detail}</p> : null}
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
            <p className="card text-sm">{empty}</p>
          )}
        </Form>
      ) : null}
    </section>
  );
}
