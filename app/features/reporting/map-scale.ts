/**
 * The dashboard map's scale and geometry helpers, pure (no React, no database):
 * - rateScale: class breaks chosen from the rates actually present, so that areas that differ
 *   get different colours (e.g. 0% and 19,6% today, when every rate is under 20%);
 * - MAP_PALETTE: a sequential, colour-blind-safe palette (viridis, light = low);
 * - labelPoint: where an area's number goes;
 * - niceTicks: round axis ticks for the trend line.
 */
import { formatNumber } from "~/lib/number-format";

/**
 * viridis in 5 steps, lightest (lowest rate) first. Adjacent steps differ by CIEDE2000
 * ≥ 13 with normal vision and simulated deuteranopia, protanopia and tritanopia
 * (tests/map-scale.test.tsx).
 */
export const MAP_PALETTE = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"] as const;

/** "tanpa kader": a light grey hatch with a dashed border, never a colour of the scale. */
export const NO_KADER = { background: "#f5f5f4", stripe: "#d6d3d1", border: "#57534e" } as const;

export const MAX_CLASSES = 5;

/** Candidate breaks in whole percent: finer at the low end, where today's rates are. */
const CANDIDATES = [1, 2, 3, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90];

export interface RateClass {
  /** Lowest rate of the class (fraction); for the "0%" class 0, for the class after it just above 0. */
  from: number;
  /** Upper bound, exclusive (fraction); null for the last class. */
  to: number | null;
  label: string;
  fill: string;
}

export interface RateScale {
  classes: RateClass[];
  /** The class of a rate (areas with kader only). */
  classOf(rate: number): RateClass;
}

/** A rate as shown on the page, in tenths of a percent (19,6% → 196): classes agree with the labels. */
const tenths = (rate: number) => Math.round(rate * 1000);

const pct = (t: number) => `${formatNumber(t / 10, undefined, 1)}%`;

const lexLess = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

/**
 * Classes of the certification rate for the areas present (pass the rates of the areas WITH
 * active kader). At most MAX_CLASSES, every class holds at least one area, breaks are round
 * whole percents. A rate of exactly 0% (shown "0,0%") has a class of its own whenever one is
 * present; the other breaks are the round candidates that split the rest most evenly (a
 * quantile classing snapped to round numbers), preferring multiples of 10, then of 5.
 */
export function rateScale(rates: number[], maxClasses = MAX_CLASSES): RateScale {
  const values = rates.map(tenths).filter((t) => Number.isFinite(t));
  const hasZero = values.some((t) => t <= 0);
  const positive = values.filter((t) => t > 0).sort((a, b) => a - b);
  const room = Math.max(1, maxClasses - (hasZero ? 1 : 0));
  // Only candidates that fall between two of the values present can separate anything.
  const useful = CANDIDATES.map((c) => c * 10).filter(
    (b) => positive.some((t) => t < b) && positive.some((t) => t >= b),
  );
  let best: number[] = [];
  let bestKey: number[] | null = null;
  const consider = (breaks: number[]) => {
    const counts = new Array(breaks.length + 1).fill(0);
    for (const t of positive) counts[breaks.filter((b) => t >= b).length]++;
    if (counts.some((n) => n === 0)) return;
    // More classes first, then the most even split, then the rounder breaks.
    const key = [
      -breaks.length,
      counts.reduce((s, n) => s + n * n, 0),
      breaks.reduce((s, b) => s + (b % 100 === 0 ? 0 : b % 50 === 0 ? 1 : 2), 0),
    ];
    if (!bestKey || lexLess(key, bestKey)) {
      bestKey = key;
      best = breaks;
    }
  };
  const choose = (start: number, picked: number[]) => {
    consider(picked);
    if (picked.length === room - 1) return;
    for (let i = start; i < useful.length; i++) choose(i + 1, [...picked, useful[i]]);
  };
  if (positive.length) choose(0, []);

  const bounds: { from: number; to: number | null }[] = [];
  if (hasZero) bounds.push({ from: 0, to: 0 });
  if (positive.length) {
    const lows = [hasZero ? 1 : 0, ...best];
    for (let i = 0; i < lows.length; i++) bounds.push({ from: lows[i], to: i + 1 < lows.length ? lows[i + 1] : null });
  }
  if (!bounds.length) bounds.push({ from: 0, to: 0 });
  const n = bounds.length;
  const classes: RateClass[] = bounds.map((b, i) => ({
    from: b.from / 1000,
    to: b.to === null ? null : b.to / 1000,
    label:
      b.to === 0
        ? "0%"
        : b.to === null
          ? b.from <= 1
            ? "> 0%"
            : `≥ ${pct(b.from)}`
          : `${pct(b.from)}–${pct(b.to - 1)}`.replace(/%–/, "–"),
    fill: MAP_PALETTE[n === 1 ? 0 : Math.round((i * (MAP_PALETTE.length - 1)) / (n - 1))],
  }));
  return {
    classes,
    classOf(rate: number) {
      const t = tenths(rate);
      if (t <= 0) return classes[0];
      for (let i = classes.length - 1; i >= 0; i--) {
        const c = classes[i];
        if (c.to !== 0 && t >= tenths(c.from)) return c;
      }
      return classes[classes.length - 1];
    },
  };
}

type Pt = [number, number];

function ringsOf(d: string): Pt[][] {
  return d
    .split("M")
    .filter((s) => s.trim())
    .map((s) =>
      s
        .replace(/Z/gi, "")
        .split("L")
        .map(
          (p) =>
            p
              .trim()
              .split(/[\s,]+/)
              .map(Number) as Pt,
        )
        .filter((p) => p.length === 2 && p.every(Number.isFinite)),
    )
    .filter((r) => r.length >= 3);
}

function inside([x, y]: Pt, ring: Pt[]): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/**
 * Where to draw an area's number: the centroid of its largest ring (an SVG path of
 * "M x yL x y … Z" rings, as map.server.ts draws them), or, when that falls outside the
 * ring (a crescent-shaped area), the middle of the widest stretch of the ring on the
 * centroid's horizontal line. Rounded to whole pixels.
 */
export function labelPoint(d: string): Pt | null {
  let best: { ring: Pt[]; area: number; cx: number; cy: number } | null = null;
  for (const ring of ringsOf(d)) {
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      a += cross;
      cx += (ring[j][0] + ring[i][0]) * cross;
      cy += (ring[j][1] + ring[i][1]) * cross;
    }
    if (a === 0) continue;
    if (!best || Math.abs(a) > best.area) best = { ring, area: Math.abs(a), cx: cx / (3 * a), cy: cy / (3 * a) };
  }
  if (!best) return null;
  const { ring, cx, cy } = best;
  if (inside([cx, cy], ring)) return [Math.round(cx), Math.round(cy)];
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > cy !== yj > cy) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
  }
  xs.sort((p, q) => p - q);
  let mid = cx;
  let widest = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > widest) {
      widest = xs[i + 1] - xs[i];
      mid = (xs[i] + xs[i + 1]) / 2;
    }
  }
  return [Math.round(mid), Math.round(cy)];
}

/**
 * Round axis ticks from 0 to at least `max`: a step of 1, 2, 2,5, 5 or 10 × 10^k giving
 * about `count` intervals (0%, 10%, 20%, 30% for a maximum of 25,3%).
 */
export function niceTicks(max: number, count = 4): number[] {
  const target = max > 0 ? max / count : 1;
  const pow = 10 ** Math.floor(Math.log10(target));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * pow >= target - 1e-12) ?? 10) * pow;
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}
