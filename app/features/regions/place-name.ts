/**
 * Regions named for people, never by code: "Desa Senyiur, Kecamatan Muara Ancalong,
 * Kabupaten Kutai Timur". Pages for kader show these (a code such as 64.08.01.2001 means
 * nothing to them).
 */
import { levelOfCode, regionTitle } from "~/lib/region";

/**
 * One region with its kind once. A desa-level code tells desa from kelurahan by the first
 * digit of its last segment (Kemendagri: 1 = kelurahan, 2 = desa; data/wilayah's source
 * note), so "Desa Senyiur" rather than "Desa/Kelurahan Senyiur".
 */
export function placeTitle(r: { code: string; name: string }): string {
  const level = levelOfCode(r.code);
  if (level === "desa") {
    const kind = r.code.slice(-4).startsWith("1") ? "Kelurahan" : r.code.slice(-4).startsWith("2") ? "Desa" : null;
    if (kind && !/^(desa|kelurahan|kampung)\s/i.test(r.name)) return `${kind} ${r.name}`;
  }
  return regionTitle({ level, name: r.name });
}

/**
 * A region and the ones above it down from the kabupaten, innermost first: "Desa Senyiur,
 * Kecamatan Muara Ancalong, Kabupaten Kutai Timur". The province only when it is the region
 * itself. `lineage` is the region's lineage (any order; regionLineage gives it).
 */
export function placeName(lineage: { code: string; name: string }[]): string {
  const sorted = [...lineage].sort((a, b) => b.code.length - a.code.length);
  const shown = sorted.length > 1 ? sorted.filter((r) => levelOfCode(r.code) !== "provinsi") : sorted;
  return shown.map(placeTitle).join(", ");
}
