import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import {
  CERTIFICATE_REVOKERS,
  CERTIFICATE_VIEWERS,
  certificateInScope,
  revokeCertificate,
  revokeSchema,
  stateOf,
  STATE_LABEL,
} from "~/features/certification/certificates.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { tanggalWita } from "~/lib/timezone";
import { readFormObject } from "~/lib/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Sertifikat ${data?.code ?? ""} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, CERTIFICATE_VIEWERS);
  const c = await certificateInScope(user, params.code);
  if (params.code !== c.code) throw redirect(`/admin/sertifikat/${c.code}`);
  const state = stateOf(c);
  return {
    code: c.code,
    userId: c.userId,
    name: c.payload.name,
    currentName: c.kaderName,
    posyandu: c.payload.posyandu,
    desa: c.payload.desa,
    programme: c.payload.programme,
    issuer: c.payload.issuer,
    cycle: c.cycle,
    issued: tanggalWita(c.issuedAt),
    expires: tanggalWita(c.expiresAt),
    state,
    stateLabel: STATE_LABEL[state],
    revokedAt: c.revokedAt ? tanggalWita(c.revokedAt) : null,
    revokedReason: c.revokedReason,
    revokedBy: c.revokedByName,
    canRevoke: (CERTIFICATE_REVOKERS as readonly string[]).includes(user.role) && !c.revokedAt,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, CERTIFICATE_REVOKERS);
  const cert = await certificateInScope(user, params.code); // 404 / 403 before anything else
  const form = await readFormObject(request);
  const parsed = revokeSchema.safeParse(form);
  if (!parsed.success) {
    return data(
      { errors: { alasan: parsed.error.issues[0]?.message }, values: { alasan: String(form.alasan ?? "") } },
      { status: 400 },
    );
  }
  await revokeCertificate(user, cert.code, parsed.data.alasan);
  throw redirect(`/admin/sertifikat/${cert.code}?dicabut=1`);
}

const BOX: Record<string, string> = {
  berlaku: "border-emerald-300 bg-emerald-50 text-emerald-900",
  kedaluwarsa: "border-amber-300 bg-amber-50 text-amber-900",
  dicabut: "border-red-300 bg-red-50 text-red-900",
};

export default function SertifikatDetail() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <p className="text-sm">
        <Link to="/admin/sertifikat">‹ Sertifikat</Link>
      </p>
      <h1>Sertifikat {d.code}</h1>
      {search.get("dicabut") ? (
        <p className="alert-ok">Sertifikat dicabut. Halaman verifikasi publik kini menyatakan DICABUT.</p>
      ) : null}
      <div className={`rounded-lg border-2 p-3 ${BOX[d.state]}`} role="status">
        <p className="font-bold">{d.stateLabel}</p>
        {d.revokedAt ? (
          <p className="mt-1 text-sm">
            Dicabut {d.revokedAt}
            {d.revokedBy ? ` oleh ${d.revokedBy}` : ""}. Alasan: {d.revokedReason}
          </p>
        ) : null}
      </div>
      <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-500">Nama</dt>
        <dd>
          <Link to={`/admin/pengguna/${d.userId}`}>{d.name}</Link>
          {d.currentName !== d.name ? (
            <span className="block text-xs text-stone-500">nama akun sekarang: {d.currentName}</span>
          ) : null}
        </dd>
        <dt className="text-stone-500">Posyandu</dt>
        <dd>{d.posyandu || "—"}</dd>
        <dt className="text-stone-500">Wilayah</dt>
        <dd>{d.desa || "—"}</dd>
        <dt className="text-stone-500">Program</dt>
        <dd>
          {d.programme} (siklus {d.cycle})
        </dd>
        <dt className="text-stone-500">Diterbitkan</dt>
        <dd>{d.issued}</dd>
        <dt className="text-stone-500">Berlaku sampai</dt>
        <dd>{d.expires}</dd>
        <dt className="text-stone-500">Penerbit</dt>
        <dd>{d.issuer}</dd>
      </dl>
      <div className="flex flex-col gap-2">
        {d.state !== "dicabut" ? (
          <a href={`/sertifikat/${d.code}.pdf`} className="btn-secondary w-full" download>
            Unduh PDF
          </a>
        ) : null}
        <Link to={`/verifikasi/${d.code}`} className="btn-secondary w-full">
          Halaman verifikasi publik
        </Link>
      </div>
      {d.canRevoke ? (
        <Form method="post" className="card space-y-3">
          <h2>Cabut sertifikat</h2>
          <p className="text-sm text-stone-700">
            Pencabutan tidak dapat dibatalkan. Alasan akan tampil di halaman verifikasi publik: jangan menulis data
            pribadi.
          </p>
          <div>
            <label htmlFor="f-alasan">Alasan pencabutan</label>
            <textarea
              id="f-alasan"
              name="alasan"
              rows={3}
              maxLength={500}
              required
              defaultValue={a?.values.alasan ?? ""}
              aria-invalid={a?.errors.alasan ? true : undefined}
              aria-describedby={a?.errors.alasan ? "f-alasan-err" : undefined}
              className="w-full"
            />
            {a?.errors.alasan ? (
              <p id="f-alasan-err" className="field-error">
                {a.errors.alasan}
              </p>
            ) : null}
          </div>
          <button type="submit" className="btn w-full bg-red-700">
            Cabut sertifikat
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
