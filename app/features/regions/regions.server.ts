/** Regions: seeding, import of other provinces, and lookups within a scope. */
import { withinScope } from "~/db/scope";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { audit } from "~/audit.server";
import { db, rowsOf, sqlRows } from "~/db.server";
import { regions } from "~/db/schema";
import { parseRegionCsv, type RegionRow } from "~/features/regions/region-csv";
import { codeLineage, isRegionCode, isWithinScope, levelOfCode, parentOfCode } from "~/lib/region";

export const KALTIM_CSV = path.resolve("data/wilayah/kaltim_wilayah.csv");

export async function regionCount(): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(regions);
  return row.n;
}

export interface RegionImportResult {
  inserted: number;
  updated: number;
  errors: string[];
}

/**
 * Imports regions from CSV text in one transaction: all rows or none. A row whose
 * parent is neither in the file nor in the table is an error.
 */
export async function importRegions(text: string, actorId: string | null): Promise<RegionImportResult> {
  const { rows, errors } = parseRegionCsv(text);
  if (errors.length) return { inserted: 0, updated: 0, errors };
  if (!rows.length) return { inserted: 0, updated: 0, errors: ["Berkas tidak berisi baris data."] };
  const inFile = new Set(rows.map((r) => r.code));
  const parents = [...new Set(rows.map((r) => r.parentCode).filter((p): p is string => !!p && !inFile.has(p)))];
  const known = parents.length
    ? new Set(
        (await db.select({ code: regions.code }).from(regions).where(inArray(regions.code, parents))).map(
          (r) => r.code,
        ),
      )
    : new Set<string>();
  const orphanErrors = rows
    .map((r, i) =>
      r.parentCode && !inFile.has(r.parentCode) && !known.has(r.parentCode)
        ? `Baris ${i + 2}: wilayah induk ${r.parentCode} tidak ada.`
        : null,
    )
    .filter((e): e is string => e !== null);
  if (orphanErrors.length) return { inserted: 0, updated: 0, errors: orphanErrors };

  const existing = new Set(
    (
      await db
        .select({ code: regions.code })
        .from(regions)
        .where(inArray(regions.code, [...inFile]))
    ).map((r) => r.code),
  );
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await tx
        .insert(regions)
        .values(chunk)
        .onConflictDoUpdate({
          target: regions.code,
          set: { name: sql`excluded.name`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code` },
        });
    }
    const provinces = [...new Set(rows.map((r) => r.code.split(".")[0]))];
    await audit(
      {
        actorId,
        action: "regions.import",
        entity: "region",
        entityId: provinces.join(","),
        regionCode: provinces.length === 1 ? provinces[0] : null,
        detail: { rows: rows.length, inserted: rows.length - existing.size, updated: existing.size },
      },
      tx,
    );
  });
  return { inserted: rows.length - existing.size, updated: existing.size, errors: [] };
}

/** First start: the Kalimantan Timur regions shipped with the project. */
export async function seedRegionsIfEmpty(): Promise<number> {
  if ((await regionCount()) > 0) return 0;
  const result = await importRegions(readFileSync(KALTIM_CSV, "utf8"), null);
  if (result.errors.length) throw new Error("Data wilayah bawaan tidak valid:\n" + result.errors.join("\n"));
  return result.inserted;
}

export type RegionRecord = RegionRow;

export async function getRegion(code: string): Promise<RegionRecord | undefined> {
  const [row] = await db.select().from(regions).where(eq(regions.code, code));
  return row;
}

/** All regions inside a scope (for pickers), in code order. */
export async function regionsInScope(scope: string, levels?: RegionRecord["level"][]): Promise<RegionRecord[]> {
  return db
    .select()
    .from(regions)
    .where(and(withinScope(regions.code, scope), levels?.length ? inArray(regions.level, levels) : undefined))
    .orderBy(asc(regions.code));
}

/** Breadcrumb: the region and its ancestors, province first. */
export async function regionLineage(code: string): Promise<RegionRecord[]> {
  return db
    .select()
    .from(regions)
    .where(inArray(regions.code, codeLineage(code)))
    .orderBy(asc(regions.code));
}

/** Desa/kelurahan inside a scope with their kecamatan, for pickers. */
export async function desaOptions(scope: string): Promise<{ code: string; name: string; kecamatan: string }[]> {
  const rows = await sqlRows<{ code: string; name: string; kecamatan: string }>(sql`
      select d.code, d.name, k.name as kecamatan from regions d join regions k on k.code = d.parent_code
      where d.level = 'desa' and ${withinScope(sql`d.code`, scope)} order by d.code`);
  return rows;
}

export interface DesaPicker {
  /** The kecamatan whose desa are offered; null when the scope is a kecamatan or desa (no choice needed) or none is chosen yet. */
  kecamatan: string | null;
  /** Kecamatan to choose from (with their kabupaten), when the scope is wider than a kecamatan. */
  kecamatanOptions: { code: string; name: string; kabupaten: string }[];
  desa: { code: string; name: string; kecamatan: string }[];
}

/**
 * The desa choice of a form, limited to the editor's scope: within a kecamatan all its
 * desa; above it (kabupaten, province: a thousand desa, too long for a phone) the
 * kecamatan is chosen first (`kecamatan`, or the one of `current`) and only its desa listed.
 */
export async function desaPicker(
  scope: string,
  kecamatan?: string | null,
  current?: string | null,
): Promise<DesaPicker> {
  const level = levelOfCode(scope);
  if (level === "kecamatan" || level === "desa")
    return { kecamatan: null, kecamatanOptions: [], desa: await desaOptions(scope) };
  const pick =
    [kecamatan, current ? parentOfCode(current) : null].find(
      (c): c is string => !!c && isRegionCode(c) && levelOfCode(c) === "kecamatan" && isWithinScope(c, scope),
    ) ?? null;
  const kecamatanOptions = rowsOf<{ code: string; name: string; kabupaten: string }>(
    await db.execute(sql`
      select k.code, k.name, b.name as kabupaten from regions k join regions b on b.code = k.parent_code
      where k.level = 'kecamatan' and ${withinScope(sql`k.code`, scope)} order by k.code`),
  );
  return { kecamatan: pick, kecamatanOptions, desa: pick ? await desaOptions(pick) : [] };
}
