import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getUser, requireUser } from "~/auth.server";
import { CheckinDone } from "~/features/workshops/checkin-done";
import { FormError } from "~/components/form";
import { env } from "~/env.server";
import { scanTicket, verifyCheckinToken, verifyScanTicket } from "~/features/workshops/check-in";
import { formatRange, zoneForRegion } from "~/lib/timezone";
import { checkInWithToken } from "~/features/workshops/check-in.server";
import { getWorkshop } from "~/features/workshops/sessions.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Absen hadir · Akademi Posyandu" }];

const EXPIRED =
  "Kode QR sudah kedaluwarsa. Pindai lagi kode QR yang sedang tampil di layar, atau ketik kodenya di /hadir.";

/**
 * The QR target. The moment of the scan is signed into a ticket that survives the login
 * redirect; back from the login, the check-in is recorded without a second tap.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const secret = env().SESSION_SECRET;
  const now = new Date();
  const url = new URL(request.url);
  const given = url.searchParams.get("pindai");
  const scannedAt = given ? verifyScanTicket(secret, token, given, now) : null;
  const check = verifyCheckinToken(secret, token, scannedAt ?? now);
  if (!check.ok)
    return {
      valid: false as const,
      message: check.reason === "format" ? "Kode QR tidak dikenali." : EXPIRED,
      ticket: "",
    };
  const ticket = given && scannedAt ? given : scanTicket(secret, token, now);
  const user = await getUser(request);
  if (!user) {
    throw redirect(`/masuk?redirectTo=${encodeURIComponent(`/hadir/${token}?pindai=${ticket}`)}`);
  }
  const w = await getWorkshop(check.workshopId);
  if (!w) return { valid: false as const, message: "Kode QR tidak dikenali.", ticket: "" };
  // Back from the login with a valid scan ticket: the scan already said "I am here", so the
  // check-in is recorded at once (idempotent: a reload answers "sudah tercatat").
  if (scannedAt) {
    const r = await checkInWithToken(user, token, given, now);
    if (r.ok)
      return {
        valid: true as const,
        done: { status: r.status, title: r.title, already: r.already, workshopId: r.workshopId },
      };
    return { valid: false as const, message: r.message, ticket: "" };
  }
  return {
    valid: true as const,
    done: null,
    title: w.title,
    when: formatRange(w.startsAt, w.endsAt, zoneForRegion(w.regionCode)),
    venue: w.venue,
    ticket,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ticket = String((await readForm(request)).get("pindai") ?? "");
  const r = await checkInWithToken(user, params.token ?? "", ticket || null);
  if (!r.ok) return data({ ok: false as const, message: r.message }, { status: 400 });
  return {
    ok: true as const,
    result: { status: r.status, title: r.title, already: r.already, workshopId: r.workshopId },
  };
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
