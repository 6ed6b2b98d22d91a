import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { canonicalPath, RateLimited, verify, type Verification } from "~/features/certification/verification.server";

export const meta: MetaFunction = () => [
  { title: "Verifikasi sertifikat · Akademi Posyandu" },
  // Names of kader must not end up in search engines.
  { name: "robots", content: "noindex, nofollow" },
];

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const raw = params.code ?? "";
  const signature = new URL(request.url).searchParams.get("s");
  const canonical = canonicalPath(raw, signature);
  if (canonical) throw redirect(canonical);
  let result: Verification;
  try {
    result = await verify(raw, signature, context.clientIp, undefined, request);
  } catch (e) {
    if (e instanceof RateLimited) {
      const minutes = Math.max(1, Math.ceil(e.retryAfterSeconds / 60));
      throw new Response(`Terlalu banyak pemeriksaan sertifikat dari jaringan ini. Coba lagi dalam ${minutes} menit.`, {
        status: 429,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(e.retryAfterSeconds), ...NO_STORE },
      });
    }
    throw e;
  }
  const status = result.state === "tidak_ditemukan" || result.state === "format_salah" ? 404 : 200;
  return data(result, { status, headers: NO_STORE });
}

const STYLE: Record<Verification["state"], { label: string; box: string }> = {
  berlaku: { label: "BERLAKU", box: "border-emerald-300 bg-emerald-50 text-emerald-900" },
  kedaluwarsa: { label: "KEDALUWARSA", box: "border-amber-300 bg-amber-50 text-amber-900" },
  dicabut: { label: "DICABUT", box: "border-red-300 bg-red-50 text-red-900" },
  tidak_ditemukan: { label: "TIDAK DITEMUKAN", box: "border-stone-300 bg-stone-100 text-stone-900" },
  format_salah: { label: "TIDAK DITEMUKAN", box: "border-stone-300 bg-stone-100 text-stone-900" },
  tanda_tangan_salah: { label: "TANDA TANGAN TIDAK VALID", box: "border-red-400 bg-red-100 text-red-900" },
};

const ICON: Record<Verification["state"], string> = {
  berlaku: "✓",
  kedaluwarsa: "⌛",
  dicabut: "✕",
  tidak_ditemukan: "?",
  format_salah: "?",
  tanda_tangan_salah: "⚠",
};

export default function Verifikasi() {
  const d = useLoaderData<typeof loader>();
  const style = STYLE[d.state];
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <h1>Verifikasi sertifikat</h1>
      <div className={`rounded-lg border-2 p-4 ${style.box}`} role="status" data-state={d.state}>
        <p className="flex items-center gap-2 text-xl font-bold tracking-wide">
          <span aria-hidden="true">{ICON[d.state]}</span> {style.label}
        </p>
        <p className="mt-1 text-sm">
          {d.state === "berlaku" ? "Sertifikat ini asli dan masih berlaku." : null}
          {d.state === "kedaluwarsa" ? `Sertifikat ini asli, tetapi masa berlakunya sudah habis pada ${d.certificate.expires}.` : null}
          {d.state === "dicabut" ? `Sertifikat ini sudah dicabut pada ${d.revokedAt} dan tidak berlaku lagi.` : null}
          {d.state === "tidak_ditemukan" ? `Tidak ada sertifikat dengan kode ${d.code}. Periksa kembali kode yang tercetak di sertifikat.` : null}
          {d.state === "format_salah"
            ? d.reason === "check"
              ? "Kode ini tidak valid: kemungkinan ada huruf atau angka yang salah ketik. Periksa kembali kode yang tercetak di sertifikat."
              : "Kode ini tidak sesuai format. Kode sertifikat berbentuk AP-XXXX-XXXX."
            : null}
          {d.state === "tanda_tangan_salah"
            ? "Tanda tangan elektronik pada kode QR tidak cocok dengan sertifikat yang kami terbitkan. Sertifikat ini mungkin dipalsukan atau diubah: jangan diterima, dan laporkan ke DPMD setempat."
            : null}
        </p>
        {d.state === "dicabut" && d.reason ? (
          <p className="mt-2 text-sm">
            <strong>Alasan pencabutan:</strong> {d.reason}
          </p>
        ) : null}
      </div>

      {"certificate" in d ? (
        <div className="card">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-stone-500">Nama</dt>
            <dd className="font-semibold">{d.certificate.name}</dd>
            <dt className="text-stone-500">Program</dt>
            <dd>{d.certificate.programme}</dd>
            <dt className="text-stone-500">Diterbitkan</dt>
            <dd>{d.certificate.issued}</dd>
            <dt className="text-stone-500">Berlaku sampai</dt>
            <dd>{d.certificate.expires}</dd>
            <dt className="text-stone-500">Penerbit</dt>
            <dd>{d.certificate.issuer}</dd>
            <dt className="text-stone-500">Kode</dt>
            <dd className="font-mono">{d.certificate.code}</dd>
          </dl>
          <p className="mt-3 text-xs text-stone-600">
            {d.signatureChecked
              ? "Tanda tangan elektronik pada kode QR cocok."
              : "Diperiksa berdasarkan kode saja. Pastikan nama dan tanggal di atas sama dengan yang tercetak di sertifikat."}{" "}
            Tanggal dalam WITA.
          </p>
        </div>
      ) : null}

      {d.state === "tidak_ditemukan" || d.state === "format_salah" ? (
        <Form method="get" action="/verifikasi" className="card space-y-3">
          <div>
            <label htmlFor="f-kode">Ketik ulang kode sertifikat</label>
            <input id="f-kode" name="kode" autoComplete="off" autoCapitalize="characters" placeholder="AP-XXXX-XXXX" required />
          </div>
          <button type="submit" className="btn w-full">
            Periksa
          </button>
        </Form>
      ) : (
        <p className="text-sm">
          <Link to="/verifikasi">Periksa sertifikat lain</Link>
        </p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
