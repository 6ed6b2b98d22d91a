import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { GrafikBerat } from "~/features/catalogue/diagrams";
import { getSessionTest } from "~/features/learning/session-test.server";
import { optionLetter } from "~/features/learning/session-test";
import { rosterOr404 } from "~/features/workshops/measure-access.server";
import { KIND_LABEL } from "~/features/workshops/rules";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { formatRange, zoneForRegion } from "~/lib/timezone";

/**
 * The paper sheet of a session's test (issue 20), for participants without a phone: the same
 * items in the same order as on the phone, options lettered, a line for the name and the
 * phase. No answer key: the pembina types the sheets in at /sesi/:id/tes/isi, which grades them.
 */
export const handle = { bare: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Lembar tes: ${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await rosterOr404(user, workshopIdParam(params));
  const test = await getSessionTest(w.id);
  return {
    id: w.id,
    title: w.title,
    kind: KIND_LABEL[w.kind],
    when: formatRange(w.startsAt, w.endsAt, zoneForRegion(w.regionCode)),
    venue: w.venue,
    questions: (test?.questions ?? []).map((q) => ({
      id: q.id,
      // Banks of two modules may share an id: the slug tells the items apart.
      slug: q.slug,
      type: q.type,
      prompt: q.prompt,
      chart: q.chart ?? null,
      options: q.options.map((o, i) => ({ letter: optionLetter(q, i), text: o.text })),
    })),
  };
}

export default function TesCetak() {
  const d = useLoaderData<typeof loader>();
  return (
    <main className="cetak mx-auto max-w-[180mm] bg-white p-6 print:p-0">
      <p className="no-print mb-4 text-sm">
        <a href={`/sesi/${d.id}`}>‹ Kembali ke kegiatan</a> · Cetak halaman ini dari menu peramban (A4).
      </p>
      <header className="border-b border-stone-400 pb-2">
        <p className="text-xs uppercase tracking-wide text-stone-600">
          {d.kind} · {d.when} · {d.venue}
        </p>
        <h1 className="mt-1 text-xl">Lembar tes: {d.title}</h1>
        <p className="mt-2 text-sm">Nama: ........................................................</p>
        <p className="mt-1 text-sm">Tahap (lingkari): PRE-TEST / POST-TEST</p>
        <p className="mt-1 text-xs">
          Lingkari huruf jawaban Anda. Soal bertanda (pilih semua) boleh lebih dari satu jawaban. B = Benar, S = Salah.
        </p>
      </header>
      {d.questions.length ? (
        <ol className="mt-4 space-y-4">
          {d.questions.map((q, i) => (
            <li key={`${q.slug}-${q.id}`} className="break-inside-avoid">
              <p className="font-semibold">
                {i + 1}. {q.prompt}
                {q.type === "multiple" ? " (pilih semua yang benar)" : ""}
              </p>
              {q.chart ? <GrafikBerat {...q.chart} idSuffix={`${q.slug}-${q.id}`} /> : null}
              <ul className="mt-1 space-y-1">
                {q.options.map((o) => (
                  <li key={o.letter}>
                    <strong>{o.letter}.</strong> {o.text}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-4">Tes belum dibuat. Buat tes dari halaman kegiatan.</p>
      )}
    </main>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
