/**
 * The nation's regions and map boundaries from the files in the repo (issue 23): a start
 * loads 38 provinsi, 514 kabupaten/kota and 7,285 kecamatan (and Kalimantan Timur's desa),
 * the 38 province and 514 kabupaten boundaries (Kalimantan Timur keeping its own, more
 * detailed files), once; the importers without a file load the same, idempotently.
 */
process.env.AKADEMI_MODE = process.env.DATABASE_URL ? "production" : "pilot";
process.env.APP_URL = "http://akademi.test";

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { boot } from "~/boot.server";
import { db, dbReady, rowsOf } from "~/db.server";
import { seedBundledBoundaries, seedBoundariesIfEmpty } from "~/features/regions/boundaries.server";
import { importBundledRegions, seedBundledRegions, seedRegionsIfEmpty } from "~/features/regions/regions.server";
import { childMap } from "~/features/reporting/map.server";

const pglite = !process.env.DATABASE_URL;

interface Fc {
  features: { properties: { code: string; name: string; level: string }; geometry: unknown }[];
}
const geo = (file: string) => JSON.parse(readFileSync(`data/batas/${file}`, "utf8")) as Fc;
const csv = readFileSync("data/wilayah/indonesia_wilayah.csv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(","));

async function levels(): Promise<Record<string, number>> {
  const rows = rowsOf<{ level: string; n: number }>(
    await db.execute(sql`select level, count(*)::int as n from regions group by level`),
  );
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
}
async function shapeLevels(): Promise<Record<string, number>> {
  const rows = rowsOf<{ level: string; n: number }>(
    await db.execute(
      sql`select r.level, count(*)::int as n from region_boundaries b join regions r on r.code = b.code group by r.level`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
}
async function geometry(code: string): Promise<unknown> {
  const [row] = rowsOf<{ geometry: unknown }>(
    await db.execute(sql`select geometry from region_boundaries where code = ${code}`),
  );
  return typeof row?.geometry === "string" ? JSON.parse(row.geometry) : row?.geometry;
}
const auditImports = async () =>
  Number(
    rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from audit_log where action = 'regions.import'`),
    )[0].n,
  );

beforeAll(async () => {
  await dbReady(); // migrations only: the start below loads the regions
}, 120_000);

describe("the nation's regions and boundaries, from the files in the repo", () => {
  it("a first start loads every provinsi, kabupaten/kota and kecamatan, Kaltim's desa and the maps", async () => {
    const lines: string[] = [];
    // A pilot without its first admin stops after the seeds (tests/pilot.test.ts); production goes on.
    await boot((l) => lines.push(l)).catch(() => undefined);
    expect(lines).toContain("Wilayah Indonesia dimuat: 8875 baris baru.");
    expect(lines).toContain("Batas wilayah (peta) dimuat: 657 wilayah.");
    expect(await levels()).toMatchObject({ provinsi: 38, kabupaten: 514, kecamatan: 7285, desa: 1038 });
    // Every row of the national file, with its name and parent.
    const rows = rowsOf<{ code: string; name: string; level: string; parent_code: string | null }>(
      await db.execute(
        sql`select code, name, level, parent_code from regions where level in ('provinsi','kabupaten','kecamatan')`,
      ),
    );
    const byCode = new Map(rows.map((r) => [r.code, [r.code, r.name, r.level, r.parent_code ?? ""]]));
    expect(csv.filter((r) => JSON.stringify(byCode.get(r[0])) !== JSON.stringify(r))).toEqual([]);
    expect(byCode.get("96.71.10")).toEqual(["96.71.10", "Maladum Mes", "kecamatan", "96.71"]);
    // Kalimantan Timur's desa come from its own file: Muara Ancalong's nine.
    const desa = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from regions where parent_code = '64.08.01'`),
    );
    expect(Number(desa[0].n)).toBe(9);
    expect(await shapeLevels()).toEqual({ provinsi: 38, kabupaten: 514, kecamatan: 105 });
  }, 120_000);

  it("Kalimantan Timur keeps its own geometry; the other kabupaten and the provinces are the national files'", async () => {
    const kaltimKab = geo("kaltim_kabupaten.geojson").features;
    const kaltimKec = geo("kaltim_kecamatan.geojson").features;
    const nationalKab = geo("indonesia_kabupaten.geojson").features;
    expect(kaltimKab).toHaveLength(10);
    for (const f of [...kaltimKab, ...kaltimKec]) expect(await geometry(f.properties.code)).toEqual(f.geometry);
    // The national file has its own 64.02, different from the one stored.
    const national6402 = nationalKab.find((f) => f.properties.code === "64.02")!;
    expect(await geometry("64.02")).not.toEqual(national6402.geometry);
    const aceh = nationalKab.find((f) => f.properties.code === "11.01")!;
    expect(await geometry("11.01")).toEqual(aceh.geometry);
    const papuaBaratDaya = geo("indonesia_provinsi.geojson").features.find((f) => f.properties.code === "96")!;
    expect(await geometry("96")).toEqual(papuaBaratDaya.geometry);
    // A province's dashboard draws its kabupaten: Aceh 23, Kalimantan Timur 10.
    expect((await childMap("11"))?.areas).toHaveLength(23);
    expect((await childMap("64"))?.areas.map((a) => a.code)).toEqual(kaltimKab.map((f) => f.properties.code).sort());
  });

  it("a second start inserts nothing and prints nothing more", async () => {
    const audits = await auditImports();
    expect(await seedBundledRegions()).toBe(0);
    expect(await seedRegionsIfEmpty()).toBe(0);
    expect(await seedBundledBoundaries()).toBe(0);
    expect(await seedBoundariesIfEmpty()).toBe(0);
    const lines: string[] = [];
    await boot((l) => lines.push(l)).catch(() => undefined);
    expect(lines.filter((l) => /Wilayah|Batas/.test(l))).toEqual([]);
    expect(await auditImports()).toBe(audits);
    expect(await levels()).toMatchObject({ provinsi: 38, kabupaten: 514, kecamatan: 7285, desa: 1038 });
  }, 120_000);

  it("a database with only Kalimantan Timur (before this change) gets the rest at its next start", async () => {
    await db.execute(sql`delete from regions where code not like '64%' and level <> 'nasional'`);
    await db.execute(sql`delete from region_boundaries where code = '64'`);
    await db.execute(sql`update regions set name = 'Provinsi Skala 64' where code = '64'`);
    expect(await levels()).toMatchObject({ provinsi: 1, kabupaten: 10, kecamatan: 105, desa: 1038 });
    expect(await seedBundledRegions()).toBe(7837 - 116);
    expect(await seedBundledBoundaries()).toBe(1 + 37 + 504);
    expect(await levels()).toMatchObject({ provinsi: 38, kabupaten: 514, kecamatan: 7285, desa: 1038 });
    expect(await shapeLevels()).toEqual({ provinsi: 38, kabupaten: 514, kecamatan: 105 });
    const [p] = rowsOf<{ name: string }>(await db.execute(sql`select name from regions where code = '64'`));
    expect(p.name).toBe("Kalimantan Timur");
  }, 120_000);

  it("a boundary already there is kept, one that is missing is added back", async () => {
    const square = {
      type: "Polygon",
      coordinates: [
        [
          [95, 5],
          [95.1, 5],
          [95.1, 5.1],
          [95, 5.1],
          [95, 5],
        ],
      ],
    };
    await db.execute(
      sql`update region_boundaries set geometry = ${JSON.stringify(square)}::jsonb where code = '11.01'`,
    );
    await db.execute(sql`delete from region_boundaries where code in ('11.02', '64.02.01')`);
    expect(await seedBundledBoundaries()).toBe(2);
    expect(await geometry("11.01")).toEqual(square);
    expect(await geometry("64.02.01")).toEqual(
      geo("kaltim_kecamatan.geojson").features.find((f) => f.properties.code === "64.02.01")!.geometry,
    );
  });

  it("importBundledRegions (regions:import without a file) is idempotent", async () => {
    const before = await levels();
    expect(await importBundledRegions()).toEqual({ inserted: 0, updated: 7837 + 1154 });
    expect(await levels()).toEqual(before);
  }, 60_000);

  it("npm run regions:import and boundaries:import without a file load the bundled files, twice the same", {
    timeout: 240_000,
  }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-nasional-cli-"));
    // A development-mode process: PGlite files under DATA_DIR (or the test's PostgreSQL database).
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", DATA_DIR: dir };
    const run = (script: string) => {
      const r = spawnSync("npx", ["tsx", script], { env, encoding: "utf8", timeout: 90_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const regions1 = run("scripts/import-regions.ts");
    const shapes1 = run("scripts/import-boundaries.ts");
    if (pglite) {
      expect(regions1).toContain("Impor wilayah bawaan selesai: 8875 wilayah baru, 116 diperbarui.");
      expect(shapes1).toContain("Impor batas bawaan selesai: 657 wilayah baru");
    }
    expect(run("scripts/import-regions.ts")).toContain(
      "Impor wilayah bawaan selesai: 0 wilayah baru, 8991 diperbarui.",
    );
    expect(run("scripts/import-boundaries.ts")).toContain("Impor batas bawaan selesai: 0 wilayah baru");
  });
});
