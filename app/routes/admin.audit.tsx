import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { listAudit } from "~/features/accounts/audit-log.server";
import { Pager } from "~/components/pager";
import { PAGE_SIZE, parseListQuery } from "~/lib/query";
import { REPORTING_ZONE } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Audit · Akademi Posyandu" }];

const ACTION_LABEL: Record<string, string> = {
  "user.create": "membuat akun",
  "user.update": "mengubah akun",
  "user.deactivate": "menonaktifkan akun",
  "user.reactivate": "mengaktifkan kembali akun",
  "password.change": "mengganti kata sandi",
  "posyandu.create": "menambah posyandu",
  "posyandu.update": "mengubah posyandu",
  "regions.import": "mengimpor wilayah",
  "import.kader": "mengimpor daftar kader",
  "import.posyandu": "mengimpor daftar posyandu",
  "activation.issue": "mencetak kode aktivasi untuk",
  "password.reset": "mengatur ulang kata sandi",
  "user.activate": "mengaktifkan akun dengan kode aktivasi:",
  "certificate.revoke": "mencabut sertifikat",
  "workshop.create": "menjadwalkan kegiatan",
  "workshop.update": "mengubah kegiatan",
  "workshop.published": "mengumumkan kegiatan",
  "workshop.completed": "menandai selesai kegiatan",
  "workshop.cancelled": "membatalkan kegiatan",
};

/** A short summary of the detail, for entries whose detail matters at a glance. */
function summary(action: string, detail: Record<string, unknown> | null): string | null {
  if (!detail) return null;
  if (action.startsWith("import.")) {
    return `${String(detail.fileName ?? "")}: ${Number(detail.rows)} baris, ${Number(detail.inserted)} baru, ${Number(detail.updated)} diperbarui, ${Number(detail.unchanged)} tidak berubah`;
  }
  if (action === "activation.issue") return `${Number(detail.count)} kader`;
  if (action === "certificate.revoke") return `alasan: ${String(detail.reason ?? "")}`;
  if (action === "workshop.cancelled") return `alasan: ${String(detail.reason ?? "")}`;
  return null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, rolesFor("audit"));
  const query = parseListQuery(request);
  const { items, total } = await listAudit(user.scopeCode, {
    limit: PAGE_SIZE,
    offset: (query.halaman - 1) * PAGE_SIZE,
  });
  return {
    items: items.map(({ detail, ...i }) => ({
      ...i,
      at: i.at.toISOString(),
      label: ACTION_LABEL[i.action] ?? i.action,
      summary: summary(i.action, detail),
    })),
    total,
    page: query.halaman,
  };
}

const fmt = new Intl.DateTimeFormat("id-ID", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: REPORTING_ZONE.iana,
});

export default function Audit() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <section className="space-y-3">
      <h1>Catatan audit</h1>
      <p className="text-sm text-stone-600">
        Semua perubahan akun, posyandu, impor dan wilayah di wilayah Anda. Waktu dalam WITA.
      </p>
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white text-sm">
        {d.items.map((i) => (
          <li key={i.id} className="px-3 py-2">
            <span className="text-stone-500">{fmt.format(new Date(i.at))}</span> ·{" "}
            <strong>{i.actorName ?? "sistem"}</strong> {i.label}{" "}
            {i.entity === "user" && i.entityId ? (
              <Link to={`/admin/pengguna/${i.entityId}`}>{i.entityName ?? i.entityId}</Link>
            ) : null}
            {i.entity === "posyandu" && i.entityId ? (
              <Link to={`/posyandu/${i.entityId}`}>{i.entityName ?? `#${i.entityId}`}</Link>
            ) : null}
            {i.entity === "region" ? <span>{i.entityId}</span> : null}
            {i.entity === "certificate" && i.entityId ? (
              <Link to={`/admin/sertifikat/${i.entityId}`}>{i.entityId}</Link>
            ) : null}
            {i.entity === "workshop" && i.entityId ? <Link to={`/sesi/${i.entityId}`}>#{i.entityId}</Link> : null}
            {i.summary ? <span className="block text-xs text-stone-600">{i.summary}</span> : null}
          </li>
        ))}
      </ul>
      <Pager page={d.page} total={d.total} pageSize={PAGE_SIZE} search={search} />
    </section>
  );
}
