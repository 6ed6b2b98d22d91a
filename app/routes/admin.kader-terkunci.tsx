import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LOCKOUT_REPORT_ROLES, lockedOutReport } from "~/features/certification/kader-progress.server";
import { tanggalWita } from "~/features/certification/rule";

export const meta: MetaFunction = () => [{ title: "Kader terkunci kuis · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, LOCKOUT_REPORT_ROLES);
  const report = await lockedOutReport(user.scopeCode);
  return {
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
      <h1>Kader terkunci kuis</h1>
      <p className="text-sm text-stone-700">
        Kader aktif yang sudah memakai semua kesempatan sebuah kuis wajib tanpa lulus. Tim Pembina desa atau kecamatan
        dapat membuka kesempatan baru di halaman kemajuan kader. Jumlah: {d.total}.
      </p>
      {d.kecamatan.map((k) => (
        <div key={k.code} className="card overflow-x-auto" data-testid={`kec-${k.code}`}>
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
              </tr>
            </thead>
            <tbody>
              {k.rows.map((r) => (
                <tr key={`${r.userId}-${r.slug}`}>
                  <td>
                    <Link to={`/kader/${r.userId}#kuis-${r.slug}`}>{r.name}</Link>
                  </td>
                  <td>{r.title}</td>
                  <td>{r.used}</td>
                  <td>{r.lastAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {d.total === 0 ? <p className="card text-sm">Tidak ada kader yang terkunci di wilayah Anda.</p> : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
