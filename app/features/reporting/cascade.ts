/**
 * The training cascade (issue 20), pure: from the facts that cascade.server.ts reads, per area
 * (each row of the dashboard and the region itself) four rates with numerator and denominator:
 * - kecamatan: kecamatan whose Tim Pembina kecamatan is certified / kecamatan in the area;
 * - desa: desa whose Tim Pembina desa is certified / desa in the area;
 * - posyandu: active posyandu with at least one certified kader / active posyandu;
 * - kader: the dashboard's own figure (certified / activeKader, figures.ts).
 * "Certified" is one spelling (cascade.server.ts, certValidOn): a certificate not revoked, valid
 * through its expiry date (WITA) today, of an active user. And the places where the chain breaks.
 */
import { formatNumber } from "~/lib/number-format";
import { ATTENTION_SIZE, type AttentionItem } from "~/features/reporting/dashboard-rank";

export const CASCADE_LEVELS = ["kecamatan", "desa", "posyandu", "kader"] as const;
export type CascadeLevel = (typeof CASCADE_LEVELS)[number];
/** What the map colours: `?peta=` (dashboard.server.ts parses it). */
export const MAP_LEVELS = ["kader", "kecamatan", "desa", "posyandu"] as const;
export type MapLevel = (typeof MAP_LEVELS)[number];

export interface Ratio {
  n: number;
  d: number;
}
export type Cascade = Record<CascadeLevel, Ratio>;

/** Short labels (table head, map switch) and the legend of each level. */
export const CASCADE_LABEL: Record<CascadeLevel, { short: string; long: string }> = {
  kecamatan: { short: "Tim kecamatan", long: "Kecamatan dengan Tim Pembina kecamatan bersertifikat" },
  desa: { short: "Tim desa", long: "Desa dengan Tim Pembina desa bersertifikat" },
  posyandu: { short: "Posyandu", long: "Posyandu aktif dengan ≥1 kader bersertifikat" },
  kader: { short: "Kader", long: "Kader aktif bersertifikat" },
};

/** The facts of a region, read by cascadeSource (cascade.server.ts). */
export interface CascadeFacts {
  /** Every kecamatan and desa in the region (the region itself included): is its team certified? */
  teams: { code: string; level: "kecamatan" | "desa"; certified: boolean }[];
  /**
   * Active posyandu per desa on a kecamatan's dashboard, per posyandu on a desa's (key =
   * posyandu id), per kecamatan above (`desaCode` = the kecamatan's code: nothing there is per desa).
   */
  posyandu: { key: string; desaCode: string; total: number; certified: number }[];
}

/** The levels a region's dashboard shows: a desa's has no kecamatan below it. */
export function levelsFor(regionLevel: string): CascadeLevel[] {
  return regionLevel === "desa" ? ["desa", "posyandu", "kader"] : [...CASCADE_LEVELS];
}

/** The levels the map can colour (its areas are kabupaten, kecamatan or desa). */
export function mapLevelsFor(regionLevel: string): MapLevel[] {
  if (regionLevel === "desa") return ["kader"];
  return regionLevel === "kecamatan" ? ["kader", "desa", "posyandu"] : [...MAP_LEVELS];
}

export const rateOf = (r: Ratio): number | null => (r.d > 0 ? r.n / r.d : null);

/** "3 dari 12 (25,0%)", or "–" when nothing is counted. */
export function formatRatio(r: Ratio): string {
  if (r.d <= 0) return "–";
  const p = formatNumber((r.n / r.d) * 100, 1, 1);
  return `${formatNumber(r.n)} dari ${formatNumber(r.d)} (${p}%)`;
}

// Kemendagri codes have fixed widths (REGION_CODE_RE: 64, 64.08, 64.08.01, 64.08.01.2001), so
// the first n segments are a prefix of known length: no split per fact (the nation walks ~90,000).
const SEGMENT_END = [0, 2, 5, 8, 13];
const segments = (code: string, n: number) => code.slice(0, SEGMENT_END[n]);
const depth = (code: string) => SEGMENT_END.indexOf(code.length);
const zero = (): Ratio => ({ n: 0, d: 0 });
const empty = (): Omit<Cascade, "kader"> => ({ kecamatan: zero(), desa: zero(), posyandu: zero() });

/**
 * The cascade per row and for the region. Rows are child regions (their code a prefix of every
 * code below) or, on a desa's dashboard, posyandu (key = id; "-" = kader without posyandu).
 * `kader` per row code: the dashboard's certified / activeKader.
 */
export function cascadeOf(
  facts: CascadeFacts,
  region: { code: string; level: string },
  rowCodes: readonly string[],
  kader: ReadonlyMap<string, Ratio>,
  kaderTotal: Ratio,
): { rows: Record<string, Cascade>; totals: Cascade } {
  const byPosyandu = region.level === "desa";
  // The rows are one level below the region: the provinces below the nation.
  const rowDepth = region.level === "nasional" ? 1 : depth(region.code) + 1;
  const parts = new Map<string, Omit<Cascade, "kader">>(rowCodes.map((c) => [c, empty()]));
  const totals = empty();
  const add = (part: Omit<Cascade, "kader"> | undefined, level: keyof Omit<Cascade, "kader">, n: number, d: number) => {
    if (!part) return;
    part[level].n += n;
    part[level].d += d;
  };
  for (const t of facts.teams) {
    add(totals, t.level, t.certified ? 1 : 0, 1);
    if (!byPosyandu && depth(t.code) >= rowDepth)
      add(parts.get(segments(t.code, rowDepth)), t.level, t.certified ? 1 : 0, 1);
  }
  for (const p of facts.posyandu) {
    add(totals, "posyandu", p.certified, p.total);
    add(parts.get(byPosyandu ? p.key : segments(p.desaCode, rowDepth)), "posyandu", p.certified, p.total);
  }
  const rows: Record<string, Cascade> = {};
  for (const [code, part] of parts) rows[code] = { ...part, kader: kader.get(code) ?? zero() };
  return { rows, totals: { ...totals, kader: kaderTotal } };
}

/** A place where the chain breaks: its team is certified but the level below mostly not, or the reverse. */
export interface ChainBreak {
  /** The kecamatan, desa or posyandu concerned. */
  code: string;
  kind: "bawah" | "atas";
  /** The level below: certified / total. */
  below: Ratio;
}

/**
 * Where the chain breaks, by unit: a kecamatan (its team vs its desa teams) on the provinsi and
 * kabupaten dashboards, a desa (its team vs its posyandu with a certified kader) on a
 * kecamatan's; on a desa's, its posyandu without any certified kader while the desa team is
 * certified. "bawah": the team is certified but fewer than half below are (none, for a
 * posyandu's kader); "atas": some below are certified but the team is not.
 */
export function chainBreaks(facts: CascadeFacts, region: { code: string; level: string }): ChainBreak[] {
  const team = new Map(facts.teams.map((t) => [t.code, t.certified]));
  const out: ChainBreak[] = [];
  if (region.level === "desa") {
    if (!team.get(region.code)) return [];
    for (const p of facts.posyandu)
      if (p.total > 0 && p.certified === 0) out.push({ code: p.key, kind: "bawah", below: { n: 0, d: p.total } });
    return out;
  }
  const unitLevel = region.level === "kecamatan" ? "desa" : "kecamatan";
  const below = new Map<string, Ratio>();
  for (const t of facts.teams.filter((x) => x.level === unitLevel)) below.set(t.code, zero());
  if (unitLevel === "kecamatan") {
    for (const t of facts.teams.filter((x) => x.level === "desa")) {
      const r = below.get(segments(t.code, 3));
      if (r) {
        r.d += 1;
        r.n += t.certified ? 1 : 0;
      }
    }
  } else {
    for (const p of facts.posyandu) {
      const r = below.get(p.desaCode);
      if (r) {
        r.d += p.total;
        r.n += p.certified;
      }
    }
  }
  for (const [code, r] of below) {
    if (team.get(code) && r.d > 0 && r.n * 2 < r.d) out.push({ code, kind: "bawah", below: r });
    else if (!team.get(code) && r.n > 0) out.push({ code, kind: "atas", below: r });
  }
  return out;
}

/**
 * The "perlu perhatian" list of the chain (ATTENTION_SIZE long): on a provinsi dashboard each
 * kabupaten with its number of broken kecamatan (most first); below it the units themselves
 * (rows, or the kecamatan inside a kabupaten), the lowest share below first, then the "atas"
 * ones with most certified below.
 */
export function chainAttention(
  breaks: readonly ChainBreak[],
  region: { code: string; level: string },
  nameOf: (code: string) => string | undefined,
): AttentionItem[] {
  const unit = region.level === "kecamatan" ? "desa" : region.level === "desa" ? "posyandu" : "kecamatan";
  if (region.level === "provinsi" || region.level === "nasional") {
    // Per row (a kabupaten of the province, a province of the nation): how many kecamatan break.
    const rowDepth = region.level === "nasional" ? 1 : 2;
    const per = new Map<string, number>();
    for (const b of breaks) per.set(segments(b.code, rowDepth), (per.get(segments(b.code, rowDepth)) ?? 0) + 1);
    return [...per]
      .map(([code, k]) => ({ code, name: nameOf(code) ?? code, k }))
      .sort((a, b) => b.k - a.k || a.name.localeCompare(b.name, "id"))
      .slice(0, ATTENTION_SIZE)
      .map((x) => ({ code: x.code, name: x.name, value: `${x.k} kecamatan rantainya terputus` }));
  }
  const score = (b: ChainBreak) => (b.kind === "bawah" ? b.below.n / b.below.d : 1 + 1 / (1 + b.below.n));
  const lower = unit === "kecamatan" ? "tim desa" : unit === "desa" ? "posyandu" : "kader";
  return [...breaks]
    .sort((a, b) => score(a) - score(b) || a.code.localeCompare(b.code))
    .slice(0, ATTENTION_SIZE)
    .map((b) => ({
      code: b.code,
      name: nameOf(b.code) ?? b.code,
      value:
        unit === "posyandu"
          ? "tim desa bersertifikat, belum ada kader bersertifikat"
          : b.kind === "bawah"
            ? `tim ${unit} bersertifikat, ${lower} ${b.below.n} dari ${b.below.d}`
            : `${lower} bersertifikat ${b.below.n} dari ${b.below.d}, tim ${unit} belum`,
    }));
}

/**
 * The teams' and posyandu's part of a region's cascade (everything but the kader ratios, which
 * come from the report): per row (`rows`: the dashboard's rows, codes and names), for the
 * region, and the "perlu perhatian" list of the chain. Small (one entry per row, ATTENTION_SIZE
 * items) whatever the size of the facts: the nation's are cached as this (cascade.server.ts).
 */
export function cascadeParts(
  facts: CascadeFacts,
  region: { code: string; level: string },
  rows: readonly { code: string; name: string }[],
) {
  const zero = { n: 0, d: 0 };
  const { rows: byRow, totals } = cascadeOf(
    facts,
    region,
    rows.map((r) => r.code),
    new Map(),
    zero,
  );
  const names = new Map(rows.map((r) => [r.code, r.name]));
  return {
    rows: byRow,
    totals,
    attention: chainAttention(chainBreaks(facts, region), region, (code) => names.get(code)),
  };
}

export type CascadeParts = ReturnType<typeof cascadeParts>;

/**
 * The cascade of a dashboard region: the levels shown, per row and for the region, and the
 * "perlu perhatian" list of the chain. `parts`: cascadeParts of the region's facts for the
 * report's rows; `report`: the region's figures (regionReport), whose certified / activeKader
 * is the kader level.
 */
export function cascadeView(
  parts: CascadeParts,
  region: { code: string; level: string },
  report: {
    rows: readonly { code: string; name: string; certified: number; activeKader: number }[];
    totals: { certified: number; activeKader: number };
  },
) {
  const rows: Record<string, Cascade> = {};
  for (const r of report.rows) rows[r.code] = { ...parts.rows[r.code], kader: { n: r.certified, d: r.activeKader } };
  return {
    levels: levelsFor(region.level),
    rows,
    totals: { ...parts.totals, kader: { n: report.totals.certified, d: report.totals.activeKader } },
    attention: parts.attention,
  };
}

export type CascadeView = ReturnType<typeof cascadeView>;
