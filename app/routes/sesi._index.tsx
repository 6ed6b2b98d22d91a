import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { WorkshopCard } from "~/features/workshops/workshop-card";
import { BULAN, localYearMonth, monthBounds, toLocalInput, zoneForRegion } from "~/lib/timezone";
import { toCard as workshopCard } from "~/features/workshops/view.server";
import { placeTitle } from "~/features/regions/place-name";
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

/** A card whose region is named with its kind ("Kecamatan Muara Ancalong"), never a bare name or code. */
const toCard: typeof workshopCard = (user, w, now) => ({
  ...workshopCard(user, w, now),
  regionName: placeTitle({ code: w.regionCode, name: w.regionName }),
});

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
    <nav className="flex flex-wrap gap-2" aria-label="Tampilan">
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
      <div className="flex flex-wrap items-center justify-between gap-2">
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
          {/* A table, not an ARIA grid: seven columns Senin–Minggu, a day with activities links to them. */}
          <table className="card w-full table-fixed border-separate border-spacing-1 text-center text-sm">
            <caption className="sr-only">Kalender kegiatan {d.title}</caption>
            <thead>
              <tr>
                {DAY_NAMES.map(([short, full]) => (
                  <th key={short} scope="col" className="text-xs font-semibold text-stone-600">
                    <abbr title={full} className="no-underline">
                      {short}
                    </abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks(d.offset, d.daysInMonth).map((week) => (
                <tr key={week.find((x) => x !== null) ?? 0}>
                  {week.map((day, i) =>
                    day === null ? (
                      <td key={`x${i}`} />
                    ) : d.busyDays.includes(day) ? (
                      <td key={day}>
                        <a
                          href={`#tanggal-${day}`}
                          className="block rounded bg-brand-700 py-1 font-semibold text-white no-underline"
                          aria-label={`${day} ${d.title}: ada kegiatan`}
                        >
                          {day}
                        </a>
                      </td>
                    ) : (
                      <td key={day} className="py-1 text-stone-600">
                        {day}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {d.items.length ? null : <p className="text-sm text-stone-600">Tidak ada kegiatan di bulan ini.</p>}
          <ul className="space-y-3">
            {d.items.map((w, i) => (
              <WorkshopCard key={w.id} w={w} id={d.items[i - 1]?.day === w.day ? undefined : `tanggal-${w.day}`} />
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

const DAY_NAMES = [
  ["Sen", "Senin"],
  ["Sel", "Selasa"],
  ["Rab", "Rabu"],
  ["Kam", "Kamis"],
  ["Jum", "Jumat"],
  ["Sab", "Sabtu"],
  ["Min", "Minggu"],
] as const;

/** The month as weeks of seven cells (null before the 1st and after the last day). */
function weeks(offset: number, days: number): (number | null)[][] {
  const cells = [...Array.from({ length: offset }, () => null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}
