import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseCertificateCode } from "~/features/certification/code";
import { RateLimited, verify } from "~/features/certification/verification.server";

export const meta: MetaFunction = () => [
  { title: "Verifikasi sertifikat · Akademi Posyandu" },
  { name: "description", content: "Periksa keaslian sertifikat kader Posyandu dengan kode AP-XXXX-XXXX." },
];

/** A typed code: a valid one goes to its page; a mistyped one is checked (and logged) and explained here. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const kode = (new URL(request.url).searchParams.get("kode") ?? "").trim().slice(0, 60);
  if (!kode) return { kode: "", error: null as string | null };
  const parsed = parseCertificateCode(kode);
  if (parsed.ok) throw redirect(`/verifikasi/${parsed.code}`);
  try {
    await verify(kode, null, context.clientIp, undefined, request);
  } catch (e) {
    if (e instanceof RateLimited) {
      return data({ kode, error: "Terlalu banyak pemeriksaan dari jaringan ini. Coba lagi beberapa menit lagi." }, { status: 429 });
    }
    throw e;
  }
  const error =
    parsed.reason === "check"
      ? "Kode tidak valid: kemungkinan ada huruf atau angka yang salah ketik. Periksa kembali."
      : "Kode sertifikat berbentuk AP-XXXX-XXXX (8 huruf/angka setelah AP).";
  return data({ kode, error }, { status: 400 });
}

export default function VerifikasiForm() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <h1>Verifikasi sertifikat</h1>
      <p className="text-sm text-stone-700">
        Pindai kode QR pada sertifikat, atau ketik kodenya di sini (contoh: AP-7K3Q-9XWD). Huruf besar/kecil, spasi, dan tanda hubung tidak
        berpengaruh.
      </p>
      <Form method="get" className="card space-y-3">
        <div>
          <label htmlFor="f-kode">Kode sertifikat</label>
          <input
            id="f-kode"
            name="kode"
            defaultValue={d.kode}
            autoComplete="off"
            autoCapitalize="characters"
            placeholder="AP-XXXX-XXXX"
            required
            aria-invalid={d.error ? true : undefined}
            aria-describedby={d.error ? "f-kode-err" : undefined}
          />
          {d.error ? (
            <p id="f-kode-err" className="field-error">
              {d.error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn w-full">
          Periksa
        </button>
      </Form>
      <p className="text-xs text-stone-600">
        Halaman ini hanya menampilkan nama, program, tanggal terbit, masa berlaku, dan penerbit sertifikat. Tidak perlu masuk akun.
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
