import { Form } from "@remix-run/react";
import { Field, FormError, SelectField } from "~/components/form";

export interface DesaOption {
  code: string;
  name: string;
  kecamatan: string;
}

export interface KecamatanOption {
  code: string;
  name: string;
  kabupaten: string;
}

/**
 * Above a kecamatan the desa are offered one kecamatan at a time: this GET form (no JS)
 * reloads the page with ?kecamatan=… and the desa select lists that kecamatan's desa.
 */
export function KecamatanChooser({ options, value }: { options: KecamatanOption[]; value: string | null }) {
  const byKab = new Map<string, KecamatanOption[]>();
  for (const k of options) byKab.set(k.kabupaten, [...(byKab.get(k.kabupaten) ?? []), k]);
  return (
    <Form method="get" className="flex flex-wrap items-end gap-2">
      <div className="min-w-0 flex-1">
        <label htmlFor="f-kecamatan">Kecamatan</label>
        <select id="f-kecamatan" name="kecamatan" defaultValue={value ?? ""}>
          <option value="">— pilih kecamatan —</option>
          {[...byKab].map(([kab, list]) => (
            <optgroup key={kab} label={kab}>
              {list.map((k) => (
                <option key={k.code} value={k.code}>
                  {k.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <button type="submit" className="btn-secondary">
        Tampilkan desa
      </button>
    </Form>
  );
}

export function PosyanduForm({
  desa,
  kecamatanOptions = [],
  kecamatan = null,
  values,
  errors,
  submitLabel,
  showActive,
}: {
  desa: DesaOption[];
  kecamatanOptions?: KecamatanOption[];
  kecamatan?: string | null;
  values: {
    name?: string;
    desaCode?: string;
    registrationNo?: string | null;
    address?: string | null;
    active?: boolean;
    /** The create form's key (app/form-key.server.ts). */
    formKey?: string;
  };
  errors: Record<string, string>;
  submitLabel: string;
  showActive?: boolean;
}) {
  const byKec = new Map<string, DesaOption[]>();
  for (const d of desa) byKec.set(d.kecamatan, [...(byKec.get(d.kecamatan) ?? []), d]);
  const choose = kecamatanOptions.length > 0;
  return (
    <div className="card space-y-4">
      {choose ? <KecamatanChooser options={kecamatanOptions} value={kecamatan} /> : null}
      <Form method="post" className="space-y-4" noValidate>
        {values.formKey ? <input type="hidden" name="formKey" value={values.formKey} /> : null}
        <FormError message={errors.form} />
        <Field label="Nama posyandu" name="name" defaultValue={values.name ?? ""} error={errors.name} required />
        <SelectField
          label="Desa/kelurahan"
          name="desaCode"
          defaultValue={values.desaCode ?? ""}
          error={errors.desaCode}
          required
        >
          <option value="">{choose && !kecamatan ? "— pilih kecamatan dulu —" : "— pilih —"}</option>
          {[...byKec].map(([kec, list]) => (
            <optgroup key={kec} label={kec}>
              {list.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name} ({d.code})
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <Field
          label="Nomor registrasi (jika sudah ada)"
          name="registrationNo"
          defaultValue={values.registrationNo ?? ""}
          error={errors.registrationNo}
          hint="Nomor dari Kemendagri (kode wilayah + kode posyandu)."
        />
        <Field label="Alamat" name="address" defaultValue={values.address ?? ""} error={errors.address} />
        {showActive ? (
          <SelectField label="Status" name="active" defaultValue={values.active === false ? "off" : "on"}>
            <option value="on">Aktif</option>
            <option value="off">Nonaktif</option>
          </SelectField>
        ) : null}
        <button type="submit" className="btn">
          {submitLabel}
        </button>
      </Form>
    </div>
  );
}
