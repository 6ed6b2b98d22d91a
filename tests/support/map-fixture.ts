/**
 * A demo-like map for tests of the dashboard map: Kutai Kartanegara's 20 kecamatan from the
 * bundled boundaries (projected as the dashboard does), with today's demo-like rates (all
 * below 20%, one kecamatan without kader).
 */
import { readFileSync } from "node:fs";
import { project } from "~/features/reporting/map.server";
import type { MapShape } from "~/features/reporting/figures";

export function kukarShape(): { shape: MapShape; names: Map<string, string> } {
  const fc = JSON.parse(readFileSync("data/batas/kaltim_kecamatan.geojson", "utf8")) as {
    features: {
      properties: { code: string; name: string };
      geometry: Parameters<typeof project>[0][number]["geometry"];
    }[];
  };
  const features = fc.features.filter((f) => f.properties.code.startsWith("64.02."));
  return {
    shape: project(features.map((f) => ({ code: f.properties.code, geometry: f.geometry }))),
    names: new Map(features.map((f) => [f.properties.code, f.properties.name])),
  };
}

/** Demo-like rates: 0% to 19.6% (45 of 230), and 64.02.20 without kader. */
export function kukarRows() {
  const { shape, names } = kukarShape();
  const rows = shape.areas.map((a, i) => {
    const activeKader = a.code === "64.02.20" ? 0 : i === 4 ? 230 : 150 + ((i * 37) % 120);
    const certified = i === 4 ? 45 : activeKader ? Math.round(activeKader * ((i * 7) % 20) * 0.0098) : 0;
    return {
      code: a.code,
      name: names.get(a.code) ?? a.code,
      rate: activeKader ? certified / activeKader : 0,
      certified,
      activeKader,
      href: `/dasbor/${a.code}`,
    };
  });
  return { shape, rows };
}
