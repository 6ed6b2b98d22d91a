import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { WorkshopCard } from "~/features/workshops/workshop-card";
import { BULAN, localYearMonth, monthBounds, toLocalInput, zoneForRegion } from "~/lib/timezone";
import { toCard } from "~/features/workshops/view.server";
import { listWorkshops } from "~/features/workshops/sessions.server";
import { SCHEDULER_ROLES } from "~/features/workshops/rules";

export const meta: MetaFunction = () => [{ title: "Kegiatan · Akademi Posyandu" }];

const querySchema = z.object({
  waktu: z.enum(["mendatang", "lalu", "bulan"]).catch("mendatang"),
  bulan: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .catch(undefined),
});

const MONTHS = BULAN;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const zone = zoneForRegion(user.scopeCode);
  const canSchedule = SCHEDULER_ROLES.includes(user.role);
  if (q.waktu === "bulan" || q.bulan) {
    const { year, month } = q.bulan
      ? { year: Number(q.bulan.slice(0, 4)), month: Number(q.bulan.slice(5)) }
      : localYearMonth(new Date(), zone);
    const { from, to } = monthBounds(year, month, zone);
    const items = await listWorkshops(user, { from, to, limit: 500 });
    const days = new Map<number, number[]>();
    for (const w of items) {
      const day = Number(toLocalInput(w.startsAt < from ? from : w.startsAt, zone).slice(8, 10));
      days.set(day, [...(days.get(day) ?? []), w.id]);
    }
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay(); // 0 = Minggu
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const prev = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
    const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
    return {
      view: "bulan" as const,
      canSchedule,
      title: `${MONTHS[month - 1]} ${year}`,
      prev,
      next,
      offset: (first + 6) % 7, // weeks start on Senin
      daysInMonth,
      busyDays: [...days.keys()],
      items: items.map((w) => ({
        ...toCard(user, w),
        day: Number(toLocalInput(w.startsAt < from ? from : w.startsAt, zone).slice(8, 10)),
      })),
    };
  }
  const past = q.waktu === "lalu";
  const items = await listWorkshops(user, { past, limit: 100 });
  return {
    view: past ? ("lalu" as const) : ("mendatang" as const),
    canSchedule,
    items: items.map((w) => toCard(user, w)),
  };
}

function Tabs({ view }: { view: string }) {
  const tab = (to: string, label: string, active: boolean) => (
    <Link
      to={to}
      className={`rounded-md px-3 py-1 text-sm no-underline ${active ? "bg-brand-700 text-white" : "bg-white text-stone-800 border border-stone-300"}`}
    >
      {label}
    </Link>
  );
  return (
    <nav className="flex gap-2" aria-label="Tampilan">
      {tab("/sesi", "Mendatang", view === "mendatang")}
      {tab("/sesi?waktu=bulan", "Kalender", view === "bulan")}
      {tab("/sesi?waktu=lalu", "Lalu", view === "lalu")}
    </nav>
  );
}

export default function SesiList() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-4">
      <div className="flex items-center justify-between gap-2">
        <h1>Kegiatan</h1>
        {d.canSchedule ? (
          <Link to="/sesi/baru" className="btn">
            Jadwalkan
          </Link>
        ) : null}
      </div>
      <Tabs view={d.view} />
      {d.view === "bulan" ? (
        <>
          <div className="flex items-center justify-between">
            <Link to={`/sesi?bulan=${d.prev}`}>‹ Sebelumnya</Link>
            <h2>{d.title}</h2>
            <Link to={`/sesi?bulan=${d.next}`}>Berikutnya ›</Link>
          </div>
          <div
            className="card grid grid-cols-7 gap-1 text-center text-sm"
            role="grid"
            aria-label={`Kalender ${d.title}`}
          >
            {["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"].map((n) => (
              <div key={n} className="text-xs font-semibold text-stone-500">
                {n}
              </div>
            ))}
            {Array.from({ length: d.offset }, (_, i) => (
              <div key={`x${i}`} />
            ))}
            {Array.from({ length: d.daysInMonth }, (_, i) => i + 1).map((day) =>
              d.busyDays.includes(day) ? (
                <a
                  key={day}
                  href={`#tanggal-${day}`}
                  className="rounded bg-brand-700 py-1 font-semibold text-white no-underline"
                >
                  {day}
                </a>
              ) : (
                <div key={day} className="py-1 text-stone-600">
                  {day}
                </div>
              ),
            )}
          </div>
          {d.items.length ? null : <p className="text-sm text-stone-600">Tidak ada kegiatan di bulan ini.</p>}
          <ul className="space-y-3">
            {d.items.map((w) => (
              <div key={w.id} id={`tanggal-${w.day}`}>
                <WorkshopCard w={w} />
              </div>
            ))}
          </ul>
        </>
      ) : (
        <>
          {d.items.length ? null : (
            <p className="text-sm text-stone-600">
              {d.view === "lalu" ? "Belum ada kegiatan yang lalu." : "Belum ada kegiatan terjadwal."}
            </p>
          )}
          <ul className="space-y-3">
            {d.items.map((w) => (
              <WorkshopCard key={w.id} w={w} />
            ))}
          </ul>
        </>
      )}
      <p className="text-sm">
        <Link to="/kalender">Tambahkan jadwal ke kalender ponsel</Link>
      </p>
    </section>
  );
}
