import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { idSchema, searchText } from "~/lib/query";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { forbidden, readForm } from "~/lib/http";
import { isRegionCode } from "~/lib/region";
import { ENROLMENT_LABEL } from "~/features/workshops/rules";
import { regionsInScope } from "~/features/regions/regions.server";
import { posyanduOptions } from "~/features/accounts/users.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { getVisibleWorkshop } from "~/features/workshops/access.server";
import { canEnrolInto } from "~/features/workshops/rules";
import { cancelEnrolment, enrolCandidates, enrolUsers, participants } from "~/features/workshops/enrolment.server";
import { participantView, pickerRegions, pickerStart } from "~/features/workshops/participants";

export const meta: MetaFunction = () => [{ title: "Peserta · Akademi Posyandu" }];

const filterSchema = z.object({
  wilayah: z.string().refine(isRegionCode).optional().catch(undefined),
  posyandu: idSchema.optional().catch(undefined),
  q: searchText,
});

async function load(request: Request, id: number) {
  const user = await requireUser(request);
  const w = await getVisibleWorkshop(user, id);
  if (!canEnrolInto(user, w)) throw forbidden("Anda tidak berhak mengelola peserta kegiatan ini.");
  return { user, w };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, w } = await load(request, workshopIdParam(params));
  const search = new URL(request.url).searchParams;
  const filter = filterSchema.parse(Object.fromEntries(search));
  // The page opens on the session's target area (or the part of it in the user's scope),
  // with its candidates listed at once; "semua di wilayah saya" is an explicit empty choice.
  if (!search.has("wilayah")) filter.wilayah = pickerStart(user.scopeCode, w.regionCode);
  const [list, candidates, regions, pos] = await Promise.all([
    participants(w.id),
    enrolCandidates(user, w, { regionCode: filter.wilayah, posyanduId: filter.posyandu, q: filter.q }),
    regionsInScope(user.scopeCode, ["kecamatan", "desa"]),
    w.audience === "kader" ? posyanduOptions(filter.wilayah ?? user.scopeCode) : Promise.resolve([]),
  ]);
  return {
    id: w.id,
    title: w.title,
    audience: w.audience,
    capacity: w.capacity,
    // Only the people in the viewer's region by name; the rest as a count (participants.ts).
    ...participantView(list, user.scopeCode),
    candidates: candidates.map((c) => ({
      ...c,
      enrolmentLabel: c.enrolment ? ENROLMENT_LABEL[c.enrolment as keyof typeof ENROLMENT_LABEL] : null,
    })),
    searched: true,
    regions: pickerRegions(regions, w.regionCode),
    posyandu: pos,
    filter,
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("daftarkan"),
    userIds: z
      .array(z.string().regex(/^[a-z0-9]{8,40}$/))
      .min(1, "Pilih minimal satu orang.")
      .max(2000),
  }),
  z.object({
    intent: z.literal("daftarkan-semua"),
    wilayah: z.string().optional(),
    posyandu: z.string().optional(),
    q: z.string().optional(),
  }),
  z.object({ intent: z.literal("batalkan"), userId: z.string().regex(/^[a-z0-9]{8,40}$/) }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const id = workshopIdParam(params);
  const { user, w } = await load(request, id);
  const form = await readForm(request);
  const parsed = actionSchema.safeParse({ ...Object.fromEntries(form), userIds: form.getAll("userIds").map(String) });
  if (!parsed.success)
    return data({ message: parsed.error.issues[0]?.message ?? "Permintaan tidak valid." }, { status: 400 });
  const p = parsed.data;
  if (p.intent === "batalkan") {
    const r = await cancelEnrolment(user, id, p.userId);
    if (!r.ok) return data({ message: r.message }, { status: 400 });
    throw redirect(`/sesi/${id}/peserta?dibatalkan=1`);
  }
  let ids: string[];
  if (p.intent === "daftarkan") ids = p.userIds;
  else {
    const filter = filterSchema.parse({
      wilayah: p.wilayah || undefined,
      posyandu: p.posyandu || undefined,
      q: p.q || undefined,
    });
    if (!filter.wilayah && !filter.posyandu && !filter.q)
      return data({ message: "Pilih wilayah atau posyandu terlebih dahulu." }, { status: 400 });
    ids = (await enrolCandidates(user, w, { regionCode: filter.wilayah, posyanduId: filter.posyandu, q: filter.q }))
      .filter((c) => c.enrolment !== "enrolled" && c.enrolment !== "waitlisted")
      .map((c) => c.id);
  }
  const r = await enrolUsers(user, id, ids);
  throw redirect(`/sesi/${id}/peserta?terdaftar=${r.enrolled}&tunggu=${r.waitlisted}`);
}

export default function Peserta() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>Peserta</h1>
      {search.get("terdaftar") !== null ? (
        <p className="alert-ok">
          {search.get("terdaftar")} orang terdaftar
          {Number(search.get("tunggu")) ? `, ${search.get("tunggu")} masuk daftar tunggu (kuota penuh)` : ""}.
        </p>
      ) : null}
      {search.get("dibatalkan") ? (
        <p className="alert-ok">Pendaftaran dibatalkan; daftar tunggu dinaikkan bila ada kursi kosong.</p>
      ) : null}
      <FormError message={a?.message} />
      <div className="card">
        <h2>
          Terdaftar ({d.enrolledTotal} dari {d.capacity})
        </h2>
        {d.othersHidden ? (
          <p className="mt-1 text-sm text-stone-600">{d.othersHidden} peserta lain berasal dari luar wilayah Anda.</p>
        ) : null}
        <ol className="mt-2 divide-y divide-stone-100 text-sm">
          {d.enrolled.map((p, i) => (
            <li key={p.userId} className="flex items-center justify-between gap-2 py-1">
              <span>
                {i + 1}. {p.name} <span className="text-stone-500">· {p.place}</span>
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="batalkan" />
                <input type="hidden" name="userId" value={p.userId} />
                <button type="submit" className="min-h-11 px-2 text-xs text-red-800 underline">
                  batal<span className="sr-only"> pendaftaran {p.name}</span>
                </button>
              </Form>
            </li>
          ))}
        </ol>
        {d.waitlisted.length ? (
          <>
            <h3 className="mt-3 font-semibold">Daftar tunggu ({d.waitlisted.length})</h3>
            <ol className="mt-1 text-sm">
              {d.waitlisted.map((p, i) => (
                <li key={p.userId}>
                  {i + 1}. {p.name} <span className="text-stone-500">· {p.place}</span>
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
      <div className="card space-y-3">
        <h2>Tambah peserta</h2>
        <Form method="get" className="space-y-2">
          <label htmlFor="wilayah">Kecamatan/desa</label>
          <select id="wilayah" name="wilayah" defaultValue={d.filter.wilayah ?? ""}>
            <option value="">— semua di wilayah saya —</option>
            {d.regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.level === "desa" ? "· " : ""}
                {r.name} ({r.code})
              </option>
            ))}
          </select>
          {d.audience === "kader" ? (
            <>
              <label htmlFor="posyandu">Posyandu</label>
              <select id="posyandu" name="posyandu" defaultValue={d.filter.posyandu ? String(d.filter.posyandu) : ""}>
                <option value="">— semua posyandu —</option>
                {d.posyandu.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} — {p.desaName}
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <label htmlFor="q">Nama (boleh kosong)</label>
          <input id="q" name="q" defaultValue={d.filter.q ?? ""} />
          <button type="submit" className="btn-secondary">
            Tampilkan
          </button>
        </Form>
        {d.searched ? (
          <Form method="post" className="space-y-2">
            <p className="text-sm text-stone-600">{d.candidates.length} orang ditemukan.</p>
            <ul className="max-h-96 divide-y divide-stone-100 overflow-y-auto text-sm">
              {d.candidates.map((c) => (
                <li key={c.id} className="py-1">
                  <label className="flex items-start gap-2 font-normal">
                    <input
                      type="checkbox"
                      name="userIds"
                      value={c.id}
                      disabled={c.enrolment === "enrolled" || c.enrolment === "waitlisted"}
                      className="mt-1"
                    />
                    <span>
                      {c.name}{" "}
                      <span className="text-stone-500">
                        · {[c.posyanduName, c.desaName].filter(Boolean).join(", ")}
                      </span>
                      {c.enrolmentLabel ? (
                        <span className="ml-1 text-xs text-emerald-800">({c.enrolmentLabel})</span>
                      ) : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            <input type="hidden" name="wilayah" value={d.filter.wilayah ?? ""} />
            <input type="hidden" name="posyandu" value={d.filter.posyandu ?? ""} />
            <input type="hidden" name="q" value={d.filter.q ?? ""} />
            <div className="flex flex-wrap gap-2">
              <button type="submit" name="intent" value="daftarkan" className="btn">
                Daftarkan yang dipilih
              </button>
              <button type="submit" name="intent" value="daftarkan-semua" className="btn-secondary">
                Daftarkan semua ({d.candidates.filter((c) => !c.enrolmentLabel || c.enrolmentLabel === "Batal").length})
              </button>
            </div>
          </Form>
        ) : null}
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
