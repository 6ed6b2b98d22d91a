import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { FormError } from "~/components/form";
import { hitRateLimit } from "~/rate-limit.server";
import { checkInWithCode } from "~/features/workshops/check-in.server";
import { CheckinDone } from "~/features/workshops/checkin-done";
import { readForm } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Absen hadir · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // Six digits are guessable by brute force: a few tries per minute per account.
  const rate = await hitRateLimit(`hadir:${user.id}`, 60);
  if (rate.count > 10)
    return data(
      { ok: false as const, message: "Terlalu banyak percobaan. Tunggu satu menit lalu coba lagi." },
      { status: 429 },
    );
  const code = String((await readForm(request)).get("code") ?? "");
  const r = await checkInWithCode(user, code);
  if (!r.ok) return data({ ok: false as const, message: r.message }, { status: 400 });
  return {
    ok: true as const,
    result: { status: r.status, title: r.title, already: r.already, workshopId: r.workshopId },
  };
}

export default function HadirKode() {
  const a = useActionData<typeof action>();
  if (a?.ok) return <CheckinDone {...a.result} />;
  return (
    <section className="mx-auto max-w-sm space-y-3">
      <h1>Absen hadir</h1>
      <p className="text-sm text-stone-600">Ketik 6 angka yang tampil di layar kegiatan.</p>
      <Form method="post" className="card space-y-3">
        <FormError message={a && !a.ok ? a.message : undefined} />
        <label htmlFor="code">Kode absen</label>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          pattern="[0-9 ]*"
          autoComplete="one-time-code"
          maxLength={7}
          className="text-center text-2xl tracking-[0.3em]"
        />
        <button type="submit" className="btn w-full">
          Catat kehadiran saya
        </button>
      </Form>
    </section>
  );
}
