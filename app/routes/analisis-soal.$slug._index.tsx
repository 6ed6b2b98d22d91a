import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { bankAnalysis, requireItemAnalysis } from "~/features/reporting/item-analysis.server";
import { formatRatio, formatShare, ITEM_FLAG_LABEL, MIN_RESPONSES } from "~/features/reporting/item-analysis";
import { ItemAnalysisFilter } from "~/features/reporting/item-analysis-filter";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Analisis soal ${data?.analysis.title ?? ""} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { q } = await requireItemAnalysis(request);
  const analysis = await bankAnalysis(request, q, params.slug ?? "");
  return {
    region: { code: q.region.code },
    lineage: q.lineage,
    children: q.children,
    from: q.from,
    to: q.to,
    firstOnly: q.firstOnly,
    search: q.search,
    analysis,
    flagLabel: ITEM_FLAG_LABEL,
    minResponses: MIN_RESPONSES,
  };
}

export default function AnalisisSoalKuis() {
  const d = useLoaderData<typeof loader>();
  const a = d.analysis;
  return (
    <section className="space-y-4">
      <Link to={`/analisis-soal?${d.search}`} className="kembali">
        ‹ Semua kuis
      </Link>
      <h1>Analisis soal: {a.title}</h1>
      <ItemAnalysisFilter path={`/analisis-soal/${a.slug}`} {...d} />
      <p className="text-sm">
        {a.attempts} percobaan ({a.draw} soal per percobaan).{" "}
        <a href={`/analisis-soal/${a.slug}.csv?${d.search}`} download>
          Unduh CSV
        </a>
      </p>
      <ScrollRegion label="Bagian modul yang paling sering salah">
        <h2 className="text-base">Bagian modul yang paling sering salah</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Bagian modul</th>
              <th>Soal</th>
              <th>Jawaban</th>
              <th>% salah</th>
            </tr>
          </thead>
          <tbody>
            {a.sections.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/modul/${a.slug}#${s.id}`}>{s.title}</Link>
                </td>
                <td>{s.items}</td>
                <td>{s.n}</td>
                <td>{s.missed === null ? `kurang dari ${d.minResponses} jawaban` : formatShare(s.missed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h2 className="text-base">Setiap soal</h2>
      {a.items.length === 0 ? <p className="card text-sm">Belum ada percobaan pada wilayah dan periode ini.</p> : null}
      <ol className="space-y-3">
        {a.items.map((it) => (
          <li key={it.id} className="card space-y-2" data-testid={`soal-${it.id}`}>
            <p className="font-semibold">
              {it.id}. {it.prompt ?? "(soal lama, tidak lagi di bank)"}
            </p>
            <p className="text-sm text-stone-700">
              Bagian: {it.sectionTitle} · {it.n} jawaban · benar {formatShare(it.facility)} · daya beda{" "}
              {formatRatio(it.discrimination)}
            </p>
            {it.flags.length ? (
              <ul className="text-sm font-semibold text-red-800">
                {it.flags.map((f) => (
                  <li key={f}>⚑ {d.flagLabel[f]}</li>
                ))}
              </ul>
            ) : null}
            <table className="table text-sm">
              <thead>
                <tr>
                  <th>Pilihan</th>
                  <th>Dipilih</th>
                </tr>
              </thead>
              <tbody>
                {it.options.map((o) => (
                  <tr key={o.id}>
                    <td>
                      {o.text}
                      {o.isKey ? <strong className="ml-1 text-emerald-800">(kunci)</strong> : null}
                    </td>
                    <td>
                      {formatShare(o.rate)} ({o.chosen})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
