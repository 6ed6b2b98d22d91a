import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import {
  IMPORT_KIND_LABEL,
  IMPORT_KINDS,
  KADER_COLUMNS,
  MAX_IMPORT_BYTES,
  POSYANDU_COLUMNS,
  type ImportKind,
} from "~/features/roster-import/columns";
import { IMPORT_ROLES } from "~/lib/roles";
import { getRegion } from "~/features/regions/regions.server";
import { receiveImportUpload } from "~/features/roster-import/upload.server";
import { recentBatches } from "~/features/roster-import/commit.server";
import { stageImport } from "~/features/roster-import/stage.server";
import { assertUpload } from "~/lib/http";
import { bodyLimit } from "~/http-policy.server";
import { REPORTING_ZONE } from "~/lib/timezone";

export const meta: MetaFunction = () => [{ title: "Impor data · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, IMPORT_ROLES);
  const [region, batches] = await Promise.all([getRegion(user.scopeCode), recentBatches(user.scopeCode)]);
  return {
    region: region ? `${region.name} (${region.code})` : user.scopeCode,
    batches: batches.map((b) => ({ ...b, at: b.at.toISOString(), kindLabel: IMPORT_KIND_LABEL[b.kind] })),
  };
}

function kindOf(value: string | undefined): ImportKind | null {
  return (IMPORT_KINDS as readonly string[]).includes(value ?? "") ? (value as ImportKind) : null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, IMPORT_ROLES);
  assertUpload(request, bodyLimit(new URL(request.url).pathname));
  const upload = await receiveImportUpload(request);
  const kind = kindOf(upload.fields.jenis) ?? "kader";
  if (!upload.ok) return data({ message: upload.message, kind }, { status: 400 });
  if (!kindOf(upload.fields.jenis))
    return data({ message: "Pilih jenis data: kader atau posyandu.", kind }, { status: 400 });
  const staged = await stageImport(user, kind, upload.file);
  if (!staged.ok) return data({ message: staged.message, kind }, { status: 400 });
  throw redirect(`/admin/impor/pratinjau/${staged.token}`);
}

const fmt = new Intl.DateTimeFormat("id-ID", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: REPORTING_ZONE.iana,
});

export default function Impor() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const kind = a?.kind ?? "kader";
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <div>
        <h1>Impor data</h1>
        <p className="text-sm text-stone-600">
          Wilayah: {d.region}. Impor posyandu lebih dulu, lalu kader. Berkas diperiksa dulu; tidak ada yang disimpan
          sebelum Anda menekan &ldquo;Simpan&rdquo; di halaman pratinjau.
        </p>
      </div>
      <Form method="post" encType="multipart/form-data" className="card space-y-4">
        <h2>Unggah berkas</h2>
        <FormError message={a?.message} />
        <fieldset>
          <legend className="text-sm font-medium">Jenis data</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {IMPORT_KINDS.map((k) => (
              <label key={k} className="flex items-center gap-2 font-normal">
                <input type="radio" name="jenis" value={k} defaultChecked={k === kind} className="mt-0" />{" "}
                {IMPORT_KIND_LABEL[k]}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor="f-berkas">
            Berkas CSV atau XLSX (maksimal {Math.round(MAX_IMPORT_BYTES / 1024 / 1024)} MB)
          </label>
          <input
            id="f-berkas"
            type="file"
            name="berkas"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </div>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Memeriksa…" : "Periksa berkas"}
        </button>
      </Form>
      <div className="card space-y-3 text-sm">
        <h2>Templat</h2>
        <p>
          Gunakan templat agar judul kolom sesuai. Templat XLSX juga berisi petunjuk dan daftar posyandu/desa di wilayah
          Anda.
        </p>
        <div>
          <p className="font-semibold">Kader</p>
          <p className="text-stone-600">
            Kolom: {KADER_COLUMNS.map((c) => c.key).join(", ")}. Isi nama posyandu dengan kode desa, atau nomor
            registrasi posyandu.
          </p>
          <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 whitespace-nowrap">
            <a href="/admin/impor/templat-kader.xlsx" download>
              templat-kader.xlsx
            </a>
            <a href="/admin/impor/templat-kader.csv" download>
              templat-kader.csv
            </a>
          </p>
        </div>
        <div>
          <p className="font-semibold">Posyandu</p>
          <p className="text-stone-600">Kolom: {POSYANDU_COLUMNS.map((c) => c.key).join(", ")}.</p>
          <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 whitespace-nowrap">
            <a href="/admin/impor/templat-posyandu.xlsx" download>
              templat-posyandu.xlsx
            </a>
            <a href="/admin/impor/templat-posyandu.csv" download>
              templat-posyandu.csv
            </a>
          </p>
        </div>
        <p className="text-stone-600">
          Nomor HP 08…, +628… dan 628… dianggap sama. Kader yang nomor HP-nya sudah terdaftar diperbarui, bukan
          digandakan. Kader baru masuk pertama kali dengan kode aktivasi yang dicetak per posyandu.
        </p>
      </div>
      {d.batches.length ? (
        <div className="card">
          <h2>Impor terakhir</h2>
          <ul className="mt-2 divide-y divide-stone-100 text-sm">
            {d.batches.map((b) => (
              <li key={b.id} className="py-2">
                <span className="font-semibold">{b.kindLabel}</span> · {b.fileName}
                <span className="block text-xs text-stone-600">
                  {fmt.format(new Date(b.at))} · {b.actorName ?? "—"} · {b.rows} baris: {b.inserted} baru, {b.updated}{" "}
                  diperbarui, {b.unchanged} tidak berubah
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="text-sm">
        <Link to="/admin/pengguna">‹ Pengguna</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
