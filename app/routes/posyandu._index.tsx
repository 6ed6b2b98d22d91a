import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { Pager } from "~/components/pager";
import { PAGE_SIZE, parseListQuery } from "~/lib/query";
import { canManagePosyandu, ROLES } from "~/lib/roles";
import { listPosyandu } from "~/features/regions/posyandu.server";
import { getRegion, regionsInScope } from "~/features/regions/regions.server";
import { levelOfCode } from "~/lib/region";
import { requireScope } from "~/auth.server";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Posyandu · Akademi Posyandu" }];

const ROSTER_ROLES = ROLES.filter((r) => r !== "kader");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, rolesFor("users-list"));
  const query = parseListQuery(request);
  if (query.wilayah) requireScope(user, query.wilayah);
  const filterRegion = query.wilayah ? await getRegion(query.wilayah) : undefined;
  // The region filter offers the levels just below the user's scope (a province: kabupaten and kecamatan).
  const level = levelOfCode(user.scopeCode);
  const levels =
    level === "provinsi"
      ? (["kabupaten", "kecamatan"] as const)
      : level === "kabupaten"
        ? (["kecamatan"] as const)
        : level === "kecamatan"
          ? (["desa"] as const)
          : [];
  const regionOptions = levels.length
    ? (await regionsInScope(user.scopeCode, [...levels])).map((r) => ({ code: r.code, name: r.name, level: r.level }))
    : [];
  const { items, total } = await listPosyandu(user.scopeCode, {
    q: query.q,
    regionCode: query.wilayah,
    limit: PAGE_SIZE,
    offset: (query.halaman - 1) * PAGE_SIZE,
  });
  return {
    items,
    total,
    page: query.halaman,
    q: query.q ?? "",
    wilayah: query.wilayah ?? "",
    regionOptions,
    region: filterRegion ? `${filterRegion.name} (${filterRegion.code})` : null,
    canCreate: canManagePosyandu(user.role),
  };
}

export default function PosyanduList() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1>Posyandu{d.region ? ` · ${d.region}` : ""}</h1>
        {d.canCreate ? (
          <Link to="/posyandu/baru" className="btn">
            Tambah
          </Link>
        ) : null}
      </div>
      <Form method="get" className="flex flex-wrap gap-2" role="search">
        <input
          type="search"
          name="q"
          defaultValue={d.q}
          placeholder="Nama, desa, kecamatan atau no. registrasi"
          aria-label="Cari posyandu menurut nama, desa, kecamatan atau nomor registrasi"
          className="mt-0 min-w-0 flex-[2_1_12rem]"
        />
        {d.regionOptions.length ? (
          <select
            name="wilayah"
            defaultValue={d.wilayah}
            aria-label="Wilayah"
            className="mt-0 min-w-0 flex-[1_1_10rem]"
          >
            <option value="">Semua wilayah</option>
            {d.regionOptions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.level === "kecamatan" && d.regionOptions.some((o) => o.level === "kabupaten") ? "· " : ""}
                {r.name}
              </option>
            ))}
          </select>
        ) : d.wilayah ? (
          <input type="hidden" name="wilayah" value={d.wilayah} />
        ) : null}
        <button type="submit" className="btn-secondary">
          Cari
        </button>
      </Form>
      <p className="text-sm text-stone-600">{d.total.toLocaleString("id-ID")} posyandu</p>
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {d.items.map((p) => (
          <li key={p.id} className="px-3 py-2">
            <Link to={`/posyandu/${p.id}`} className="font-semibold">
              {p.name}
            </Link>
            {!p.active ? <span className="ml-2 rounded bg-stone-200 px-1 text-xs">nonaktif</span> : null}
            <span className="block text-xs text-stone-600">
              {p.desaName}, {p.kecamatanName} · {p.kaderCount} kader
              {p.registrationNo ? ` · No. reg ${p.registrationNo}` : ""}
            </span>
          </li>
        ))}
      </ul>
      <Pager page={d.page} total={d.total} pageSize={PAGE_SIZE} search={search} />
    </section>
  );
}
