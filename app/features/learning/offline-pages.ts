/**
 * Pages a kader's phone does not keep, and why. Without signal, the service worker
 * (public/sw.js) answers such a page with /luring showing the first reason whose pattern
 * (a regular expression on the path) matches, so every link of a stored page either opens
 * or says what is not on the phone and why. What is stored: the pages she opened under
 * `/modul…`, `/istilah` and `/`, and the list "Simpan semua modul" answers (offline.server.ts).
 */
export interface NotStored {
  pattern: string;
  text: string;
}

/** The sentence for a page no reason covers. */
export const NOT_STORED_GENERAL = "Halaman ini perlu sambungan internet, dan belum tersimpan di ponsel Anda.";

export const NOT_STORED: NotStored[] = [
  {
    pattern: "^/modul/[^/]+/cetak$",
    text: "Versi cetak modul tidak disimpan di ponsel: isinya sama dengan halaman modul, yang bisa dibaca tanpa sinyal. Untuk mencetak, buka versi cetak saat ada sinyal.",
  },
  {
    pattern: "^/modul/[^/]+/kuis/[^/]+$",
    text: "Lembar atau hasil kuis ini belum tersimpan di ponsel. “Simpan semua modul” menyimpan kuis yang belum lulus, bukan hasil percobaan yang lalu; nilai terbaik Anda ada di halaman kuis modulnya. Buka halaman ini saat ada sinyal.",
  },
  {
    pattern: "^/modul(/|$)",
    text: "Halaman modul ini belum tersimpan di ponsel. Saat ada sinyal, buka halaman ini sekali, atau tekan “Simpan semua modul” di Beranda.",
  },
  {
    pattern: "^/istilah$",
    text: "Daftar istilah belum tersimpan di ponsel. Saat ada sinyal, buka halaman ini sekali, atau tekan “Simpan semua modul” di Beranda.",
  },
  {
    pattern: "^/(sesi|kalender)(/|$)",
    text: "Kegiatan (jadwal, pendaftaran, berkas kalender) tidak disimpan di ponsel, karena jadwal, tempat dan kuota bisa berubah dan mendaftar perlu sinyal. Tanggal dan tempat kegiatan yang Anda ikuti ada di Beranda.",
  },
  {
    pattern: "^/hadir(/|$)",
    text: "Absen tidak bisa tanpa sinyal: kehadiran dicatat oleh server saat Anda memindai kode QR di tempat kegiatan.",
  },
  {
    pattern: "^/(sertifikat|verifikasi)(/|$)",
    text: "Sertifikat tidak disimpan di ponsel: statusnya diperiksa dan berkasnya diunduh dari server. Buka halaman ini saat ada sinyal.",
  },
  {
    pattern: "^/akun(/|$)",
    text: "Halaman akun tidak disimpan di ponsel: data akun dan kata sandi hanya bisa dilihat dan diubah di server. Buka halaman ini saat ada sinyal.",
  },
];

/** The reason shown for a page that is not on the phone (what the service worker picks). */
export function notStoredReason(path: string): string {
  return NOT_STORED.find((r) => new RegExp(r.pattern).test(path))?.text ?? NOT_STORED_GENERAL;
}
