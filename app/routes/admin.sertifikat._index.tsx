import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { CERTIFICATE_VIEWERS, listInScope, stateOf, STATE_LABEL } from "~/features/certification/certificates.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { tanggalWita } from "~/lib/timezone";
import { PAGE_SIZE, parseListQuery } from "~/lib/query";

export const meta: MetaFunction = () => [{ title: "Sertifikat · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, CERTIFICATE_VIEWERS);
  const query = parseListQuery(request);
  const now = new Date();
  const { items, total } = await listInScope(user.scopeCode, {
    q: query.q,
    limit: PAGE_SIZE,
    offset: (query.halaman - 1) * PAGE_SIZE,
  });
  return {
    q: query.q ?? "",
    page: query.halaman,
    total,
    items: items.map((c) => ({
      code: c.code,
      name: c.name,
      posyandu: c.posyandu,
      scopeCode: c.scopeCode,
      issued: tanggalWita(c.issuedAt),
      expires: tanggalWita(c.expiresAt),
      state: stateOf(c, now),
      stateLabel: STATE_LABEL[stateOf(c, now)],
    })),
  };
}

const BADGE: Record<string, string> = {
  berlaku: "bg-emerald-100 text-emerald-900",
  kedaluwarsa: "bg-amber-100 text-amber-900",
  dicabut: "bg-red-100 text-red-900",
};

export default function SertifikatList() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <section className="space-y-4">
      <h1>Sertifikat kader</h1>
      <p className="text-sm">
        <Link to="/sertifikat/kedaluwarsa">Sertifikat yang segera kedaluwarsa ›</Link>
        {" · "}
        <Link to="/admin/kader-terkunci">Kader terkunci kuis ›</Link>
        {" · "}
        <Link to="/admin/penandatangan">Penandatangan sertifikat ›</Link>
      </p>
      <Form method="get" className="flex gap-2">
        <label htmlFor="f-q" className="sr-only">
          Cari nama atau kode
        </label>
        <input
          id="f-q"
          name="q"
          defaultValue={d.q}
          placeholder="Nama kader atau kode AP-…"
          className="min-w-0 flex-1"
        />
        <button type="submit" className="btn">
          Cari
        </button>
      </Form>
      <p className="text-sm text-stone-600">{d.total.toLocaleString("id-ID")} sertifikat</p>
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white text-sm">
        {d.items.map((c) => (
          <li key={c.code} className="flex items-start justify-between gap-2 px-3 py-2">
            <div className="min-w-0">
              <Link to={`/admin/sertifikat/${c.code}`} className="font-semibold">
                {c.name}
              </Link>
              <span className="block text-xs text-stone-500">
                {c.posyandu ?? "—"} · {c.scopeCode}
              </span>
              <span className="block text-xs text-stone-500">
                <span className="font-mono">{c.code}</span> · {c.issued} – {c.expires}
              </span>
            </div>
            <span className={`shrink-0 rounded px-2 py-0.5 text-xs font-semibold ${BADGE[c.state]}`}>
              {c.stateLabel}
            </span>
          </li>
        ))}
        {d.items.length === 0 ? <li className="px-3 py-2 text-stone-600">Tidak ada sertifikat.</li> : null}
      </ul>
      <Pager page={d.page} total={d.total} pageSize={PAGE_SIZE} search={search} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
