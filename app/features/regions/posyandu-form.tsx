import { Form } from "@remix-run/react";
import { Field, SelectField } from "~/components/form";

export interface DesaOption {
  code: string;
  name: string;
  kecamatan: string;
}

export function PosyanduForm({
  desa,
  values,
  errors,
  submitLabel,
  showActive,
}: {
  desa: DesaOption[];
  values: { name?: string; desaCode?: string; registrationNo?: string | null; address?: string | null; active?: boolean };
  errors: Record<string, string>;
  submitLabel: string;
  showActive?: boolean;
}) {
  const byKec = new Map<string, DesaOption[]>();
  for (const d of desa) byKec.set(d.kecamatan, [...(byKec.get(d.kecamatan) ?? []), d]);
  return (
    <Form method="post" className="card space-y-4" noValidate>
      <Field label="Nama posyandu" name="name" defaultValue={values.name ?? ""} error={errors.name} required />
      <SelectField label="Desa/kelurahan" name="desaCode" defaultValue={values.desaCode ?? ""} error={errors.desaCode} required>
        <option value="">— pilih —</option>
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
  );
}
