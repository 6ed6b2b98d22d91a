import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { VerificationResult } from "~/features/certification/verification-result";
import { assertSameOrigin, readForm } from "~/lib/http";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseCertificateCode } from "~/features/certification/code";
import { RateLimited, verify, verifyCredential } from "~/features/certification/verification.server";

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
      return data(
        { kode, error: "Terlalu banyak pemeriksaan dari jaringan ini. Coba lagi beberapa menit lagi." },
        { status: 429 },
      );
    }
    throw e;
  }
  const error =
    parsed.reason === "check"
      ? "Kode tidak valid: kemungkinan ada huruf atau angka yang salah ketik. Periksa kembali."
      : "Kode sertifikat berbentuk AP-XXXX-XXXX (8 huruf/angka setelah AP).";
  return data({ kode, error }, { status: 400 });
}

const MAX_CREDENTIAL_BYTES = 64 * 1024;

/** An Open Badges 3.0 credential, uploaded as a file or pasted as text. */
export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_CREDENTIAL_BYTES * 2) {
    return data(
      { result: null, error: "Berkas terlalu besar: kredensial Open Badges berukuran beberapa KB." },
      { status: 413 },
    );
  }
  const form = await readForm(request);
  const file = form.get("berkas");
  let token = String(form.get("kredensial") ?? "").trim();
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > MAX_CREDENTIAL_BYTES)
      return data(
        { result: null, error: "Berkas terlalu besar: kredensial Open Badges berukuran beberapa KB." },
        { status: 400 },
      );
    token = (await file.text()).trim();
  }
  if (!token)
    return data({ result: null, error: "Unggah berkas kredensial (.jwt) atau tempel isinya." }, { status: 400 });
  try {
    const result = await verifyCredential(token, context.clientIp);
    const status = result.state === "format_salah" ? 400 : result.state === "tidak_ditemukan" ? 404 : 200;
    return data({ result, error: null }, { status, headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (e instanceof RateLimited)
      return data(
        { result: null, error: "Terlalu banyak pemeriksaan dari jaringan ini. Coba lagi beberapa menit lagi." },
        { status: 429 },
      );
    throw e;
  }
}

export default function VerifikasiForm() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <h1>Verifikasi sertifikat</h1>
      <p className="text-sm text-stone-700">
        Pindai kode QR pada sertifikat, atau ketik kodenya di sini (contoh: AP-7K3Q-9XWD). Huruf besar/kecil, spasi, dan
        tanda hubung tidak berpengaruh.
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
      {a?.result ? <VerificationResult d={a.result} /> : null}
      <Form method="post" encType="multipart/form-data" className="card space-y-3">
        <h2 className="text-base">Kredensial digital (Open Badges 3.0)</h2>
        <p className="text-xs text-stone-600">
          Unggah berkas .jwt yang diunduh kader dari halaman sertifikatnya, atau tempel isinya. Kunci publik untuk
          memeriksa sendiri: <a href="/verifikasi/kunci">/verifikasi/kunci</a>.
        </p>
        <div>
          <label htmlFor="f-berkas">Berkas kredensial</label>
          <input id="f-berkas" name="berkas" type="file" accept=".jwt,application/jwt,text/plain" />
        </div>
        <div>
          <label htmlFor="f-kredensial">atau tempel kredensial</label>
          <textarea id="f-kredensial" name="kredensial" rows={3} className="font-mono text-xs" />
        </div>
        {a?.error ? <p className="field-error">{a.error}</p> : null}
        <button type="submit" className="btn-secondary w-full">
          Periksa kredensial
        </button>
      </Form>
      <p className="text-xs text-stone-600">
        Halaman ini hanya menampilkan nama, program, tanggal terbit, masa berlaku, dan penerbit sertifikat. Tidak perlu
        masuk akun.
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
