import type { WorkshopFormOptions } from "~/features/workshops/types";
import { Form } from "@remix-run/react";
import { Field, FormError, SelectField } from "~/components/form";
import { WORKSHOP_AUDIENCES, WORKSHOP_KINDS } from "~/db/schema";
import { AUDIENCE_LABEL, KIND_LABEL } from "~/features/workshops/rules";

export function WorkshopForm({
  options,
  values,
  errors,
  submitLabel,
}: {
  options: WorkshopFormOptions;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  submitLabel: string;
}) {
  const v = (k: string) => (values[k] === undefined || values[k] === null ? "" : String(values[k]));
  const chosen = new Set((values.moduleSlugs as string[] | undefined) ?? []);
  const indent: Record<string, string> = { kabupaten: "", kecamatan: "· ", desa: "· · " };
  return (
    <Form method="post" className="card space-y-4" noValidate>
      {values.formKey ? <input type="hidden" name="formKey" value={String(values.formKey)} /> : null}
      <FormError message={errors.form} />
      <Field
        label="Judul kegiatan"
        name="title"
        defaultValue={v("title")}
        error={errors.title}
        placeholder="Pelatihan Kader 6 SPM Kecamatan …"
      />
      <div className="grid grid-cols-2 gap-3">
        <SelectField label="Jenis" name="kind" defaultValue={v("kind") || "pelatihan"} error={errors.kind}>
          {WORKSHOP_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Peserta" name="audience" defaultValue={v("audience") || "kader"} error={errors.audience}>
          {WORKSHOP_AUDIENCES.map((a) => (
            <option key={a} value={a}>
              {AUDIENCE_LABEL[a]}
            </option>
          ))}
        </SelectField>
      </div>
      <SelectField label="Wilayah sasaran" name="regionCode" defaultValue={v("regionCode")} error={errors.regionCode}>
        <option value="">— pilih —</option>
        {options.regions.map((r) => (
          <option key={r.code} value={r.code}>
            {indent[r.level] ?? ""}
            {r.name} ({r.code})
          </option>
        ))}
      </SelectField>
      <Field label="Tempat" name="venue" defaultValue={v("venue")} error={errors.venue} placeholder="Balai Desa …" />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field
          label="Mulai (WITA)"
          name="startsAt"
          type="datetime-local"
          defaultValue={v("startsAt")}
          error={errors.startsAt}
        />
        <Field
          label="Selesai (WITA)"
          name="endsAt"
          type="datetime-local"
          defaultValue={v("endsAt")}
          error={errors.endsAt}
        />
      </div>
      <div className="grid grid-cols-2 gap-3">
        <Field
          label="Kapasitas (orang)"
          name="capacity"
          type="number"
          inputMode="numeric"
          min={1}
          defaultValue={v("capacity") || "40"}
          error={errors.capacity}
        />
        <Field
          label="Batas terlambat (menit)"
          name="graceMinutes"
          type="number"
          inputMode="numeric"
          min={0}
          defaultValue={v("graceMinutes") || "15"}
          error={errors.graceMinutes}
        />
      </div>
      {/* Follow-up modules only apply to a pelatihan: hidden (and ignored by the server) for other kinds, no JS needed. */}
      <style>{"form:has(#f-kind option[value=pelatihan]:not(:checked)) .follow-up{display:none}"}</style>
      <fieldset className="follow-up">
        <legend className="text-sm font-medium">Modul tindak lanjut (untuk peserta pelatihan yang hadir)</legend>
        {errors.moduleSlugs ? <p className="field-error">{errors.moduleSlugs}</p> : null}
        <div className="mt-1 space-y-1">
          {options.modules.map((m) => (
            <label key={m.slug} className="flex items-start gap-2 font-normal">
              <input
                type="checkbox"
                name="moduleSlugs"
                value={m.slug}
                defaultChecked={chosen.has(m.slug)}
                className="mt-1"
              />
              <span>{m.title}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="f-description">Keterangan (boleh kosong)</label>
        <textarea id="f-description" name="description" rows={3} defaultValue={v("description")} />
        {errors.description ? <p className="field-error">{errors.description}</p> : null}
      </div>
      <button type="submit" className="btn w-full">
        {submitLabel}
      </button>
    </Form>
  );
}
