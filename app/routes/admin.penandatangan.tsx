import { readForm } from "~/lib/http";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import {
  LOGO_MAX_BYTES,
  saveSignatory,
  SIGNATORY_EDITORS,
  signatoriesInScope,
  unsignedIssuance,
  unsignedWarning,
} from "~/features/certification/signatories.server";

export const meta: MetaFunction = () => [{ title: "Penandatangan sertifikat · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, SIGNATORY_EDITORS);
  const list = await signatoriesInScope(user);
  // Kabupaten already issuing certificates without a signer: said first, each leading to its form.
  const unsigned = await unsignedIssuance(user.scopeCode);
  return {
    unsigned: unsigned.map((u) => ({ code: u.code, message: unsignedWarning(u) })),
    kabupaten: list.map((k) => ({
      ...k,
      signatory: k.signatory ? { ...k.signatory, updatedAt: k.signatory.updatedAt.toISOString() } : null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, SIGNATORY_EDITORS);
  if (Number(request.headers.get("Content-Length") ?? 0) > LOGO_MAX_BYTES * 2) {
    return data(
      { code: "", errors: { logo: "Logo terlalu besar (maksimal 200 KB)." } as Record<string, string> },
      { status: 413 },
    );
  }
  const form = await readForm(request);
  const result = await saveSignatory(user, form);
  if (!result.ok)
    return data({ code: String(form.get("kabupatenCode") ?? ""), errors: result.errors }, { status: 400 });
  throw redirect(`/admin/penandatangan?tersimpan=${encodeURIComponent(String(form.get("kabupatenCode")))}`);
}

export default function Penandatangan() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <h1>Penandatangan sertifikat</h1>
      <p className="text-sm text-stone-700">
        Nama, jabatan, NIP dan logo dicetak pada sertifikat yang terbit sesudah disimpan. Sertifikat yang sudah terbit
        tetap memakai penandatangan saat terbit.
      </p>
      {d.unsigned.length ? (
        <div className="alert-error space-y-1" role="alert" data-testid="tanpa-penandatangan">
          {d.unsigned.map((u) => (
            <p key={u.code}>
              {u.message} <a href={`#kab-${u.code}`}>Isi penandatangannya ›</a>
            </p>
          ))}
        </div>
      ) : null}
      {d.kabupaten.map((k) => {
        const errors = a && a.code === k.code ? a.errors : {};
        return (
          <Form
            key={k.code}
            id={`kab-${k.code}`}
            method="post"
            encType="multipart/form-data"
            className="card space-y-3"
            data-testid={`kab-${k.code}`}
          >
            <h2 className="text-base">{k.name}</h2>
            {search.get("tersimpan") === k.code ? <p className="alert-ok">Penandatangan disimpan.</p> : null}
            <FormError message={errors.form ?? errors.kabupatenCode} />
            <input type="hidden" name="kabupatenCode" value={k.code} />
            <div>
              <label htmlFor={`nama-${k.code}`}>Nama</label>
              <input
                id={`nama-${k.code}`}
                name="name"
                defaultValue={k.signatory?.name ?? ""}
                required
                maxLength={120}
              />
              {errors.name ? <p className="field-error">{errors.name}</p> : null}
            </div>
            <div>
              <label htmlFor={`jabatan-${k.code}`}>Jabatan</label>
              <input
                id={`jabatan-${k.code}`}
                name="title"
                defaultValue={k.signatory?.title ?? ""}
                placeholder="Kepala Dinas Pemberdayaan Masyarakat dan Desa"
                required
                maxLength={160}
              />
              {errors.title ? <p className="field-error">{errors.title}</p> : null}
            </div>
            <div>
              <label htmlFor={`nip-${k.code}`}>NIP (boleh kosong)</label>
              <input
                id={`nip-${k.code}`}
                name="nip"
                defaultValue={k.signatory?.nip ?? ""}
                inputMode="numeric"
                maxLength={24}
              />
              {errors.nip ? <p className="field-error">{errors.nip}</p> : null}
            </div>
            <div>
              <label htmlFor={`logo-${k.code}`}>Logo (PNG/JPEG, maks. 200 KB, boleh kosong)</label>
              <input id={`logo-${k.code}`} name="logo" type="file" accept="image/png,image/jpeg" />
              {errors.logo ? <p className="field-error">{errors.logo}</p> : null}
              {k.signatory?.hasLogo ? (
                <label className="mt-1 flex items-center gap-2 text-sm font-normal">
                  <input type="checkbox" name="removeLogo" value="1" /> Hapus logo yang tersimpan
                </label>
              ) : null}
            </div>
            <button type="submit" className="btn">
              Simpan
            </button>
          </Form>
        );
      })}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
