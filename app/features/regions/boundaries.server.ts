/**
 * Region boundaries for the dashboard map, loaded the way regions are: the bundled
 * Kalimantan Timur files (data/batas/) at first start, another province with
 * `npm run boundaries:import -- file.geojson`.
 *
 * Format: a GeoJSON FeatureCollection (WGS84, [lng, lat]); each feature a Polygon or
 * MultiPolygon with properties `code` (a Kemendagri code already in the regions table,
 * kabupaten/kota or kecamatan) and optionally `name` and `level`. A region may be missing:
 * the dashboard then shows ranked bars instead of a map for its parent.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "~/db.server";
import { regionBoundaries, regions } from "~/db/schema";
import { isRegionCode } from "~/lib/region";

export const KALTIM_BOUNDARIES = ["data/batas/kaltim_kabupaten.geojson", "data/batas/kaltim_kecamatan.geojson"].map(
  (f) => path.resolve(f),
);

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const ring = z.array(position).min(4);
const geometry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Polygon"), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);
const collection = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    z.object({ type: z.literal("Feature"), properties: z.object({ code: z.string() }).passthrough(), geometry }),
  ),
});

export interface BoundaryImportResult {
  imported: number;
  errors: string[];
}

/** Validates the whole file first; writes nothing when a feature is wrong. */
export async function importBoundaries(text: string): Promise<BoundaryImportResult> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { imported: 0, errors: ["Berkas bukan JSON yang sah."] };
  }
  const parsed = collection.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      imported: 0,
      errors: [`Bukan GeoJSON FeatureCollection yang sah (${issue.path.join(".")}: ${issue.message}).`],
    };
  }
  const features = parsed.data.features;
  const codes = features.map((f) => f.properties.code);
  const malformed = codes.filter((c) => !isRegionCode(c));
  if (malformed.length)
    return { imported: 0, errors: malformed.slice(0, 20).map((c) => `Kode wilayah tidak sah: ${c}`) };
  const known = new Set(
    (await db.select({ code: regions.code }).from(regions).where(inArray(regions.code, codes))).map((r) => r.code),
  );
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length)
    return {
      imported: 0,
      errors: unknown
        .slice(0, 20)
        .map((c) => `Wilayah ${c} belum ada; impor wilayahnya dulu (npm run regions:import).`),
    };
  await db.transaction(async (tx) => {
    for (let i = 0; i < features.length; i += 200) {
      await tx
        .insert(regionBoundaries)
        .values(features.slice(i, i + 200).map((f) => ({ code: f.properties.code, geometry: f.geometry })))
        .onConflictDoUpdate({ target: regionBoundaries.code, set: { geometry: sql`excluded.geometry` } });
    }
  });
  return { imported: features.length, errors: [] };
}

/** The bundled Kalimantan Timur boundaries, once, when the province's regions exist and it has none yet. */
export async function seedBoundariesIfEmpty(): Promise<number> {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(regionBoundaries)
    .where(sql`${regionBoundaries.code} like '64.%'`);
  if (Number(n) > 0) return 0;
  const [{ r }] = await db.select({ r: sql<number>`count(*)::int` }).from(regions).where(sql`${regions.code} = '64'`);
  if (!Number(r)) return 0;
  let total = 0;
  for (const file of KALTIM_BOUNDARIES) {
    const result = await importBoundaries(readFileSync(file, "utf8"));
    if (result.errors.length)
      throw new Error(`Batas wilayah bawaan tidak valid (${file}):\n${result.errors.join("\n")}`);
    total += result.imported;
  }
  return total;
}
