import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import {
  CERTIFICATE_VIEWERS,
  EXPIRY_WINDOW_DAYS,
  expiringInScope,
  type CertificateListItem,
} from "~/features/certification/certificates.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { daysUntil } from "~/features/certification/rule";
import { tanggalWita } from "~/lib/timezone";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Sertifikat segera kedaluwarsa · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, CERTIFICATE_VIEWERS);
  const now = new Date();
  const { expiring, expired } = await expiringInScope(user.scopeCode, now);
  const row = (c: CertificateListItem) => ({
    code: c.code,
    name: c.name,
    posyandu: c.posyandu,
    scopeCode: c.scopeCode,
    expires: tanggalWita(c.expiresAt),
    days: daysUntil(c.expiresAt, now),
  });
  return { scope: user.scopeCode, days: EXPIRY_WINDOW_DAYS, expiring: expiring.map(row), expired: expired.map(row) };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["expiring"][number];

function Table({ rows, past }: { rows: Row[]; past?: boolean }) {
  return (
    <ScrollRegion className="" label={past ? "Sertifikat yang sudah berakhir" : "Sertifikat yang akan berakhir"}>
      <table className="table">
        <thead>
          <tr>
            <th>Kader</th>
            <th>{past ? "Kedaluwarsa" : "Berlaku sampai"}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <td>
                <Link to={`/admin/sertifikat/${r.code}`}>{r.name}</Link>
                <span className="block text-xs text-stone-500">
                  {r.posyandu ?? "—"} · {r.scopeCode} · <span className="font-mono">{r.code}</span>
                </span>
              </td>
              <td className="whitespace-nowrap">
                {r.expires}
                <span className="block text-xs text-stone-500">
                  {past ? `${-r.days} hari lalu` : `${r.days} hari lagi`}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export default function Kedaluwarsa() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link to="/admin/sertifikat">‹ Sertifikat</Link>
      </p>
      <h1>Sertifikat segera kedaluwarsa</h1>
      <p className="text-sm text-stone-600">
        Sertifikat kader di wilayah {d.scope} yang habis masa berlakunya dalam {d.days} hari ke depan. Kader
        disertifikasi ulang dengan lulus lagi kuis setiap modul wajib. Tanggal dalam WITA.
      </p>
      <div className="card">
        <h2>
          Dalam {d.days} hari ({d.expiring.length})
        </h2>
        {d.expiring.length ? (
          <Table rows={d.expiring} />
        ) : (
          <p className="mt-1 text-sm">Tidak ada sertifikat yang akan kedaluwarsa.</p>
        )}
      </div>
      <div className="card">
        <h2>Sudah kedaluwarsa, belum sertifikasi ulang ({d.expired.length})</h2>
        <p className="text-xs text-stone-500">Kedaluwarsa dalam {d.days} hari terakhir.</p>
        {d.expired.length ? <Table rows={d.expired} past /> : <p className="mt-1 text-sm">Tidak ada.</p>}
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
