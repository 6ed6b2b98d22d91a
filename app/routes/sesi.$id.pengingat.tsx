import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { env } from "~/env.server";
import { forbidden } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { isWithinScope } from "~/lib/region";
import { formatDate, formatTime, toLocalInput, zoneForRegion } from "~/lib/timezone";
import { publicOrigin } from "~/lib/url";
import { DEFAULT_BRING, KIND_LABEL, reminderMessage, whatsappChatUrl } from "~/features/workshops/rules";
import { participants } from "~/features/workshops/enrolment.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { getVisibleWorkshop } from "~/features/workshops/access.server";
import { canEnrolInto, canTakeAttendance } from "~/features/workshops/rules";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Pengingat: ${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

const querySchema = z.object({
  bawa: z.string().trim().max(200).optional().catch(undefined),
});

/**
 * Reminders for enrolled participants: one WhatsApp click-to-chat link per person with a
 * prepared message (date, time, place, what to bring), and the session's .ics. Pembina
 * see only the participants of their own area.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await getVisibleWorkshop(user, workshopIdParam(params));
  if (!canTakeAttendance(user, w) && !canEnrolInto(user, w))
    throw forbidden("Anda tidak berhak mengirim pengingat kegiatan ini.");
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const bring = q.bawa || DEFAULT_BRING;
  const zone = zoneForRegion(w.regionCode);
  const sameDay = toLocalInput(w.startsAt, zone).slice(0, 10) === toLocalInput(w.endsAt, zone).slice(0, 10);
  const origin = publicOrigin(env().APP_URL);
  const base = {
    kind: KIND_LABEL[w.kind],
    title: w.title,
    day: sameDay ? formatDate(w.startsAt, zone) : `${formatDate(w.startsAt, zone)} s.d. ${formatDate(w.endsAt, zone)}`,
    time: `${formatTime(w.startsAt, zone)}–${formatTime(w.endsAt, zone)} ${zone.label}`,
    venue: w.venue,
    bring,
    url: `${origin}/sesi/${w.id}`,
  };
  const open = w.status === "published" && w.endsAt > new Date();
  const people = open
    ? (await participants(w.id)).filter((p) => p.enrolment === "enrolled" && isWithinScope(p.desaCode, user.scopeCode))
    : [];
  return {
    id: w.id,
    title: w.title,
    open,
    message: open
      ? null
      : w.status === "draft"
        ? "Umumkan kegiatan dulu; pengingat baru dapat dikirim setelah kegiatan dibuka."
        : "Kegiatan ini sudah selesai atau dibatalkan; pengingat tidak diperlukan.",
    bring: q.bawa ?? "",
    defaultBring: DEFAULT_BRING,
    preview: reminderMessage({ ...base, name: "…" }),
    people: people.map((p) => ({
      userId: p.userId,
      name: p.name,
      phone: formatPhone(p.phone),
      place: [p.posyanduName, p.desaName].filter(Boolean).join(", "),
      wa: whatsappChatUrl(p.phone, reminderMessage({ ...base, name: p.name })),
    })),
  };
}

export default function Pengingat() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>Kirim pengingat</h1>
      {d.open ? (
        <>
          <p className="text-sm text-stone-600">
            Tekan &ldquo;Kirim WA&rdquo; pada setiap peserta: WhatsApp terbuka dengan pesan yang sudah disiapkan.
            Bagikan juga berkas kalender agar kegiatan tersimpan di ponsel peserta.
          </p>
          <Form method="get" className="card space-y-2">
            <label htmlFor="bawa">Yang perlu dibawa</label>
            <textarea
              id="bawa"
              name="bawa"
              rows={2}
              maxLength={200}
              defaultValue={d.bring}
              placeholder={d.defaultBring}
            />
            <button type="submit" className="btn-secondary">
              Perbarui pesan
            </button>
          </Form>
          <details className="card text-sm">
            <summary className="cursor-pointer font-semibold">Isi pesan</summary>
            <p className="mt-2 whitespace-pre-line" data-testid="reminder-preview">
              {d.preview}
            </p>
          </details>
          <p>
            <a href={`/sesi/${d.id}.ics`} className="btn-secondary">
              Unduh kalender (.ics)
            </a>
          </p>
          <div className="card">
            <h2>Peserta terdaftar ({d.people.length})</h2>
            {d.people.length ? (
              <ol className="mt-2 divide-y divide-stone-100 text-sm">
                {d.people.map((p, i) => (
                  <li key={p.userId} className="flex items-center justify-between gap-2 py-2">
                    <span className="min-w-0">
                      {i + 1}. {p.name}
                      <span className="block text-xs text-stone-500">
                        {p.phone} · {p.place}
                      </span>
                    </span>
                    <a
                      href={p.wa}
                      className="btn-secondary shrink-0"
                      rel="noopener"
                      aria-label={`Kirim WA ke ${p.name}`}
                    >
                      Kirim WA
                    </a>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="mt-2 text-sm text-stone-600">
                Belum ada peserta terdaftar di wilayah Anda. <Link to={`/sesi/${d.id}/peserta`}>Tambah peserta</Link>
              </p>
            )}
          </div>
        </>
      ) : (
        <p className="alert-error">{d.message}</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
