/**
 * How the dashboard ranks the regions of one level (pure): the table's sort order and the
 * "perlu perhatian" lists (lowest rate, most certificates expiring, most kader locked out of
 * a quiz). docs/ARCHITECTURE.md, "Where each rule lives".
 */
import { formatNumber } from "~/lib/number-format";
import { formatRate, type Figures } from "~/features/reporting/figures";

export const SORT_KEYS = [
  "kode",
  "nama",
  "aktif",
  "terdaftar",
  "hadir",
  "lulus",
  "terbit",
  "berlaku",
  "tingkat",
  "kedaluwarsa",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "naik" | "turun";

/** One row of the table: a child region (or posyandu) with its figures. */
export type RankedRow = Figures & { code: string; name: string };

const SORT_FIELD: Record<SortKey, (r: RankedRow) => number | string> = {
  kode: (r) => r.code,
  nama: (r) => r.name,
  aktif: (r) => r.activeKader,
  terdaftar: (r) => r.enrolled,
  hadir: (r) => r.attended,
  lulus: (r) => r.modulesPassed,
  terbit: (r) => r.issued,
  berlaku: (r) => r.certified,
  tingkat: (r) => r.rate,
  kedaluwarsa: (r) => r.expiring60,
};

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "id");

/** The rows sorted by one column ("naik" = ascending), ties by name; a new array. */
export function sortRows<R extends RankedRow>(rows: readonly R[], key: SortKey, direction: SortDirection): R[] {
  const get = SORT_FIELD[key];
  return [...rows].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "id");
    return (direction === "naik" ? c : -c) || byName(a, b);
  });
}

/** How many regions each "perlu perhatian" list names. */
export const ATTENTION_SIZE = 3;

export interface AttentionItem {
  code: string;
  name: string;
  /** The figure as shown: "12,5%" or "3 kader". */
  value: string;
}

export interface Attention {
  /** Lowest certification rate among the regions that have active kader. */
  lowest: AttentionItem[];
  /** Most certificates expiring within 60 days. */
  expiring: AttentionItem[];
  /** Most kader locked out of a quiz. */
  locked: AttentionItem[];
  /** Whether locked-out kader are counted at this level (kecamatan and desa only). */
  lockedCounted: boolean;
}

function top<T extends { name: string }>(list: readonly T[], key: (x: T) => number, dir: 1 | -1): T[] {
  return [...list].sort((a, b) => dir * (key(a) - key(b)) || byName(a, b)).slice(0, ATTENTION_SIZE);
}

const kader = (n: number) => `${formatNumber(n)} kader`;

/**
 * The "perlu perhatian" lists of a region's dashboard: the three lowest rates (regions
 * without active kader left out), the three with most certificates expiring and the three
 * with most kader locked out (`locked`: count per row code), zeros left out; ties by name.
 */
export function attentionLists(
  rows: readonly RankedRow[],
  locked: ReadonlyMap<string, number>,
  level: string,
): Attention {
  const lockedRows = rows.map((r) => ({ ...r, locked: locked.get(r.code) ?? 0 })).filter((r) => r.locked > 0);
  return {
    lowest: top(
      rows.filter((r) => r.activeKader > 0),
      (r) => r.rate,
      1,
    ).map((r) => ({ code: r.code, name: r.name, value: formatRate(r.rate) })),
    expiring: top(
      rows.filter((r) => r.expiring60 > 0),
      (r) => r.expiring60,
      -1,
    ).map((r) => ({ code: r.code, name: r.name, value: kader(r.expiring60) })),
    locked: top(lockedRows, (r) => r.locked, -1).map((r) => ({ code: r.code, name: r.name, value: kader(r.locked) })),
    lockedCounted: level === "kecamatan" || level === "desa",
  };
}
