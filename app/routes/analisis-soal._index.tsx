import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { banksOverview, requireItemAnalysis } from "~/features/reporting/item-analysis.server";
import { formatShare } from "~/features/reporting/item-analysis";
import { ItemAnalysisFilter } from "~/features/reporting/item-analysis-filter";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Analisis soal · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { q } = await requireItemAnalysis(request);
  const banks = await banksOverview(request, q);
  return {
    region: { code: q.region.code },
    lineage: q.lineage,
    children: q.children,
    from: q.from,
    to: q.to,
    firstOnly: q.firstOnly,
    search: q.search,
    banks,
  };
}

export default function AnalisisSoal() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-4">
      <h1>Analisis soal</h1>
      <p className="text-sm text-stone-700">
        Seberapa baik setiap soal kuis membedakan kader yang sudah paham dari yang belum, dihitung dari percobaan kuis
        yang sudah dinilai: tingkat kemudahan (persen benar), daya beda (korelasi soal dengan nilai soal lainnya), dan
        pilihan yang dipilih. Pilih kuis untuk melihat setiap soal dan bagian modul yang paling sering salah.
      </p>
      <ItemAnalysisFilter path="/analisis-soal" {...d} />
      <ScrollRegion label="Analisis soal per kuis">
        <table className="table">
          <thead>
            <tr>
              <th>Kuis</th>
              <th>Percobaan</th>
              <th>% benar</th>
              <th>Soal bertanda</th>
              <th>Bagian paling sering salah</th>
            </tr>
          </thead>
          <tbody>
            {d.banks.map((b) => (
              <tr key={b.slug}>
                <td>
                  <Link to={`/analisis-soal/${b.slug}?${d.search}`}>{b.title}</Link>
                </td>
                <td>{b.attempts}</td>
                <td>{formatShare(b.facility)}</td>
                <td>
                  {b.flagged} dari {b.items}
                </td>
                <td>{b.weakest ? `${b.weakest.title} (${formatShare(b.weakest.missed)} salah)` : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
