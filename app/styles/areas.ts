/**
 * Which stylesheet a page links, by its route (root.tsx). The pages a kader opens, and the
 * pages before sign-in, link kader.css; the dashboards link dasbor.css; both are built only
 * from the files their routes render (their @source lists, checked against the routes'
 * imports by tests/css-areas.test.ts). Every other page links staff.css, built from the whole
 * app. A staff user on a kader route (Beranda, Belajar, Kegiatan) gets kader.css too: its
 * sources are the whole route file, staff branches included.
 */

/** Route files (app/routes, without extension) styled by kader.css. */
export const KADER_ROUTES = [
  "_index",
  "akun",
  "aktivasi",
  "hadir.$token",
  "hadir._index",
  "istilah",
  "kalender._index",
  "keluar",
  "luring",
  "masuk",
  "modul._index",
  "modul.$slug._index",
  "modul.$slug.cetak",
  "modul.$slug.kuis._index",
  "modul.$slug.kuis.$attemptId",
  "selamat-datang",
  "sertifikat._index",
  "sesi._index",
  "sesi.$id._index",
  "sesi.$id.evaluasi",
  "sesi.$id.tes._index",
  "verifikasi._index",
  "verifikasi.$code",
] as const;

/** Route files styled by dasbor.css. */
export const DASBOR_ROUTES = ["dasbor.$region._index", "dasbor.$region.posyandu.$id"] as const;

export type StyleArea = "kader" | "dasbor" | "staff";

const areaOf = new Map<string, StyleArea>([
  ...KADER_ROUTES.map((r) => [`routes/${r}`, "kader"] as const),
  ...DASBOR_ROUTES.map((r) => [`routes/${r}`, "dasbor"] as const),
]);

/** The area of the deepest matched route; no route but root (a 404) is styled as a kader page. */
export function styleArea(routeIds: string[]): StyleArea {
  const leaf = routeIds.filter((id) => id !== "root").at(-1);
  return leaf ? (areaOf.get(leaf) ?? "staff") : "kader";
}
