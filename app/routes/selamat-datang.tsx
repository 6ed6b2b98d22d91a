import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { content } from "~/features/learning/content.server";

export const meta: MetaFunction = () => [{ title: "Selamat datang · Akademi Posyandu" }];

/** Where activation ends: the three steps to a certificate, then the first module. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const p = content().defaultProgramme;
  return {
    name: user.name,
    kader: user.role === "kader",
    modules: p.requiredModules.length,
    programme: p.title,
    first: p.requiredModules[0],
  };
}

export default function SelamatDatang() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1>Selamat datang, {d.name}</h1>
      <p>
        Akun Anda sudah aktif.{" "}
        {d.kader ? `Tiga langkah menuju ${d.programme}:` : "Anda dapat mulai memakai Akademi Posyandu."}
      </p>
      {d.kader ? (
        <ol className="space-y-3">
          <li className="card">
            <p className="font-semibold">1. Baca {d.modules} modul wajib</p>
            <p className="text-sm text-stone-700">
              Bacalah per bagian dari ponsel, kapan saja. Modul bisa disimpan untuk dibaca tanpa sinyal.
            </p>
          </li>
          <li className="card">
            <p className="font-semibold">2. Lulus kuis setiap modul</p>
            <p className="text-sm text-stone-700">
              Setelah membaca, kerjakan kuisnya. Jika belum lulus, pelajari lagi lalu coba kembali.
            </p>
          </li>
          <li className="card">
            <p className="font-semibold">3. Ikuti satu pelatihan</p>
            <p className="text-sm text-stone-700">
              Hadiri pelatihan dari Tim Pembina di wilayah Anda. Sertifikat terbit otomatis setelah ketiga langkah
              selesai.
            </p>
          </li>
        </ol>
      ) : null}
      {d.kader ? (
        <Link to={`/modul/${d.first}`} className="btn w-full">
          Mulai modul pertama
        </Link>
      ) : null}
      <Link to="/" className="btn-secondary w-full">
        Ke Beranda
      </Link>
    </section>
  );
}
