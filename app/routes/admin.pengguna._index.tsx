import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { Pager } from "~/components/pager";
import { formatPhone } from "~/lib/phone";
import { PAGE_SIZE, parseListQuery } from "~/lib/query";
import { assignableRoles, IMPORT_ROLES, ROLE_LABEL, ROLES } from "~/lib/roles";
import { listUsers } from "~/features/accounts/users.server";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Pengguna · Akademi Posyandu" }];

const ROSTER_ROLES = ROLES.filter((r) => r !== "kader");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, rolesFor("users-list"));
  const query = parseListQuery(request);
  const { items, total } = await listUsers(user.scopeCode, {
    q: query.q,
    role: query.peran,
    limit: PAGE_SIZE,
    offset: (query.halaman - 1) * PAGE_SIZE,
  });
  return {
    items: items.map((u) => ({ ...u, phone: formatPhone(u.phone), roleLabel: ROLE_LABEL[u.role] })),
    total,
    page: query.halaman,
    q: query.q ?? "",
    peran: query.peran ?? "",
    canCreate: assignableRoles(user.role).length > 0,
    canImport: IMPORT_ROLES.includes(user.role),
  };
}

export default function PenggunaList() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1>Pengguna</h1>
        <div className="flex gap-2">
          {d.canImport ? (
            <Link to="/admin/impor" className="btn-secondary">
              Impor
            </Link>
          ) : null}
          {d.canCreate ? (
            <Link to="/admin/pengguna/baru" className="btn">
              Tambah
            </Link>
          ) : null}
        </div>
      </div>
      <Form method="get" className="flex flex-wrap gap-2">
        <input
          type="search"
          name="q"
          defaultValue={d.q}
          placeholder="Nama atau nomor HP"
          aria-label="Cari pengguna"
          className="mt-0 min-w-0 flex-1"
        />
        <select name="peran" defaultValue={d.peran} aria-label="Peran" className="mt-0 w-auto">
          <option value="">Semua peran</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
        <button type="submit" className="btn-secondary">
          Cari
        </button>
      </Form>
      <p className="text-sm text-stone-600">{d.total.toLocaleString("id-ID")} pengguna</p>
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {d.items.map((u) => (
          <li key={u.id} className="px-3 py-2">
            <Link to={`/admin/pengguna/${u.id}`} className="font-semibold">
              {u.name}
            </Link>
            {!u.active ? <span className="ml-2 rounded bg-stone-200 px-1 text-xs">nonaktif</span> : null}
            {u.active && !u.activated ? (
              <span className="ml-2 rounded bg-amber-100 px-1 text-xs whitespace-nowrap">belum aktivasi</span>
            ) : null}
            <span className="block text-xs text-stone-600">
              {u.roleLabel} · {u.posyanduName ? `${u.posyanduName}, ` : ""}
              {u.scopeName} · {u.phone}
            </span>
          </li>
        ))}
      </ul>
      <Pager page={d.page} total={d.total} pageSize={PAGE_SIZE} search={search} />
    </section>
  );
}
