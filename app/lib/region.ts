/** Kemendagri region codes: 64 > 64.02 > 64.02.01 > 64.02.01.2001. */
import type { RegionLevel } from "~/db/schema";

export const REGION_CODE_RE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

export function isRegionCode(value: string): boolean {
  return REGION_CODE_RE.test(value);
}

export function levelOfCode(code: string): RegionLevel {
  const parts = code.split(".").length;
  return (["provinsi", "kabupaten", "kecamatan", "desa"] as const)[parts - 1];
}

export function parentOfCode(code: string): string | null {
  const i = code.lastIndexOf(".");
  return i === -1 ? null : code.slice(0, i);
}

/** "X is inside scope S" is X = S or X starts with S + "." */
export function isWithinScope(code: string, scope: string): boolean {
  return code === scope || code.startsWith(scope + ".");
}

/** Ancestors from the province down to the code itself: 64, 64.02, 64.02.01 */
export function codeLineage(code: string): string[] {
  const parts = code.split(".");
  return parts.map((_, i) => parts.slice(0, i + 1).join("."));
}

export const LEVEL_LABEL: Record<RegionLevel, string> = {
  provinsi: "Provinsi",
  kabupaten: "Kabupaten/Kota",
  kecamatan: "Kecamatan",
  desa: "Desa/Kelurahan",
};

/** Words a region's name may already begin with that say its kind ("Kabupaten Kutai Timur", "Kota Bontang"). */
const KIND_PREFIX = /^(provinsi|kabupaten|kota|kecamatan|distrik|desa|kelurahan|kampung|nagari|gampong)\s/i;

/**
 * A region's name with its kind once: "Kecamatan Muara Ancalong", "Desa/Kelurahan Senyiur",
 * but "Kabupaten Kutai Kartanegara" (the name already carries it), never
 * "Kabupaten/Kota Kabupaten Kutai Kartanegara".
 */
export function regionTitle(region: { level: RegionLevel; name: string }): string {
  return KIND_PREFIX.test(region.name) ? region.name : `${LEVEL_LABEL[region.level]} ${region.name}`;
}
