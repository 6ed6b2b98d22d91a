import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseDashboardQuery, requireDashboardRegion } from "~/features/reporting/dashboard.server";
import { notFound } from "~/lib/http";
import { parseIntId } from "~/lib/query";
import { SPM_LABEL } from "~/lib/roles";
import { getPosyanduInScope } from "~/features/regions/posyandu.server";
import { posyanduKader } from "~/features/reporting/reports.server";
import { onReplica } from "~/db.server";
import { formatDay } from "~/features/reporting/figures";
import { lockedKaderOfPosyandu } from "~/features/coaching/kader-progress.server";
import { LockedMark } from "~/features/coaching/locked-mark";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Kader ${data?.posyandu.name ?? ""} · Akademi Posyandu` },
];

const STATUS_LABEL = {
  bersertifikat: "Bersertifikat",
  kedaluwarsa: "Sertifikat kedaluwarsa",
  lulus_modul: "Lulus semua modul",
  hadir: "Hadir pelatihan",
  terdaftar: "Terdaftar pelatihan",
  belum: "Belum mulai",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, region, lineage } = await requireDashboardRegion(request, params.region);
  if (region.level !== "desa" || !/^\d{1,9}$/.test(params.id ?? "")) throw notFound("Posyandu tidak ditemukan.");
  const p = await getPosyanduInScope(user, parseIntId(params.id) ?? 0);
  if (p.desaCode !== region.code) throw notFound("Posyandu tidak ditemukan di desa ini.");
  const q = parseDashboardQuery(request);
  const [kader, locked] = await onReplica(request, () =>
    Promise.all([posyanduKader(p.id, q.filter), lockedKaderOfPosyandu(p.id, p.desaCode, q.filter.programmeId)]),
  );
  const search = new URL(request.url).search;
  return {
    posyandu: { id: p.id, name: p.name },
    lineage,
    search,
    kader: kader.map((k) => ({
      ...k,
      bidangLabel: k.bidang ? SPM_LABEL[k.bidang as keyof typeof SPM_LABEL] : "—",
      statusLabel: STATUS_LABEL[k.status],
      /** Quizzes whose attempts are all used without a pass (another round is granted on /kader/:id). */
      locked: locked.get(k.id) ?? [],
    })),
  };
}

export default function PosyanduKader() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-4">
      <nav aria-label="Jejak wilayah" className="text-sm">
        {d.lineage.map((l, i) => (
          <span key={l.code}>
            {i ? " › " : ""}
            <Link to={`/dasbor/${l.code}${d.search}`}>{l.name}</Link>
          </span>
        ))}
        {" › "}
        <strong>{d.posyandu.name}</strong>
      </nav>
      <h1>Kader {d.posyandu.name}</h1>
      <ScrollRegion label={`Kader ${d.posyandu.name}`}>
        <table className="table whitespace-nowrap">
          <thead>
            <tr>
              <th>Nama</th>
              <th>Bidang</th>
              <th>Modul lulus</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {d.kader.map((k) => (
              <tr key={k.id}>
                <td>
                  <Link to={`/kader/${k.id}`}>{k.name}</Link>
                  {k.locked.length ? <LockedMark kaderId={k.id} locked={k.locked} /> : null}
                </td>
                <td>{k.bidangLabel}</td>
                <td>
                  {k.modulesPassed} dari {k.modulesTotal}
                </td>
                <td>
                  {k.statusLabel}
                  {k.certExpires ? (
                    <span className="block text-xs text-stone-500">s.d. {formatDay(k.certExpires)}</span>
                  ) : null}
                </td>
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
