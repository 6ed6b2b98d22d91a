/** Kemendagri region codes: 64 > 64.02 > 64.02.01 > 64.02.01.2001. */
import type { RegionLevel, RegionRowLevel } from "~/db/schema";

export const REGION_CODE_RE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

/**
 * The nation: a regions row above the provinces (migration 0019), the scope of an admin at the
 * root (Kemendagri). Kemendagri has no code for it; "ID" is the country's ISO code.
 */
export const NATIONAL_CODE = "ID";

export function isRegionCode(value: string): boolean {
  return REGION_CODE_RE.test(value);
}

/** A region code or the nation: what a scope or a dashboard URL may hold. */
export function isScopeCode(value: string): boolean {
  return value === NATIONAL_CODE || REGION_CODE_RE.test(value);
}

/** The level of a region code (the nation: see scopeLevelOf). */
export function levelOfCode(code: string): RegionLevel {
  const parts = code.split(".").length;
  return (["provinsi", "kabupaten", "kecamatan", "desa"] as const)[parts - 1];
}

/** The level of a scope: "nasional" for the nation, else the region's level. */
export function scopeLevelOf(code: string): RegionRowLevel {
  return code === NATIONAL_CODE ? "nasional" : levelOfCode(code);
}

export function parentOfCode(code: string): string | null {
  const i = code.lastIndexOf(".");
  return i === -1 ? null : code.slice(0, i);
}

/** "X is inside scope S" is X = S or X starts with S + "."; everything is inside the nation. */
export function isWithinScope(code: string, scope: string): boolean {
  return scope === NATIONAL_CODE || code === scope || code.startsWith(scope + ".");
}

/** Ancestors from the province down to the code itself: 64, 64.02, 64.02.01 */
export function codeLineage(code: string): string[] {
  const parts = code.split(".");
  return parts.map((_, i) => parts.slice(0, i + 1).join("."));
}

export const LEVEL_LABEL: Record<RegionRowLevel, string> = {
  nasional: "Nasional",
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
export function regionTitle(region: { level: RegionRowLevel; name: string }): string {
  if (region.level === "nasional") return region.name;
  return KIND_PREFIX.test(region.name) ? region.name : `${LEVEL_LABEL[region.level]} ${region.name}`;
}
