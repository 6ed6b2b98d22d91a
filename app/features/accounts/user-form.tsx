import type { UserFormOptions } from "~/features/accounts/types";
import { Form } from "@remix-run/react";
import { SPM_BIDANG } from "~/db/schema";
import { Field, SelectField } from "~/components/form";
import { ROLE_LABEL, SPM_LABEL } from "~/lib/roles";

export function UserForm({
  mode,
  options,
  values,
  errors,
}: {
  mode: "create" | "edit";
  options: UserFormOptions;
  values: Record<string, string | number | boolean | null | undefined>;
  errors: Record<string, string>;
}) {
  const v = (k: string) => (values[k] === null || values[k] === undefined ? "" : String(values[k]));
  const indent: Record<string, string> = { provinsi: "", kabupaten: "· ", kecamatan: "· · ", desa: "· · · " };
  return (
    <Form method="post" className="card space-y-4" noValidate>
      {values.formKey ? <input type="hidden" name="formKey" value={String(values.formKey)} /> : null}
      <Field label="Nama lengkap" name="name" defaultValue={v("name")} error={errors.name} autoComplete="off" />
      {mode === "create" ? (
        <Field
          label="Nomor HP"
          name="phone"
          type="tel"
          inputMode="tel"
          defaultValue={v("phone")}
          error={errors.phone}
          hint="Contoh: 0812 3456 7890"
        />
      ) : null}
      <Field label="Email (boleh kosong)" name="email" type="email" defaultValue={v("email")} error={errors.email} />
      <SelectField label="Peran" name="role" defaultValue={v("role")} error={errors.role}>
        <option value="">— pilih —</option>
        {options.roles.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Wilayah tugas (untuk Tim Pembina, DPMD, admin)"
        name="scopeCode"
        defaultValue={v("scopeCode")}
        error={errors.scopeCode}
      >
        <option value="">— pilih —</option>
        {options.regions.map((r) => (
          <option key={r.code} value={r.code}>
            {indent[r.level]}
            {r.name} ({r.code})
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Posyandu (untuk kader)"
        name="posyanduId"
        defaultValue={v("posyanduId")}
        error={errors.posyanduId}
      >
        <option value="">— pilih —</option>
        {options.posyandu.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} — {p.desaName}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Bidang SPM (untuk kader)"
        name="spmBidang"
        defaultValue={v("spmBidang")}
        error={errors.spmBidang}
      >
        <option value="">— pilih —</option>
        {SPM_BIDANG.map((b) => (
          <option key={b} value={b}>
            {SPM_LABEL[b]}
          </option>
        ))}
      </SelectField>
      {mode === "create" ? (
        <Field
          label="Kata sandi awal"
          name="password"
          type="password"
          autoComplete="new-password"
          error={errors.password}
          hint="Minimal 8 karakter. Serahkan kepada pemilik akun."
        />
      ) : (
        <SelectField
          label="Status"
          name="active"
          defaultValue={values.active === false || values.active === "off" ? "off" : "on"}
        >
          <option value="on">Aktif</option>
          <option value="off">Nonaktif</option>
        </SelectField>
      )}
      <button type="submit" className="btn">
        {mode === "create" ? "Buat akun" : "Simpan perubahan"}
      </button>
    </Form>
  );
}
