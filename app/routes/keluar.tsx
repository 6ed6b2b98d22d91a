import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { getUser, logout } from "~/auth.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Sudah keluar · Akademi Posyandu" }];

/**
 * Signed in: back home (logging out is a POST). Signed out: the page the service worker
 * stores at install, without the session, and shows for every page after a logout without
 * signal (public/sw.js), until the server has ended the session.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return redirect("/masuk", { headers: { "Set-Cookie": await logout(request) } });
}

export default function Keluar() {
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1>Anda sudah keluar</h1>
      <p className="alert-ok" role="status">
        Anda sudah keluar di ponsel ini; sesi di server diakhiri saat ada sinyal.
      </p>
      <p>
        Untuk masuk lagi, dengan akun Anda atau akun kader lain, sambungkan ponsel ke internet lalu buka halaman Masuk.
      </p>
      <p>
        Kiriman yang belum terkirim (jawaban kuis, bagian yang selesai dibaca) tetap tersimpan di ponsel ini untuk
        pemiliknya, dan dikirim saat ia masuk lagi di ponsel ini.
      </p>
      <Link to="/masuk" className="btn w-full">
        Ke halaman Masuk
      </Link>
    </section>
  );
}
