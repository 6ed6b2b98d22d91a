import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { ATTENDANCE_STATUSES } from "~/db/schema";
import { formatTime, zoneForRegion } from "~/lib/timezone";
import { ATTENDANCE_LABEL, KIND_LABEL } from "~/features/workshops/rules";
import {
  addWalkIn,
  markAllPresent,
  recordAttendance,
  type AttendanceEntry,
} from "~/features/workshops/attendance.server";
import { participants } from "~/features/workshops/enrolment.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { requireRosterAccess } from "~/features/workshops/access.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Absensi · Akademi Posyandu" }];

const METHOD_LABEL: Record<string, string> = {
  roster: "daftar",
  qr: "QR",
  kode: "kode",
  import: "impor",
  walkin: "langsung",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await requireRosterAccess(user, workshopIdParam(params));
  const zone = zoneForRegion(w.regionCode);
  const list = (await participants(w.id)).filter((p) => p.enrolment === "enrolled" || p.attendance);
  return {
    id: w.id,
    title: w.title,
    kind: KIND_LABEL[w.kind],
    status: w.status,
    rows: list.map((p, i) => ({
      no: i + 1,
      userId: p.userId,
      name: p.name,
      place: [p.posyanduName, p.desaName].filter(Boolean).join(", "),
      status: p.attendance,
      how: p.method ? `${METHOD_LABEL[p.method]} ${p.recordedAt ? formatTime(p.recordedAt, zone) : ""}` : null,
    })),
    counts: Object.fromEntries(ATTENDANCE_STATUSES.map((s) => [s, list.filter((p) => p.attendance === s).length])),
  };
}

const statusSchema = z.enum(ATTENDANCE_STATUSES);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  await requireRosterAccess(user, id);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "semua-hadir") {
    const r = await markAllPresent(user, id);
    throw redirect(`/sesi/${id}/absensi?tersimpan=${r.saved}`);
  }
  if (intent === "walkin") {
    const r = await addWalkIn(user, id, String(form.get("phone") ?? ""));
    if (!r.ok) return data({ message: r.message, field: "phone" }, { status: 400 });
    throw redirect(`/sesi/${id}/absensi?walkin=${encodeURIComponent(r.name)}`);
  }
  if (intent === "simpan") {
    const entries: AttendanceEntry[] = [];
    for (const [key, value] of form) {
      if (!key.startsWith("s_")) continue;
      const userId = key.slice(2);
      const status = statusSchema.safeParse(value);
      if (!/^[a-z0-9]{8,40}$/.test(userId) || !status.success)
        return data({ message: "Isian absensi tidak valid. Muat ulang halaman.", field: "form" }, { status: 400 });
      entries.push({ userId, status: status.data });
    }
    if (!entries.length)
      return data({ message: "Belum ada status kehadiran yang dipilih.", field: "form" }, { status: 400 });
    const r = await recordAttendance(user, id, entries, "roster");
    throw redirect(`/sesi/${id}/absensi?tersimpan=${r.saved}`);
  }
  return data({ message: "Permintaan tidak dikenal.", field: "form" }, { status: 400 });
}

export default function Absensi() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  const closed = d.status === "cancelled" || d.status === "draft";
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>Absensi</h1>
      <p className="text-sm text-stone-600">
        {d.kind} · {d.rows.length} peserta · hadir {d.counts.hadir}, terlambat {d.counts.terlambat}, izin{" "}
        {d.counts.izin}, alpa {d.counts.alpa}. Urutan sama dengan{" "}
        <a href={`/sesi/${d.id}/daftar-hadir.pdf`}>daftar hadir cetak</a>.
      </p>
      {search.get("tersimpan") !== null ? (
        <p className="alert-ok">{search.get("tersimpan")} catatan kehadiran disimpan.</p>
      ) : null}
      {search.get("walkin") ? <p className="alert-ok">{search.get("walkin")} ditambahkan dan dicatat hadir.</p> : null}
      {a?.field === "form" ? <FormError message={a.message} /> : null}
      {closed ? (
        <p className="alert-error">
          Kehadiran hanya dapat dicatat untuk kegiatan yang sudah diumumkan dan tidak dibatalkan.
        </p>
      ) : null}
      {!closed ? (
        <Form method="post">
          <input type="hidden" name="intent" value="semua-hadir" />
          <button type="submit" className="btn w-full">
            Semua hadir (yang belum dicatat)
          </button>
        </Form>
      ) : null}
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value="simpan" />
        <ol className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {d.rows.map((r) => (
            <li key={r.userId} className="px-3 py-2">
              <p className="text-sm">
                <span className="font-semibold">
                  {r.no}. {r.name}
                </span>{" "}
                <span className="text-stone-500">· {r.place}</span>
                {r.how ? <span className="ml-1 text-xs text-stone-500">({r.how})</span> : null}
              </p>
              <fieldset className="mt-1 grid grid-cols-4 gap-1" disabled={closed}>
                <legend className="sr-only">Kehadiran {r.name}</legend>
                {ATTENDANCE_STATUSES.map((s) => (
                  <label
                    key={s}
                    className="flex items-center justify-center gap-1 rounded-md border border-stone-300 px-1 py-1.5 text-xs font-normal has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50"
                  >
                    <input
                      type="radio"
                      name={`s_${r.userId}`}
                      value={s}
                      defaultChecked={r.status === s}
                      className="m-0"
                    />
                    {ATTENDANCE_LABEL[s]}
                  </label>
                ))}
              </fieldset>
            </li>
          ))}
        </ol>
        {d.rows.length && !closed ? (
          <button type="submit" className="btn w-full">
            Simpan absensi
          </button>
        ) : null}
      </Form>
      {!closed ? (
        <Form method="post" className="card space-y-2">
          <input type="hidden" name="intent" value="walkin" />
          <h2 className="text-base">Peserta datang langsung (walk-in)</h2>
          <label htmlFor="walkin-phone">Nomor HP</label>
          <input
            id="walkin-phone"
            name="phone"
            type="tel"
            inputMode="tel"
            placeholder="0812…"
            aria-invalid={a?.field === "phone" ? true : undefined}
          />
          {a?.field === "phone" ? <p className="field-error">{a.message}</p> : null}
          <button type="submit" className="btn-secondary">
            Tambah dan catat hadir
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
