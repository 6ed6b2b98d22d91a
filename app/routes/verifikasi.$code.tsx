import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { canonicalPath, RateLimited, verify, type Verification } from "~/features/certification/verification.server";
import { VerificationResult } from "~/features/certification/verification-result";

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
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          "Retry-After": String(e.retryAfterSeconds),
          ...NO_STORE,
        },
      });
    }
    throw e;
  }
  const status = result.state === "tidak_ditemukan" || result.state === "format_salah" ? 404 : 200;
  return data(result, { status, headers: NO_STORE });
}

export default function Verifikasi() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <h1>Verifikasi sertifikat</h1>
      <VerificationResult d={d} />
      {d.state === "tidak_ditemukan" || d.state === "format_salah" ? (
        <Form method="get" action="/verifikasi" className="card space-y-3">
          <div>
            <label htmlFor="f-kode">Ketik ulang kode sertifikat</label>
            <input
              id="f-kode"
              name="kode"
              autoComplete="off"
              autoCapitalize="characters"
              placeholder="AP-XXXX-XXXX"
              required
            />
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
