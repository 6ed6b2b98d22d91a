import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { notFound, readForm } from "~/lib/http";
import { IMPORT_KIND_LABEL, SHOWN_ERRORS } from "~/features/roster-import/columns";
import { IMPORT_ROLES } from "~/lib/roles";
import { commitImport, committedImport } from "~/features/roster-import/commit.server";
import { isExpired, readStaged } from "~/features/roster-import/stage.server";
import { posyanduInScopeByIds } from "~/features/regions/posyandu.server";
import { REPORTING_ZONE } from "~/lib/timezone";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Pratinjau impor · Akademi Posyandu" }];

function tokenParam(token: string | undefined): string {
  if (!token || !/^[a-f0-9]{32}$/.test(token)) throw notFound("Pratinjau impor tidak ditemukan.");
  return token;
}

const STATUS_LABEL = { baru: "baru", diperbarui: "diperbarui", sama: "tidak berubah" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, IMPORT_ROLES);
  const token = tokenParam(params.token);
  const committed = await committedImport(user, token);
  if (committed) {
    // Kader imports link to printing the activation codes of the posyandu in the file.
    const touched = committed.kind === "kader" ? await posyanduInScopeByIds(user.scopeCode, committed.posyanduIds) : [];
    return {
      state: "saved" as const,
      committed: { ...committed, kindLabel: IMPORT_KIND_LABEL[committed.kind] },
      touched,
    };
  }
  const s = await readStaged(user, token);
  return {
    state: "preview" as const,
    expired: isExpired(s),
    kind: s.kind,
    kindLabel: IMPORT_KIND_LABEL[s.kind],
    fileName: s.fileName,
    fileKb: Math.max(1, Math.round(s.fileBytes / 1024)),
    encoding: s.encoding,
    dataRows: s.dataRows,
    skipped: s.skipped,
    headerLine: s.headerLine ?? 1,
    ignoredColumns: s.ignoredColumns,
    counts: s.counts,
    errors: s.errors,
    sample: s.sample.map((r) => ({ ...r, statusLabel: STATUS_LABEL[r.status] })),
    expiresAt: s.expiresAt,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, IMPORT_ROLES);
  const token = tokenParam(params.token);
  await readForm(request);
  const result = await commitImport(user, token);
  if (!result.ok) return data({ message: result.message, errors: result.errors }, { status: 400 });
  throw redirect(`/admin/impor/pratinjau/${token}`);
}

const fmtTime = new Intl.DateTimeFormat("id-ID", { timeStyle: "short", timeZone: REPORTING_ZONE.iana });
const n = (x: number) => x.toLocaleString("id-ID");

export default function Pratinjau() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (d.state === "saved") {
    const c = d.committed;
    return (
      <section className="mx-auto max-w-2xl space-y-4">
        <h1>Impor {c.kindLabel.toLowerCase()} tersimpan</h1>
        <p className="alert-ok" role="status">
          {c.fileName}: {n(c.rows)} baris — {n(c.inserted)} baru, {n(c.updated)} diperbarui, {n(c.unchanged)} tidak
          berubah.
        </p>
        {c.kind === "kader" ? (
          <div className="card space-y-2 text-sm">
            <h2>Cetak kode aktivasi</h2>
            <p>
              Kader baru masuk pertama kali dengan kode aktivasi. Cetak kodenya untuk setiap posyandu dalam berkas ini:
            </p>
            <ul className="divide-y divide-stone-100" data-testid="activation-links">
              {d.touched.map((p) => (
                <li key={p.id} className="flex items-center justify-between gap-2 py-1">
                  <span>
                    {p.name} <span className="text-stone-500">· {p.desaName}</span>
                  </span>
                  <Link to={`/posyandu/${p.id}/kode-aktivasi`} className="shrink-0">
                    Cetak kode
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <p className="flex flex-wrap gap-3">
          <Link to={c.kind === "kader" ? "/admin/pengguna?peran=kader" : "/posyandu"} className="btn">
            {c.kind === "kader" ? "Lihat daftar kader" : "Lihat daftar posyandu"}
          </Link>
          <Link to="/admin/impor" className="btn-secondary">
            Impor lagi
          </Link>
        </p>
      </section>
    );
  }
  const canSave = !d.expired && d.counts.error === 0;
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to="/admin/impor">‹ Impor data</Link>
      </p>
      <div>
        <h1>Pratinjau impor {d.kindLabel.toLowerCase()}</h1>
        <p className="text-sm break-words text-stone-600">
          {d.fileName} · {n(d.fileKb)} KB · {n(d.dataRows)} baris data
          {d.headerLine > 1 ? ` · judul kolom di baris ${d.headerLine}` : ""}
          {d.skipped ? ` · ${n(d.skipped)} baris kosong atau contoh dilewati` : ""}
          {d.encoding === "windows-1252" ? " · dibaca sebagai Windows-1252 (bukan UTF-8)" : ""}
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {(
          [
            ["Baru", d.counts.baru, "border-emerald-200 bg-emerald-50"],
            ["Diperbarui", d.counts.diperbarui, "border-sky-200 bg-sky-50"],
            ["Tidak berubah", d.counts.sama, "border-stone-200 bg-white"],
            ["Salah", d.counts.error, d.counts.error ? "border-red-200 bg-red-50" : "border-stone-200 bg-white"],
          ] as const
        ).map(([label, value, cls]) => (
          <div key={label} className={`rounded-lg border p-3 ${cls}`}>
            <dt className="text-xs text-stone-600">{label}</dt>
            <dd className="text-xl font-bold" data-count={label}>
              {n(value)}
            </dd>
          </div>
        ))}
      </dl>
      {d.ignoredColumns.length ? (
        <p className="text-sm text-stone-600">Kolom yang tidak dikenal dan diabaikan: {d.ignoredColumns.join(", ")}.</p>
      ) : null}
      {a ? (
        <div className="alert-error" role="alert">
          <p className="font-semibold">{a.message}</p>
          {a.errors.length ? (
            <ul className="mt-1 list-disc pl-5 text-sm">
              {a.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {d.counts.error ? (
        <div className="alert-error" role="alert">
          <p className="font-semibold">
            {n(d.counts.error)} baris salah. Perbaiki berkas lalu unggah ulang; tidak ada data yang disimpan.
          </p>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm break-words">
            {d.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          {d.counts.error > SHOWN_ERRORS ? (
            <p className="mt-2 text-sm">
              Menampilkan {SHOWN_ERRORS} kesalahan pertama dari {n(d.counts.error)}.
            </p>
          ) : null}
        </div>
      ) : null}
      {d.expired ? (
        <p className="alert-error">Pratinjau ini sudah kedaluwarsa (lebih dari 1 jam). Unggah ulang berkas.</p>
      ) : null}
      {canSave ? (
        <Form method="post" className="card space-y-2">
          <p className="text-sm">
            {d.counts.baru + d.counts.diperbarui === 0
              ? "Semua baris sudah sama dengan data tersimpan; menyimpan hanya mencatat impor ini."
              : `${n(d.counts.baru)} ${d.kindLabel.toLowerCase()} baru dan ${n(d.counts.diperbarui)} perubahan akan disimpan sekaligus.`}{" "}
            Pratinjau berlaku sampai pukul {fmtTime.format(new Date(d.expiresAt))} WITA.
          </p>
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Menyimpan…" : "Simpan"}
          </button>
        </Form>
      ) : (
        <p>
          <Link to="/admin/impor" className="btn">
            Unggah ulang berkas
          </Link>
        </p>
      )}
      {d.sample.length ? (
        <ScrollRegion label="Contoh perubahan">
          <h2>Contoh perubahan</h2>
          <table className="table mt-2">
            <thead>
              <tr>
                <th>Baris</th>
                <th>Status</th>
                <th>Nama</th>
                <th>Keterangan</th>
              </tr>
            </thead>
            <tbody>
              {d.sample.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.statusLabel}</td>
                  <td>{r.name}</td>
                  <td className="text-xs">{r.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
