import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { env } from "~/env.server";
import { checkinCode, checkinOpen, checkinToken, OPEN_BEFORE_MS, WINDOW_MS } from "~/features/workshops/check-in";
import { formatRange, formatTime, zoneForRegion } from "~/lib/timezone";
import { publicOrigin } from "~/lib/url";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { requireRosterAccess } from "~/features/workshops/access.server";

/**
 * The screen reloads itself by a meta refresh (no JavaScript), by design: the pembina projects
 * it or holds up her phone for a whole session, and the code changes every minute. WCAG asks
 * that a user can stop a timed refresh: "Hentikan penyegaran" (?diam=1) shows the same page
 * without it (its code then goes stale, which the page says), and a link turns it back on.
 * The browser tests switch axe's meta-refresh rule off for this reason (tests/e2e/axe.ts).
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Absen QR: ${data?.title ?? ""} · Akademi Posyandu` },
  ...(data?.open && !data.still ? [{ httpEquiv: "refresh", content: String(data.refreshSeconds) }] : []),
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await requireRosterAccess(user, workshopIdParam(params));
  const zone = zoneForRegion(w.regionCode);
  const now = new Date();
  const still = new URL(request.url).searchParams.get("diam") === "1";
  const open = w.status === "published" && checkinOpen(w.startsAt, w.endsAt, now);
  const base = {
    id: w.id,
    title: w.title,
    when: formatRange(w.startsAt, w.endsAt, zone),
    status: w.status,
    open,
    still,
    refreshSeconds: 20,
  };
  if (!open) {
    return {
      ...base,
      message:
        w.status !== "published"
          ? "Layar QR hanya tersedia untuk kegiatan yang sedang dibuka."
          : now < w.startsAt
            ? `Absen mandiri dibuka pukul ${formatTime(new Date(w.startsAt.getTime() - OPEN_BEFORE_MS), zone)} ${zone.label}.`
            : "Kegiatan sudah berakhir; absen mandiri ditutup.",
      svg: null,
      code: null,
      url: null,
      codeUrl: null,
    };
  }
  const secret = env().SESSION_SECRET;
  const origin = publicOrigin(env().APP_URL);
  const url = `${origin}/hadir/${checkinToken(secret, w.id, now)}`;
  const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const secondsLeft = Math.ceil((WINDOW_MS - (now.getTime() % WINDOW_MS)) / 1000);
  return {
    ...base,
    message: null,
    svg,
    code: checkinCode(secret, w.id, now),
    url,
    codeUrl: `${origin}/hadir`,
    refreshSeconds: Math.min(20, secondsLeft + 1),
  };
}

export default function LayarQr() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-md space-y-3 text-center">
      <p className="text-left text-sm">
        <Link to={`/sesi/${d.id}`}>‹ Kembali</Link>
      </p>
      <h1>{d.title}</h1>
      <p className="text-sm text-stone-600">{d.when}</p>
      {d.svg ? (
        <>
          <p className="font-semibold">Pindai untuk absen hadir</p>
          <div
            className="mx-auto w-full max-w-xs rounded-lg bg-white p-2"
            role="img"
            aria-label="Kode QR absen"
            dangerouslySetInnerHTML={{ __html: d.svg }}
          />
          <p className="text-sm">
            Kamera bermasalah? Buka{" "}
            <strong className="break-all" data-testid="code-url">
              {d.codeUrl}
            </strong>{" "}
            (menu &ldquo;Absen&rdquo;) dan ketik kode:
          </p>
          <p className="text-5xl font-bold tracking-[0.2em]">
            <span className="sr-only">Kode absen: </span>
            <span data-testid="kode-absen">{d.code}</span>
          </p>
          {d.still ? (
            <p className="text-xs text-stone-700" data-testid="penyegaran">
              Penyegaran dihentikan: kode dan QR ini tidak berganti lagi dan tidak berlaku setelah satu menit.{" "}
              <Link to={`/sesi/${d.id}/qr`}>Nyalakan lagi penyegaran</Link>
            </p>
          ) : (
            <p className="text-xs text-stone-600" data-testid="penyegaran">
              Kode dan QR berganti setiap menit; layar ini memperbarui diri sendiri setiap {d.refreshSeconds} detik.{" "}
              <Link to={`/sesi/${d.id}/qr?diam=1`}>Hentikan penyegaran</Link>
            </p>
          )}
          <p className="break-all text-xs text-stone-500">
            Tautan absen saat ini:{" "}
            <a href={d.url!} data-testid="checkin-url">
              {d.url}
            </a>
          </p>
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
