/**
 * Region boundaries for the dashboard map, loaded the way regions are: the bundled files
 * (data/batas/) at start, another file with `npm run boundaries:import -- file.geojson`.
 * Bundled: Kalimantan Timur's kabupaten and kecamatan (the more detailed files) and, for the
 * nation, the 38 provinces and every other kabupaten/kota (the national file's 64.* features
 * are skipped: Kalimantan Timur keeps its own geometry).
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
export const INDONESIA_PROVINSI = path.resolve("data/batas/indonesia_provinsi.geojson");
export const INDONESIA_KABUPATEN = path.resolve("data/batas/indonesia_kabupaten.geojson");

/** The bundled files and, per file, the codes it does not supply (Kaltim's come from its own files). */
export const BUNDLED_BOUNDARIES: { file: string; skip?: (code: string) => boolean }[] = [
  ...KALTIM_BOUNDARIES.map((file) => ({ file })),
  { file: INDONESIA_PROVINSI },
  { file: INDONESIA_KABUPATEN, skip: (code) => code.startsWith("64.") },
];

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

type Feature = z.infer<typeof collection>["features"][number];

/** Parses and validates a whole file: the features, or the messages. */
function parseBoundaries(text: string): { features: Feature[]; errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { features: [], errors: ["Berkas bukan JSON yang sah."] };
  }
  const parsed = collection.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      features: [],
      errors: [`Bukan GeoJSON FeatureCollection yang sah (${issue.path.join(".")}: ${issue.message}).`],
    };
  }
  const malformed = parsed.data.features.map((f) => f.properties.code).filter((c) => !isRegionCode(c));
  if (malformed.length)
    return { features: [], errors: malformed.slice(0, 20).map((c) => `Kode wilayah tidak sah: ${c}`) };
  return { features: parsed.data.features, errors: [] };
}

async function writeBoundaries(features: Feature[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < features.length; i += 200) {
      await tx
        .insert(regionBoundaries)
        .values(features.slice(i, i + 200).map((f) => ({ code: f.properties.code, geometry: f.geometry })))
        .onConflictDoUpdate({ target: regionBoundaries.code, set: { geometry: sql`excluded.geometry` } });
    }
  });
}

async function existingCodes(table: typeof regions | typeof regionBoundaries, codes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = await db
      .select({ code: table.code })
      .from(table)
      .where(inArray(table.code, codes.slice(i, i + 5000)));
    for (const r of rows) found.add(r.code);
  }
  return found;
}

/** Validates the whole file first; writes nothing when a feature is wrong. */
export async function importBoundaries(text: string): Promise<BoundaryImportResult> {
  const { features, errors } = parseBoundaries(text);
  if (errors.length) return { imported: 0, errors };
  const codes = features.map((f) => f.properties.code);
  const known = await existingCodes(regions, codes);
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length)
    return {
      imported: 0,
      errors: unknown
        .slice(0, 20)
        .map((c) => `Wilayah ${c} belum ada; impor wilayahnya dulu (npm run regions:import).`),
    };
  await writeBoundaries(features);
  return { imported: features.length, errors: [] };
}

/** The codes a bundled file holds, read without parsing the geometry (one per feature, in order). */
function codesOf(text: string): string[] {
  return [...text.matchAll(/"properties"\s*:\s*\{\s*"code"\s*:\s*"([^"]+)"/g)].map((m) => m[1]);
}

/**
 * The bundled boundaries that are missing, for regions that exist: at first start, and after
 * regions were added. Never overwrites a boundary already there (a more detailed one an
 * operator imported stays). When nothing is missing: one query per file, no geometry parsed.
 * Returns the boundaries written.
 */
export async function seedBundledBoundaries(): Promise<number> {
  let total = 0;
  for (const { file, skip } of BUNDLED_BOUNDARIES) {
    const text = readFileSync(file, "utf8");
    const wanted = codesOf(text).filter((c) => !skip?.(c));
    const have = await existingCodes(regionBoundaries, wanted);
    const missing = wanted.filter((c) => !have.has(c));
    if (!missing.length) continue;
    const known = await existingCodes(regions, missing);
    if (!known.size) continue;
    const { features, errors } = parseBoundaries(text);
    if (errors.length) throw new Error(`Batas wilayah bawaan tidak valid (${file}):\n${errors.join("\n")}`);
    const todo = features.filter(
      (f) => known.has(f.properties.code) && !have.has(f.properties.code) && !skip?.(f.properties.code),
    );
    await writeBoundaries(todo);
    total += todo.length;
  }
  return total;
}

/** Kept for callers: the bundled boundaries that are missing (seedBundledBoundaries). */
export const seedBoundariesIfEmpty = seedBundledBoundaries;
