import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Tidak ada sinyal · Akademi Posyandu" }];

/**
 * The page the service worker shows, without signal, for a page it has not stored
 * (instead of the browser's own error page). Public and static: it is stored at install.
 */
export default function Luring() {
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1>Tidak ada sinyal</h1>
      <p>Halaman ini perlu sambungan internet, dan belum tersimpan di ponsel Anda.</p>
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
