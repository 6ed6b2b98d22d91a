import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { NOT_STORED, NOT_STORED_GENERAL } from "~/features/learning/offline-pages";

export const meta: MetaFunction = () => [{ title: "Tidak ada sinyal · Akademi Posyandu" }];

/**
 * The page the service worker shows, without signal, for a page it has not stored
 * (instead of the browser's own error page). Public and static: it is stored at install.
 * It carries every reason a page is not stored (hidden, `data-untuk` = the pattern of its
 * paths): the worker shows the one for the page asked for instead of the general sentence.
 */
export default function Luring() {
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1>Tidak ada sinyal</h1>
      <p data-alasan="umum">{NOT_STORED_GENERAL}</p>
      {NOT_STORED.map((r) => (
        <p key={r.pattern} hidden data-untuk={r.pattern} className="font-semibold">
          {r.text}
        </p>
      ))}
      <p>
        Modul yang sudah pernah Anda buka, atau yang sudah disimpan dengan tombol "Simpan semua modul", tetap bisa
        dibaca tanpa sinyal.
      </p>
      <p>Jawaban kuis yang Anda kirim tanpa sinyal tersimpan di ponsel dan akan dikirim otomatis saat ada sinyal.</p>
      <Link to="/modul" className="btn w-full">
        Buka Modul saya
      </Link>
      <Link to="/" className="btn-secondary w-full">
        Ke Beranda
      </Link>
    </section>
  );
}
