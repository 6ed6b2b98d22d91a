/**
 * The dashboard map: the child regions of a region drawn as SVG paths on the server
 * (d3-geo Mercator projection, rings simplified in screen space with simplify-js and
 * rounded to whole px). Nothing of it runs in the browser.
 */
import { geoMercator } from "d3-geo";
import simplify from "simplify-js";
import { sql } from "drizzle-orm";
import { db } from "~/db.server";
import { childOf } from "~/features/regions/regions.server";
import { lru } from "~/lib/lru";
import { rowsOf } from "~/db.server";
import type { MapShape } from "~/features/reporting/figures";

type Ring = [number, number][];
type Geometry = { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };

export const MAP_WIDTH = 600;
const PAD = 4;
/**
 * Simplification tolerance and precision, in px of the 600 px wide map (a phone shows it at
 * ~350 px): 2 px and whole px halve the kabupaten and provinsi maps' gzip bytes against 1 px
 * and 0.1 px (64.02: 7.0 → 3.5 KB, 64: 8.0 → 3.0 KB) with no visible change at that size.
 */
const TOLERANCE_PX = 2;
/**
 * Drawn maps by parent region: at most MAP_CACHE_REGIONS (a kabupaten's map of kecamatan is
 * 10–40 KB of path text; the 514 kabupaten and 38 provinces would otherwise all stay), each
 * kept 10 minutes (boundaries imported meanwhile show after that).
 */
export const MAP_CACHE_REGIONS = 100;
const cache = lru<string, { shape: MapShape | null }>("peta-wilayah", MAP_CACHE_REGIONS, { maxAgeMs: 10 * 60_000 });

/** The children of `parentCode` that have a boundary, projected to fit MAP_WIDTH; null when none has one. */
export async function childMap(parentCode: string): Promise<MapShape | null> {
  const hit = cache.get(parentCode);
  if (hit) return hit.shape;
  const rows = rowsOf<{ code: string; geometry: Geometry | string }>(
    await db.execute(sql`select b.code, b.geometry from region_boundaries b join regions r on r.code = b.code
                         where ${childOf(parentCode)} order by b.code`),
  );
  const shape = rows.length
    ? project(
        rows.map((r) => ({
          code: r.code,
          geometry: typeof r.geometry === "string" ? JSON.parse(r.geometry) : r.geometry,
        })),
      )
    : null;
  cache.set(parentCode, { shape });
  return shape;
}

function polygonsOf(g: Geometry): Ring[][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

export function project(features: { code: string; geometry: Geometry }[]): MapShape {
  const mercator = geoMercator().scale(1).translate([0, 0]);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const projected = features.map((f) => ({
    code: f.code,
    polygons: polygonsOf(f.geometry).map((poly) =>
      poly.map((ring) =>
        ring.map(([lng, lat]) => {
          const [x, y] = mercator([lng, lat]) ?? [0, 0];
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          return { x, y };
        }),
      ),
    ),
  }));
  const k = (MAP_WIDTH - 2 * PAD) / Math.max(x1 - x0, 1e-9);
  const height = Math.ceil((y1 - y0) * k + 2 * PAD);
  const r = Math.round;
  const areas = projected.map((f) => {
    let d = "";
    for (const poly of f.polygons) {
      for (const ring of poly) {
        const pts = simplify(
          ring.map((p) => ({ x: (p.x - x0) * k + PAD, y: (p.y - y0) * k + PAD })),
          TOLERANCE_PX,
        );
        if (pts.length < 4) continue;
        // Whole px: neighbours that round to the same point are drawn once.
        const xy = pts.map((p) => `${r(p.x)} ${r(p.y)}`).filter((q, i, a) => i === 0 || q !== a[i - 1]);
        d += `M${xy.join("L")}Z`;
      }
    }
    return { code: f.code, d };
  });
  return { width: MAP_WIDTH, height, areas: areas.filter((a) => a.d) };
}
