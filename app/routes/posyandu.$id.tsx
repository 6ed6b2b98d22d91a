import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { OBSERVER_ROLES } from "~/features/certification/practice.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PosyanduForm } from "~/features/regions/posyandu-form";
import { formatPhone } from "~/lib/phone";
import { ROLES, SPM_LABEL } from "~/lib/roles";
import {
  getPosyanduInScope,
  kaderOfPosyandu,
  posyanduFormSchema,
  posyanduIdParam,
  updatePosyandu,
} from "~/features/regions/posyandu.server";
import { desaPicker } from "~/features/regions/regions.server";
import { fieldErrors } from "~/features/accounts/users.server";
import { readFormObject } from "~/lib/http";
import { lockedKaderOfPosyandu } from "~/features/coaching/kader-progress.server";
import { LockedMark } from "~/features/coaching/locked-mark";
import { ScrollRegion } from "~/components/scroll-region";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.posyandu.name ?? "Posyandu"} · Akademi Posyandu` },
];

const MANAGERS = rolesFor("users-manage");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const p = await getPosyanduInScope(user, posyanduIdParam(params));
  const [kader, locked] = await Promise.all([kaderOfPosyandu(p.id), lockedKaderOfPosyandu(p.id, p.desaCode)]);
  return {
    posyandu: { ...p, createdAt: p.createdAt.toISOString() },
    kader: kader.map((k) => ({
      ...k,
      phone: formatPhone(k.phone),
      bidang: k.spmBidang ? SPM_LABEL[k.spmBidang] : "—",
      /** Quizzes whose attempts are all used without a pass (another round is granted on /kader/:id). */
      locked: locked.get(k.id) ?? [],
    })),
    ...(await desaPicker(user.scopeCode, new URL(request.url).searchParams.get("kecamatan"), p.desaCode)),
    choosing: new URL(request.url).searchParams.has("kecamatan"),
    canObserve: (OBSERVER_ROLES as readonly string[]).includes(user.role),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const id = posyanduIdParam(params);
  await getPosyanduInScope(user, id);
  const form = await readFormObject(request);
  const parsed = posyanduFormSchema.safeParse(form);
  if (!parsed.success)
    return data({ errors: fieldErrors(parsed.error), values: form as Record<string, string> }, { status: 400 });
  const result = await updatePosyandu(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors, values: form as Record<string, string> }, { status: 400 });
  throw redirect(`/posyandu/${id}?tersimpan=1`);
}

export default function PosyanduDetail() {
  const {
    posyandu: p,
    kader,
    desa,
    kecamatan,
    kecamatanOptions,
    choosing,
    canObserve,
  } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const values = a?.values
    ? { ...a.values, active: a.values.active !== "off" }
    : { name: p.name, desaCode: p.desaCode, registrationNo: p.registrationNo, address: p.address, active: p.active };
  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link to="/posyandu">‹ Posyandu</Link>
      </p>
      <div>
        <h1>{p.name}</h1>
        <p className="text-sm text-stone-600">
          {p.desaName} ({p.desaCode}){p.registrationNo ? ` · No. reg ${p.registrationNo}` : ""} ·{" "}
          {p.active ? "aktif" : "nonaktif"}
        </p>
      </div>
      <ScrollRegion label="Kader posyandu">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2>Kader ({kader.length})</h2>
          <Link to={`/posyandu/${p.id}/kode-aktivasi`} className="btn-secondary">
            Cetak kode aktivasi
          </Link>
          {canObserve ? (
            <Link to={`/posyandu/${p.id}/praktik`} className="btn-secondary">
              Catat praktik lapangan
            </Link>
          ) : null}
        </div>
        <table className="table mt-2">
          <thead>
            <tr>
              <th>Nama</th>
              <th>Bidang</th>
              <th>Nomor HP</th>
            </tr>
          </thead>
          <tbody>
            {kader.map((k) => (
              <tr key={k.id}>
                <td>
                  <Link to={`/kader/${k.id}`}>{k.name}</Link>
                  {!k.active ? <span className="ml-1 text-xs text-stone-500">(nonaktif)</span> : null}
                  {k.locked.length ? <LockedMark kaderId={k.id} locked={k.locked} /> : null}
                </td>
                <td>{k.bidang}</td>
                <td>{k.phone}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <details className="card" open={!!a || choosing}>
        <summary className="cursor-pointer font-semibold">Ubah data posyandu</summary>
        <div className="mt-3">
          <PosyanduForm
            desa={desa}
            kecamatan={kecamatan}
            kecamatanOptions={kecamatanOptions}
            values={values}
            errors={a?.errors ?? {}}
            submitLabel="Simpan perubahan"
            showActive
          />
        </div>
      </details>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
