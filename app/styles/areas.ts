/**
 * Which stylesheets a page links, by its route (root.tsx). The pages a kader opens, and the
 * pages before sign-in, link kader.css and, except a module page, kader-lain.css after it
 * (the rules of their own files that a module page does not use: scripts/split-sheets.ts);
 * the dashboards link dasbor.css; each is built only from the files its routes render (the
 * @source lists, checked against the routes' imports by tests/css-areas.test.ts). Every other
 * page links staff.css, built from the whole app. A staff user on a kader route (Beranda,
 * Belajar, Kegiatan) gets the kader sheets too: their sources are the whole route file, staff
 * branches included.
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

/** Kader routes styled by kader.css alone: the module page, the heaviest page a kader opens. */
export const MODUL_ROUTES = ["modul.$slug._index"] as const satisfies readonly (typeof KADER_ROUTES)[number][];

/** Route files styled by dasbor.css. */
export const DASBOR_ROUTES = ["dasbor.$region._index", "dasbor.$region.posyandu.$id"] as const;

/** modul: kader.css; kader: kader.css and kader-lain.css; dasbor: dasbor.css; staff: staff.css. */
export type StyleArea = "modul" | "kader" | "dasbor" | "staff";

const areaOf = new Map<string, StyleArea>([
  ...KADER_ROUTES.map((r) => [`routes/${r}`, "kader"] as const),
  ...MODUL_ROUTES.map((r) => [`routes/${r}`, "modul"] as const),
  ...DASBOR_ROUTES.map((r) => [`routes/${r}`, "dasbor"] as const),
]);

/** The area of the deepest matched route; no route but root (a 404) is styled as a kader page. */
export function styleArea(routeIds: string[]): StyleArea {
  const leaf = routeIds.filter((id) => id !== "root").at(-1);
  return leaf ? (areaOf.get(leaf) ?? "staff") : "kader";
}
