import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getUser, requireUser } from "~/auth.server";
import { CheckinDone } from "~/features/workshops/checkin-done";
import { FormError } from "~/components/form";
import { env } from "~/env.server";
import {
  clearScanCookie,
  newScanNonce,
  readScanNonce,
  scanCookie,
  scanTicket,
  verifyCheckinToken,
  verifyScanTicket,
} from "~/features/workshops/check-in";
import { formatRange, zoneForRegion } from "~/lib/timezone";
import { checkInWithToken } from "~/features/workshops/check-in.server";
import { getWorkshop } from "~/features/workshops/access.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Absen hadir · Akademi Posyandu" }];

const EXPIRED =
  "Kode QR sudah kedaluwarsa. Pindai lagi kode QR yang sedang tampil di layar, atau ketik kodenya di /hadir.";

/**
 * The QR target. The moment of the scan is signed into a ticket that survives the login
 * redirect, bound to this browser by the scan cookie; back from the login, the check-in is
 * recorded without a second tap. The ticket records one check-in.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const secret = env().SESSION_SECRET;
  const secure = env().NODE_ENV === "production";
  const now = new Date();
  const url = new URL(request.url);
  const given = url.searchParams.get("pindai");
  const nonce = readScanNonce(request.headers.get("Cookie"));
  const scan = given ? verifyScanTicket(secret, token, given, now, nonce) : null;
  if (given && scan && !scan.ok)
    return {
      valid: false as const,
      message:
        scan.reason === "expired"
          ? "Waktu pindai sudah lewat 15 menit. Pindai lagi kode QR yang sedang tampil di layar."
          : "Tautan absen ini hanya berlaku di ponsel yang memindai kode QR. Pindai kode QR yang sedang tampil di layar.",
      ticket: "",
    };
  const check = verifyCheckinToken(secret, token, scan?.ok ? scan.scannedAt : now);
  if (!check.ok)
    return {
      valid: false as const,
      message: check.reason === "format" ? "Kode QR tidak dikenali." : EXPIRED,
      ticket: "",
    };
  // A fresh scan: a new ticket, bound to this browser by a new scan cookie.
  const fresh = !scan?.ok;
  const freshNonce = fresh ? newScanNonce() : null;
  const ticket = fresh ? scanTicket(secret, token, now, freshNonce!) : given!;
  const setCookie = freshNonce ? { "Set-Cookie": scanCookie(freshNonce, secure) } : undefined;
  const user = await getUser(request);
  if (!user) {
    throw redirect(`/masuk?redirectTo=${encodeURIComponent(`/hadir/${token}?pindai=${ticket}`)}`, {
      headers: setCookie,
    });
  }
  const w = await getWorkshop(check.workshopId);
  if (!w) return { valid: false as const, message: "Kode QR tidak dikenali.", ticket: "" };
  // Back from the login with a valid scan ticket: the scan already said "I am here", so the
  // check-in is recorded at once (a reload answers "sudah tercatat").
  if (!fresh) {
    const r = await checkInWithToken(user, token, given, nonce, now);
    if (r.ok)
      return data(
        {
          valid: true as const,
          done: { status: r.status, title: r.title, already: r.already, workshopId: r.workshopId },
        },
        { headers: { "Set-Cookie": clearScanCookie(secure) } },
      );
    return { valid: false as const, message: r.message, ticket: "" };
  }
  return data(
    {
      valid: true as const,
      done: null,
      title: w.title,
      when: formatRange(w.startsAt, w.endsAt, zoneForRegion(w.regionCode)),
      venue: w.venue,
      ticket,
    },
    { headers: setCookie },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ticket = String((await readForm(request)).get("pindai") ?? "");
  const r = await checkInWithToken(
    user,
    params.token ?? "",
    ticket || null,
    readScanNonce(request.headers.get("Cookie")),
  );
  if (!r.ok) return data({ ok: false as const, message: r.message }, { status: 400 });
  return data(
    {
      ok: true as const,
      result: { status: r.status, title: r.title, already: r.already, workshopId: r.workshopId },
    },
    { headers: { "Set-Cookie": clearScanCookie(env().NODE_ENV === "production") } },
  );
}

export default function HadirQr() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  if (a?.ok) return <CheckinDone {...a.result} />;
  if (d.valid && d.done) return <CheckinDone {...d.done} />;
  return (
    <section className="mx-auto max-w-sm space-y-3">
      <h1>Absen hadir</h1>
      <FormError message={a && !a.ok ? a.message : undefined} />
      {d.valid ? (
        <Form method="post" className="card space-y-2">
          <input type="hidden" name="pindai" value={d.ticket} />
          <p className="font-semibold">{d.title}</p>
          <p className="text-sm">{d.when}</p>
          <p className="text-sm text-stone-600">{d.venue}</p>
          <button type="submit" className="btn w-full">
            Saya hadir
          </button>
        </Form>
      ) : (
        <p className="alert-error">{d.message}</p>
      )}
    </section>
  );
}
