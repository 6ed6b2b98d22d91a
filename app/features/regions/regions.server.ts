/** Regions: seeding, import of other provinces, and lookups within a scope. */
import { withinScope } from "~/db/scope";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { audit } from "~/audit.server";
import { db, rowsOf, sqlRows } from "~/db.server";
import { regions } from "~/db/schema";
import { parseRegionCsv, type RegionRow } from "~/features/regions/region-csv";
import { codeLineage, isRegionCode, isWithinScope, levelOfCode, NATIONAL_CODE, parentOfCode } from "~/lib/region";

export const KALTIM_CSV = path.resolve("data/wilayah/kaltim_wilayah.csv");
/** All 38 provinsi, 514 kabupaten/kota and 7,285 kecamatan (no desa; data/batas/indonesia_batas.SOURCE.md). */
export const INDONESIA_CSV = path.resolve("data/wilayah/indonesia_wilayah.csv");
/** The regions shipped with the project, in import order: the nation down to kecamatan, then Kaltim's desa. */
export const BUNDLED_REGION_FILES = [INDONESIA_CSV, KALTIM_CSV];

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
          // A province keeps its parent (the nation's row "ID", when there is one): the CSV leaves it empty.
          set: {
            name: sql`excluded.name`,
            level: sql`excluded.level`,
            parentCode: sql`coalesce(excluded.parent_code, ${regions.parentCode})`,
          },
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

/**
 * Rows that tell whether a bundled file is in the table: its provinces and its last row, by
 * code and name (so a database with other names under the same codes, e.g. an older
 * synthetic scale tree, is brought to the bundled names). Read without parsing the whole file.
 */
function bundledSentinels(text: string): RegionRow[] {
  const lines = text.split("\n").filter((l) => l.trim());
  const picked = lines
    .slice(1)
    .filter((l, i, all) => !l.slice(0, l.indexOf(",")).includes(".") || i === all.length - 1);
  const { rows, errors } = parseRegionCsv([lines[0], ...picked].join("\n"));
  if (errors.length || !rows.length) throw new Error("Data wilayah bawaan tidak valid:\n" + errors.join("\n"));
  return rows;
}

/** True when every bundled file's provinces and last row are in the table: one indexed query. */
export async function bundledRegionsPresent(texts?: string[]): Promise<boolean> {
  const want = (texts ?? BUNDLED_REGION_FILES.map((f) => readFileSync(f, "utf8"))).flatMap(bundledSentinels);
  const have = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(
      inArray(
        regions.code,
        want.map((r) => r.code),
      ),
    );
  const names = new Map(have.map((r) => [r.code, r.name]));
  return want.every((r) => names.get(r.code) === r.name);
}

/**
 * The regions shipped with the project (all of Indonesia down to kecamatan, and Kalimantan
 * Timur's desa), imported when they are not all there yet: at first start, and once on a
 * database that had only Kalimantan Timur. Otherwise one small query. Returns the rows inserted.
 */
export async function seedBundledRegions(): Promise<number> {
  const texts = BUNDLED_REGION_FILES.map((f) => readFileSync(f, "utf8"));
  if (await bundledRegionsPresent(texts)) return 0;
  return (await importBundledRegions(texts)).inserted;
}

/** Imports every bundled file (`npm run regions:import` without a file): new rows, and names brought up to date. */
export async function importBundledRegions(
  texts = BUNDLED_REGION_FILES.map((f) => readFileSync(f, "utf8")),
): Promise<{ inserted: number; updated: number }> {
  const total = { inserted: 0, updated: 0 };
  for (const [i, text] of texts.entries()) {
    const result = await importRegions(text, null);
    if (result.errors.length)
      throw new Error(`Data wilayah bawaan tidak valid (${BUNDLED_REGION_FILES[i]}):\n` + result.errors.join("\n"));
    total.inserted += result.inserted;
    total.updated += result.updated;
  }
  return total;
}

/** Kept for callers: the bundled regions when they are missing (seedBundledRegions). */
export const seedRegionsIfEmpty = seedBundledRegions;

/** A regions row: a region or the nation (level "nasional"). */
export type RegionRecord = typeof regions.$inferSelect;

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

/**
 * Breadcrumb: the region and its ancestors, province first (the nation alone for the nation);
 * with `nation`, the nation heads it (one query either way).
 */
export async function regionLineage(code: string, opts: { nation?: boolean } = {}): Promise<RegionRecord[]> {
  const codes = codeLineage(code);
  if (opts.nation && code !== NATIONAL_CODE) codes.unshift(NATIONAL_CODE);
  const rows = await db.select().from(regions).where(inArray(regions.code, codes));
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return codes.flatMap((c) => byCode.get(c) ?? []);
}

/** SQL: "this regions row (alias `r`) is a child of `code`": the provinces are the nation's children. */
export function childOf(code: string, alias = "r"): SQL {
  return code === NATIONAL_CODE
    ? sql`${sql.raw(alias)}.level = 'provinsi'`
    : sql`${sql.raw(alias)}.parent_code = ${code}`;
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
