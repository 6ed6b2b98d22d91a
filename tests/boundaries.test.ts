/** Region boundaries for the map: the bundled files load, bad files are refused whole. */
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "~/db.server";
import { importBoundaries, seedBoundariesIfEmpty } from "~/features/regions/boundaries.server";
import { childMap, project } from "~/features/reporting/map.server";
import { rowsOf } from "~/db.server";
import { setupDatabase } from "./helpers";

const square = (x: number, y: number) => ({
  type: "Polygon",
  coordinates: [
    [
      [x, y],
      [x + 0.1, y],
      [x + 0.1, y + 0.1],
      [x, y + 0.1],
      [x, y],
    ],
  ],
});
const fc = (features: unknown[]) => JSON.stringify({ type: "FeatureCollection", features });
const count = async () =>
  Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from region_boundaries`))[0].n);

beforeAll(async () => {
  await setupDatabase();
});

describe("region boundaries", () => {
  it("loads Kalimantan Timur's 10 kabupaten/kota and 105 kecamatan, and the nation's 38 provinces and 504 other kabupaten, once", async () => {
    expect(await seedBoundariesIfEmpty()).toBe(115 + 38 + 504);
    expect(await seedBoundariesIfEmpty()).toBe(0);
    expect(await count()).toBe(657);
    const kab = await childMap("64.02");
    expect(kab!.areas).toHaveLength(20);
    expect(await childMap("64.02.01")).toBeNull();
  });

  it("refuses a whole file with a malformed or unknown code, or a broken geometry, writing nothing", async () => {
    const before = await count();
    expect((await importBoundaries("{nope")).errors).toEqual(["Berkas bukan JSON yang sah."]);
    expect(
      (
        await importBoundaries(
          fc([
            { type: "Feature", properties: { code: "64.01" }, geometry: square(116, -1) },
            { type: "Feature", properties: { code: "99.99" }, geometry: square(116, -1) },
          ]),
        )
      ).errors[0],
    ).toMatch(/^Wilayah 99\.99 belum ada/);
    expect(
      (await importBoundaries(fc([{ type: "Feature", properties: { code: "x'; drop" }, geometry: square(116, -1) }])))
        .errors[0],
    ).toMatch(/^Kode wilayah tidak sah/);
    expect(
      (
        await importBoundaries(
          fc([{ type: "Feature", properties: { code: "64.01" }, geometry: { type: "Point", coordinates: [116, -1] } }]),
        )
      ).errors[0],
    ).toMatch(/^Bukan GeoJSON FeatureCollection yang sah/);
    expect(await count()).toBe(before);
  });

  it("replaces a region's boundary on import; projection keeps the aspect ratio", async () => {
    expect(
      await importBoundaries(fc([{ type: "Feature", properties: { code: "64.01" }, geometry: square(116, -1) }])),
    ).toEqual({ imported: 1, errors: [] });
    const shape = project([
      { code: "a", geometry: square(116, -1) as never },
      { code: "b", geometry: square(116.2, -1) as never },
    ]);
    expect(shape.width).toBe(600);
    expect(shape.height).toBeGreaterThan(180);
    expect(shape.height).toBeLessThan(220); // 0.3° wide, 0.1° high
    expect(shape.areas.map((a) => a.code)).toEqual(["a", "b"]);
  });
});
