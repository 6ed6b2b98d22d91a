/** Migrations, the bundled region data and the region import, on PGlite or PostgreSQL. */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { db, dbKind, dbReady, sqlRows } from "~/db.server";
import { auditLog, regions } from "~/db/schema";
import { importRegions, KALTIM_CSV, regionLineage, seedRegionsIfEmpty } from "~/features/regions/regions.server";
import { parseRegionCsv } from "~/features/regions/region-csv";
import { isWithinScope } from "~/lib/region";

beforeAll(async () => {
  await dbReady();
});

describe("migrations", () => {
  it("create every table with the scope indexes", async () => {
    const tables = (
      await sqlRows<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      )
    ).map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining(["audit_log", "posyandu", "rate_limits", "regions", "sessions", "users"]),
    );
    const idx = await sqlRows<{ indexdef: string }>(
      sql`select indexdef from pg_indexes where indexname = 'users_scope_prefix_idx'`,
    );
    expect(idx[0].indexdef).toContain("text_pattern_ops");
    expect(["pglite", "postgres"]).toContain(dbKind());
  });

  it("are recorded and re-running them is a no-op", async () => {
    const applied = await sqlRows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(Number(applied[0].n)).toBeGreaterThanOrEqual(1);
    const { closeDb } = await import("~/db.server");
    if (dbKind() === "postgres") {
      await closeDb();
      await dbReady(); // a second process start applies nothing new
      const again = await sqlRows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(again[0].n).toBe(applied[0].n);
    }
  });
});

describe("regions", () => {
  it("seeds the real codes once: Indonesia down to kecamatan, Kalimantan Timur down to desa", async () => {
    expect(await seedRegionsIfEmpty()).toBe(7837 + 1038);
    expect(await seedRegionsIfEmpty()).toBe(0);
    const byLevel = await db.select({ level: regions.level, n: count() }).from(regions).groupBy(regions.level);
    expect(Object.fromEntries(byLevel.map((r) => [r.level, r.n]))).toEqual({
      nasional: 1, // the nation's row (migration 0019)
      provinsi: 38,
      kabupaten: 514,
      kecamatan: 7285,
      desa: 1038,
    });
    const [ma] = await db.select().from(regions).where(eq(regions.code, "64.08.01"));
    expect(ma).toMatchObject({ name: "Muara Ancalong", level: "kecamatan", parentCode: "64.08" });
    expect((await regionLineage("64.08.01.2001")).map((r) => r.name)).toEqual([
      "Kalimantan Timur",
      "Kabupaten Kutai Timur",
      "Muara Ancalong",
      "Senyiur",
    ]);
  });

  it("scope prefixes do not leak into sibling codes", () => {
    expect(isWithinScope("64.08.01.2001", "64.08")).toBe(true);
    expect(isWithinScope("64.08", "64.08")).toBe(true);
    expect(isWithinScope("64.081", "64.08")).toBe(false);
    expect(isWithinScope("64.02.01", "64.08")).toBe(false);
  });

  it("imports another province from the same CSV format, all or nothing", async () => {
    const good = [
      "code,name,level,parent_code",
      "65,Kalimantan Utara,provinsi,",
      "65.01,Kabupaten Malinau,kabupaten,65",
      "65.01.01,Malinau Kota,kecamatan,65.01",
      "65.01.01.1001,Malinau Kota,desa,65.01.01",
    ].join("\n");
    const r = await importRegions(good, null);
    // The province, kabupaten and kecamatan are bundled already; the desa is new.
    expect(r).toEqual({ inserted: 1, updated: 3, errors: [] });
    const again = await importRegions(good, null);
    expect(again).toEqual({ inserted: 0, updated: 4, errors: [] });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "regions.import")).limit(1);
    expect(entry).toBeTruthy();

    const [{ n: before }] = await db.select({ n: count() }).from(regions);
    const bad = [
      "code,name,level,parent_code",
      "66,Provinsi Baru,provinsi,",
      "66.01,Kabupaten Satu,kecamatan,66",
      "66.02,,kabupaten,66",
      "66.03.01,Kecamatan Yatim,kecamatan,66.03",
      "6x.01,Salah,kabupaten,6x",
      "66,Provinsi Baru,provinsi,",
    ].join("\n");
    const res = await importRegions(bad, null);
    expect(res.inserted).toBe(0);
    expect(res.errors).toEqual([
      'Baris 3: level "kecamatan" tidak cocok dengan kode 66.01.',
      "Baris 4: nama wajib diisi.",
      "Baris 6: kode wilayah tidak valid (contoh: 64.08.01.2001).",
      "Baris 7: kode 66 muncul lebih dari sekali.",
    ]);
    const orphan = await importRegions("code,name,level,parent_code\n66.03.01,Kecamatan Yatim,kecamatan,66.03\n", null);
    expect(orphan.errors).toEqual(["Baris 2: wilayah induk 66.03 tidak ada."]);
    const [{ n: after }] = await db.select({ n: count() }).from(regions);
    expect(after).toBe(before);
  });

  it("rejects a file with the wrong columns", () => {
    expect(parseRegionCsv("kode,nama\n64,Kaltim\n").errors[0]).toMatch(
      /^Baris 1: kolom harus code,name,level,parent_code/,
    );
  });

  it("the bundled CSV is valid and its names with apostrophes survive", () => {
    const { rows, errors } = parseRegionCsv(readFileSync(KALTIM_CSV, "utf8"));
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(1154);
    expect(rows.some((r) => r.name === "Long La'ai")).toBe(true);
  });
});
