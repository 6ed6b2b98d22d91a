/**
 * Item statistics as Moodle's quiz statistics report defines them, from additive sums
 * (stats_item): facility = share answered right; discrimination = the corrected item–total
 * correlation (Pearson between right/wrong on this item and the number of the attempt's other
 * items answered right); each option's choice rate; flags. Pure functions.
 */
import { formatNumber } from "~/lib/number-format";

/** Below this many responses a figure is shown but not flagged, and a section is not ranked. */
export const MIN_RESPONSES = 20;

export const ITEM_FLAG_LIMITS = {
  tooEasy: 0.95,
  tooHard: 0.2,
  lowDiscrimination: 0.1,
} as const;

export interface ItemSums {
  n: number;
  correct: number;
  restSum: number;
  restSq: number;
  xyRest: number;
}

export function facility(s: Pick<ItemSums, "n" | "correct">): number | null {
  return s.n > 0 ? s.correct / s.n : null;
}

/**
 * Corrected item–total correlation from the sums: x ∈ {0,1} (so Σx² = Σx), y = rest score.
 * Null when either variable has no spread (everyone right, or every rest score equal).
 */
export function discrimination(s: ItemSums): number | null {
  const { n, correct: sx, restSum: sy, restSq: syy, xyRest: sxy } = s;
  if (n < 2) return null;
  const vx = n * sx - sx * sx;
  const vy = n * syy - sy * sy;
  if (vx <= 0 || vy <= 0) return null;
  return (n * sxy - sx * sy) / Math.sqrt(vx * vy);
}

export type ItemFlag = "terlalu-mudah" | "terlalu-sulit" | "daya-beda-rendah" | "daya-beda-negatif" | "pengecoh-mati";

export const ITEM_FLAG_LABEL: Record<ItemFlag, string> = {
  "terlalu-mudah": "Terlalu mudah (> 95% benar)",
  "terlalu-sulit": "Terlalu sulit (< 20% benar)",
  "daya-beda-rendah": "Daya beda rendah (< 0,1)",
  "daya-beda-negatif": "Daya beda negatif: peserta yang nilainya tinggi justru lebih sering salah",
  "pengecoh-mati": "Ada pengecoh yang tidak pernah dipilih",
};

export function itemFlags(s: ItemSums, options: { isKey: boolean; chosen: number }[]): ItemFlag[] {
  if (s.n < MIN_RESPONSES) return [];
  const flags: ItemFlag[] = [];
  const p = facility(s)!;
  if (p > ITEM_FLAG_LIMITS.tooEasy) flags.push("terlalu-mudah");
  if (p < ITEM_FLAG_LIMITS.tooHard) flags.push("terlalu-sulit");
  const d = discrimination(s);
  if (d !== null && d < 0) flags.push("daya-beda-negatif");
  else if (d !== null && d < ITEM_FLAG_LIMITS.lowDiscrimination) flags.push("daya-beda-rendah");
  if (options.some((o) => !o.isKey && o.chosen === 0)) flags.push("pengecoh-mati");
  return flags;
}

/** "0,83" (Indonesian decimal comma), "–" for no value. */
export function formatRatio(x: number | null, digits = 2): string {
  return x === null ? "–" : formatNumber(x, digits, digits);
}

/** "83%" from a share, "–" for no value. */
export function formatShare(x: number | null): string {
  return x === null ? "–" : `${Math.round(x * 100)}%`;
}
