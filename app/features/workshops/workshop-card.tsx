import type { WorkshopCardData } from "~/features/workshops/types";
import { Form, Link } from "@remix-run/react";

export function WorkshopCard({ w, id }: { w: WorkshopCardData; id?: string }) {
  const badge =
    w.status === "published"
      ? "bg-emerald-100 text-emerald-900"
      : w.status === "cancelled"
        ? "bg-red-100 text-red-900"
        : "bg-stone-100 text-stone-700";
  return (
    <li className="card" id={id}>
      <p className="flex flex-wrap items-center gap-2 text-xs">
        <span className="font-semibold uppercase tracking-wide text-brand-700">{w.kindLabel}</span>
        <span className={`rounded px-2 py-0.5 font-semibold ${badge}`}>{w.statusLabel}</span>
      </p>
      <Link to={`/sesi/${w.id}`} className="mt-1 block font-semibold">
        {w.title}
      </Link>
      <p className="mt-1 text-sm text-stone-700">{w.when}</p>
      <p className="text-sm text-stone-600">
        {w.venue} · {w.regionName}
      </p>
      <p className="mt-1 text-xs text-stone-600">
        {w.enrolled}/{w.capacity} peserta{w.waitlisted ? ` · ${w.waitlisted} daftar tunggu` : ""}
        {w.myEnrolment === "enrolled"
          ? " · Anda terdaftar"
          : w.myEnrolment === "waitlisted"
            ? " · Anda di daftar tunggu"
            : ""}
      </p>
      {w.canSelfEnrol ? (
        <Form method="post" action={`/sesi/${w.id}`} className="mt-2">
          <input type="hidden" name="intent" value="daftar" />
          <button type="submit" className="btn-secondary">
            Daftar
          </button>
        </Form>
      ) : null}
    </li>
  );
}
