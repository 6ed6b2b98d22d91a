import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ScrollRegion } from "~/components/scroll-region";
import { pembinaProgramme } from "~/features/catalogue/content.server";
import { standingsIn } from "~/features/certification/evaluate.server";
import { observablePembina, pembinaAreas, pembinaPracticeTasks } from "~/features/certification/practice.server";
import { notFound } from "~/lib/http";
import { rolesFor } from "~/lib/permissions";
import { ROLE_LABEL } from "~/lib/roles";
import { formatDate, REPORTING_ZONE } from "~/lib/timezone";

export const meta: MetaFunction = () => [{ title: "Tim Pembina · Akademi Posyandu" }];

/** The Tim Pembina below the user's level in her region, with where each stands in their programme (issue 20). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, rolesFor("pembina-observe"));
  const programme = pembinaProgramme();
  if (!programme) throw notFound("Program Tim Pembina belum ada.");
  const { areas, area } = await pembinaAreas(user, new URL(request.url).searchParams.get("wilayah"));
  // One area at a time (a kecamatan with its desa teams); above kecamatan level, until one is
  // picked, the kecamatan and kabupaten teams only: the page stays small for a whole province.
  const people = area
    ? await observablePembina(user, area)
    : (await observablePembina(user)).filter((p) => p.role !== "pembina_desa");
  const standings = await standingsIn(
    programme,
    people.map((p) => p.id),
  );
  const rows = people.map((p) => {
    const s = standings.get(p.id)!;
    return {
      id: p.id,
      name: p.name,
      role: ROLE_LABEL[p.role],
      scopeCode: p.scopeCode,
      modules: `${s.rule.modulesDone}/${s.rule.modulesRequired}`,
      attendance: s.rule.attendance.ok,
      practice: `${s.rule.practice.done}/${s.rule.practice.required}`,
      certificate: s.valid ? { code: s.valid.code, until: formatDate(s.valid.expiresAt, REPORTING_ZONE) } : null,
    };
  });
  return {
    areas: areas.length > 1 ? areas.map((a) => ({ code: a.code, name: a.name })) : [],
    area: area && areas.length > 1 ? area.code : null,
    programme: programme.title,
    tasks: pembinaPracticeTasks().map((t) => ({ id: t.id, title: t.title })),
    rows,
    certified: rows.filter((r) => r.certificate).length,
  };
}

export default function TimPembina() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-4">
      <h1>Tim Pembina di wilayah Anda</h1>
      <p className="text-sm text-stone-600">
        {d.programme}: {d.certified} dari {d.rows.length} anggota bersertifikat. Anda menilai praktik anggota jenjang di
        bawah Anda.
      </p>
      <div className="card space-y-2">
        <h2>Catat praktik</h2>
        <ul className="space-y-1">
          {d.tasks.map((t) => (
            <li key={t.id}>
              <Link to={`/tim-pembina/praktik?tugas=${t.id}${d.area ? `&wilayah=${d.area}` : ""}`}>{t.title}</Link>
            </li>
          ))}
        </ul>
      </div>
      {d.areas.length ? (
        <Form method="get" className="card flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="f-wilayah">Wilayah</label>
            <select id="f-wilayah" name="wilayah" defaultValue={d.area ?? ""}>
              <option value="">Tim kecamatan dan kabupaten</option>
              {d.areas.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn-secondary">
            Tampilkan
          </button>
        </Form>
      ) : null}
      {d.rows.length ? (
        <ScrollRegion label="Anggota Tim Pembina">
          <table className="table" data-testid="daftar-pembina">
            <thead>
              <tr>
                <th>Nama</th>
                <th className="text-right">Modul</th>
                <th>Hadir</th>
                <th className="text-right">Praktik</th>
                <th>Sertifikat</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.name}
                    <span className="block text-xs text-stone-500">
                      {r.role} · {r.scopeCode}
                    </span>
                  </td>
                  <td className="text-right">{r.modules}</td>
                  <td>{r.attendance ? "Ya" : "Belum"}</td>
                  <td className="text-right">{r.practice}</td>
                  <td>
                    {r.certificate ? (
                      <Link to={`/verifikasi/${r.certificate.code}`}>s.d. {r.certificate.until}</Link>
                    ) : (
                      "Belum"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        <p className="card text-sm">Belum ada anggota Tim Pembina di bawah jenjang Anda di wilayah ini.</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
