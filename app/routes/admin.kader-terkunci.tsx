import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole, requireScope } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PROGRESS_VIEWERS, lockedOutReport } from "~/features/coaching/kader-progress.server";
import { tanggalWita } from "~/lib/timezone";
import { getPosyanduInScope } from "~/features/regions/posyandu.server";
import { getRegion } from "~/features/regions/regions.server";
import { notFound } from "~/lib/http";
import { parseIntId } from "~/lib/query";
import { isRegionCode, regionTitle } from "~/lib/region";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Kader terkunci kuis · Akademi Posyandu" }];

/**
 * Kader locked out of a quiz in the user's scope (every pembina level, DPMD, admin), or in
 * a part of it: ?wilayah=<region code> (a region in her scope; 403 outside) or
 * ?posyandu=<id> (the dashboard's counts link here). Each row links to the grant on /kader/:id.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, PROGRESS_VIEWERS);
  const url = new URL(request.url);
  const wilayah = url.searchParams.get("wilayah");
  const posyanduParam = url.searchParams.get("posyandu");
  let scope = user.scopeCode;
  let place: string | null = null;
  let posyanduId: number | undefined;
  if (posyanduParam !== null) {
    const id = parseIntId(posyanduParam);
    if (!id) throw notFound("Posyandu tidak ditemukan.");
    const p = await getPosyanduInScope(user, id);
    scope = p.desaCode;
    posyanduId = p.id;
    place = `${p.name}, ${p.desaName}`;
  } else if (wilayah !== null && wilayah !== user.scopeCode) {
    if (!isRegionCode(wilayah)) throw notFound("Wilayah tidak ditemukan.");
    requireScope(user, wilayah);
    const region = await getRegion(wilayah);
    if (!region) throw notFound("Wilayah tidak ditemukan.");
    scope = region.code;
    place = regionTitle(region);
  }
  const report = await lockedOutReport(scope, new Date(), { posyanduId });
  return {
    place,
    total: report.total,
    kecamatan: report.kecamatan.map((k) => ({
      ...k,
      rows: k.rows.map((r) => ({ ...r, lastAt: tanggalWita(r.lastAt) })),
    })),
  };
}

export default function KaderTerkunci() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-4">
      <h1>Kader terkunci kuis{d.place ? `: ${d.place}` : ""}</h1>
      <p className="text-sm text-stone-700">
        Kader aktif yang sudah memakai semua kesempatan sebuah kuis wajib tanpa lulus. Buka halaman kemajuan kader
        (tautan "Beri kesempatan lagi") untuk membuka kesempatan baru dengan alasan. Jumlah: {d.total}.
      </p>
      {d.place ? (
        <p className="text-sm">
          <Link to="/admin/kader-terkunci">Semua kader terkunci di wilayah Anda ›</Link>
        </p>
      ) : null}
      {d.kecamatan.map((k) => (
        <ScrollRegion key={k.code} label={`Kader terkunci ${k.name}`} data-testid={`kec-${k.code}`}>
          <h2 className="text-base">
            Kecamatan {k.name} ({k.rows.length})
          </h2>
          <table className="table">
            <thead>
              <tr>
                <th>Kader</th>
                <th>Kuis</th>
                <th>Percobaan</th>
                <th>Terakhir</th>
                <th>Tindakan</th>
              </tr>
            </thead>
            <tbody>
              {k.rows.map((r) => (
                <tr key={`${r.userId}-${r.slug}`}>
                  <td>
                    <Link to={`/kader/${r.userId}`}>{r.name}</Link>
                  </td>
                  <td>{r.title}</td>
                  <td>{r.used}</td>
                  <td>{r.lastAt}</td>
                  <td>
                    <Link to={`/kader/${r.userId}#kuis-${r.slug}`}>Beri kesempatan lagi</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ))}
      {d.total === 0 ? <p className="card text-sm">Tidak ada kader yang terkunci di wilayah ini.</p> : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
