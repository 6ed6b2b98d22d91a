import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { env } from "~/env.server";
import { publicOrigin } from "~/lib/url";
import { feedToken } from "~/features/workshops/exports.server";

export const meta: MetaFunction = () => [{ title: "Kalender saya · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = `${publicOrigin(env().APP_URL)}/kalender/${feedToken(user.id)}.ics`;
  return { url, webcal: url.replace(/^https?:/, "webcal:") };
}

export default function Kalender() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-lg space-y-3">
      <p className="text-sm">
        <Link to="/sesi">‹ Kegiatan</Link>
      </p>
      <h1>Kalender saya</h1>
      <p className="text-sm">
        Jadwal kegiatan yang Anda ikuti (dan, untuk Tim Pembina, kegiatan di wilayah Anda) dapat muncul otomatis di
        kalender ponsel.
      </p>
      <a href={d.webcal} className="btn w-full">
        Langganan di kalender ponsel
      </a>
      <p className="text-sm">Atau salin alamat ini ke Google Calendar (Tambah kalender › Dari URL):</p>
      <input readOnly value={d.url} aria-label="Alamat kalender" className="text-xs" />
      <p className="text-xs text-stone-500">Alamat ini pribadi: jangan dibagikan.</p>
    </section>
  );
}
