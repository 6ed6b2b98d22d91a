import { posyanduIdParam } from "~/features/regions/posyandu.server";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  activationOverview,
  issueCodesForPosyandu,
  newIssueNonce,
  nonceValid,
} from "~/features/accounts/activation.server";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { env } from "~/env.server";
import { formatCode } from "~/features/accounts/activation-code";
import { formatPhone } from "~/lib/phone";
import { ROLES, SPM_LABEL } from "~/lib/roles";
import { readForm } from "~/lib/http";
import { publicOrigin } from "~/lib/url";
import { REPORTING_ZONE } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Kode aktivasi ${data?.posyandu.name ?? ""} · Akademi Posyandu` },
];

const MANAGERS = rolesFor("users-manage");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const o = await activationOverview(user, posyanduIdParam(params));
  return {
    posyandu: {
      id: o.posyandu.id,
      name: o.posyandu.name,
      desaName: o.posyandu.desaName,
      desaCode: o.posyandu.desaCode,
    },
    pending: o.pending,
    activated: o.activated,
    nonce: newIssueNonce(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const id = posyanduIdParam(params);
  const form = await readForm(request);
  const nonce = form.get("nonce");
  if (!nonceValid(nonce)) {
    return data(
      {
        ok: false as const,
        message: "Halaman ini sudah terlalu lama dibuka. Muat ulang halaman lalu tekan tombolnya lagi.",
      },
      { status: 400 },
    );
  }
  const result = await issueCodesForPosyandu(user, id, nonce);
  const origin = publicOrigin(env().APP_URL);
  return {
    ok: true as const,
    url: `${origin.replace(/\/$/, "")}/aktivasi`,
    expiresAt: result.expiresAt.toISOString(),
    codes: result.codes.map((c) => ({
      userId: c.userId,
      name: c.name,
      phone: formatPhone(c.phone),
      bidang: c.spmBidang ? SPM_LABEL[c.spmBidang] : "",
      code: formatCode(c.code),
    })),
  };
}

const fmtDate = new Intl.DateTimeFormat("id-ID", { dateStyle: "long", timeZone: REPORTING_ZONE.iana });

const PRINT_CSS = `@media print {
  header, nav, footer, .no-print { display: none !important; }
  body { background: #fff; }
  .slip { break-inside: avoid; }
}`;

export default function KodeAktivasi() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const p = d.posyandu;
  return (
    <section className="space-y-4">
      <style>{PRINT_CSS}</style>
      <p className="no-print text-sm">
        <Link to={`/posyandu/${p.id}`}>‹ {p.name}</Link>
      </p>
      <div>
        <h1>Kode aktivasi · {p.name}</h1>
        <p className="text-sm text-stone-600">
          {p.desaName} ({p.desaCode})
        </p>
      </div>
      {a?.ok ? (
        <>
          <div className="no-print space-y-2 text-sm">
            {a.codes.length ? (
              <p className="alert-ok" role="status">
                {a.codes.length} kode aktivasi dibuat, berlaku sampai {fmtDate.format(new Date(a.expiresAt))}. Cetak
                halaman ini (menu Cetak di peramban), gunting per kotak dan serahkan kepada masing-masing kader. Kode
                yang dicetak sebelumnya untuk kader ini tidak berlaku lagi.
              </p>
            ) : (
              <p className="alert-ok" role="status">
                Semua kader aktif di posyandu ini sudah punya kata sandi. Tidak ada kode yang dibuat.
              </p>
            )}
          </div>
          <ul className="grid gap-3 sm:grid-cols-2" aria-label="Daftar kode aktivasi">
            {a.codes.map((c) => (
              <li key={c.userId} className="slip rounded-lg border-2 border-dashed border-stone-400 bg-white p-3">
                <p className="text-xs text-stone-500">Akademi Posyandu · {p.name}</p>
                <p className="font-semibold">{c.name}</p>
                <p className="text-sm">
                  {c.phone}
                  {c.bidang ? ` · ${c.bidang}` : ""}
                </p>
                <p className="my-2 font-mono text-2xl font-bold tracking-widest" data-code-for={c.phone}>
                  {c.code}
                </p>
                <p className="text-xs">
                  Buka <strong>{a.url}</strong>, isi nomor HP, kode ini dan kata sandi baru Anda. Berlaku sampai{" "}
                  {fmtDate.format(new Date(a.expiresAt))}. Kode hanya bisa dipakai sekali.
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div className="card space-y-3">
          {a && !a.ok ? (
            <p className="alert-error" role="alert">
              {a.message}
            </p>
          ) : null}
          <p className="text-sm">
            Kode aktivasi dipakai kader untuk masuk pertama kali di halaman <strong>/aktivasi</strong>, tanpa email.
            Setiap kali tombol di bawah ditekan, kode baru dibuat dan kode lama tidak berlaku lagi.
          </p>
          {d.pending.length ? (
            <p className="text-sm font-semibold">
              {d.pending.length} kader aktif belum punya kata sandi
              {d.activated ? ` (${d.activated} kader lain sudah punya)` : ""}:
            </p>
          ) : (
            <p className="text-sm font-semibold">
              Semua kader aktif di posyandu ini ({d.activated}) sudah punya kata sandi. Untuk kader yang lupa kata
              sandi, buka akunnya di halaman Pengguna lalu pilih &ldquo;Atur ulang kata sandi&rdquo;.
            </p>
          )}
          {d.pending.length ? (
            <>
              <p className="text-sm text-stone-600">{d.pending.join(", ")}</p>
              <Form method="post">
                <input type="hidden" name="nonce" value={d.nonce} />
                <button type="submit" className="btn">
                  Buat dan cetak kode aktivasi
                </button>
              </Form>
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
