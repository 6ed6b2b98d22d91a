/**
 * The dashboard map: the child regions of a region drawn as SVG paths on the server
 * (d3-geo Mercator projection, rings simplified in screen space with simplify-js and
 * rounded to 0.1 px). Nothing of it runs in the browser.
 */
import { geoMercator } from "d3-geo";
import simplify from "simplify-js";
import { sql } from "drizzle-orm";
import { db } from "~/db.server";
import { rowsOf } from "~/db.server";
import type { MapShape } from "~/features/reporting/figures";

type Ring = [number, number][];
type Geometry = { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };

export const MAP_WIDTH = 600;
const PAD = 4;
const TOLERANCE_PX = 1;
const cache = new Map<string, { at: number; shape: MapShape | null }>();
const CACHE_MS = 10 * 60_000;

/** The children of `parentCode` that have a boundary, projected to fit MAP_WIDTH; null when none has one. */
export async function childMap(parentCode: string): Promise<MapShape | null> {
  const hit = cache.get(parentCode);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.shape;
  const rows = rowsOf<{ code: string; geometry: Geometry | string }>(
    await db.execute(sql`select b.code, b.geometry from region_boundaries b join regions r on r.code = b.code
                         where r.parent_code = ${parentCode} order by b.code`),
  );
  const shape = rows.length
    ? project(
        rows.map((r) => ({
          code: r.code,
          geometry: typeof r.geometry === "string" ? JSON.parse(r.geometry) : r.geometry,
        })),
      )
    : null;
  cache.set(parentCode, { at: Date.now(), shape });
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
  const r = (v: number) => Math.round(v * 10) / 10;
  const areas = projected.map((f) => {
    let d = "";
    for (const poly of f.polygons) {
      for (const ring of poly) {
        const pts = simplify(
          ring.map((p) => ({ x: (p.x - x0) * k + PAD, y: (p.y - y0) * k + PAD })),
          TOLERANCE_PX,
        );
        if (pts.length < 4) continue;
        d += `M${pts.map((p) => `${r(p.x)} ${r(p.y)}`).join("L")}Z`;
      }
    }
    return { code: f.code, d };
  });
  return { width: MAP_WIDTH, height, areas: areas.filter((a) => a.d) };
}
