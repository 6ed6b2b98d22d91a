import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { content } from "~/features/catalogue/content.server";
import { ruleClosing, ruleIntro, ruleSteps } from "~/features/certification/rule-text";

export const meta: MetaFunction = () => [{ title: "Selamat datang · Akademi Posyandu" }];

/** Where activation ends: the programme's steps to a certificate (rule-text.ts), then the first module. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const p = content().defaultProgramme;
  return {
    name: user.name,
    kader: user.role === "kader",
    intro: ruleIntro(p),
    steps: ruleSteps(p).map((s) => ({ key: s.key, title: s.title, detail: s.detail })),
    closing: ruleClosing(p),
    first: p.requiredModules[0],
  };
}

export default function SelamatDatang() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1>Selamat datang, {d.name}</h1>
      <p>Akun Anda sudah aktif. {d.kader ? d.intro : "Anda dapat mulai memakai Akademi Posyandu."}</p>
      {d.kader ? (
        <>
          <ol className="space-y-3">
            {d.steps.map((s, i) => (
              <li key={s.key} className="card">
                <p className="font-semibold">
                  {i + 1}. {s.title}
                </p>
                <p className="text-sm text-stone-700">{s.detail}</p>
              </li>
            ))}
          </ol>
          <p className="text-sm">{d.closing}</p>
        </>
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
