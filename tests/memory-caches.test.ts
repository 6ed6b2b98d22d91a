/**
 * Every in-process cache is bounded (issue 23, "Memory"): after more distinct lookups than
 * its limit, each holds exactly its limit (app/lib/lru.ts), the most recent entries.
 */
import { copyFileSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rowsOf } from "~/db.server";
import { compiledModule, getModule, MODULE_CACHE_VERSIONS } from "~/features/catalogue/content.server";
import { moduleHtml, moduleSections } from "~/features/catalogue/mdx.server";
import { seedBoundariesIfEmpty } from "~/features/regions/boundaries.server";
import { childMap, MAP_CACHE_REGIONS } from "~/features/reporting/map.server";
import { caches } from "~/lib/lru";
import { setupDatabase } from "./helpers";

const entries = (name: string) => caches().find((c) => c.name === name);

beforeAll(async () => {
  await setupDatabase();
  await seedBoundariesIfEmpty();
});

describe("the dashboard map cache", () => {
  it(`holds at most MAP_CACHE_REGIONS (${MAP_CACHE_REGIONS}) regions after more lookups, the latest ones`, async () => {
    const codes = rowsOf<{ code: string }>(
      await db.execute(sql`select code from regions where code like '64.%' order by length(code), code
                           limit ${MAP_CACHE_REGIONS + 15}`),
    ).map((r) => r.code);
    expect(codes.length).toBe(MAP_CACHE_REGIONS + 15);
    for (const code of codes) await childMap(code);
    expect(entries("peta-wilayah")).toMatchObject({ size: MAP_CACHE_REGIONS, limit: MAP_CACHE_REGIONS });
    // A kabupaten looked up again is drawn again (it was dropped) and cached once more.
    const kab = await childMap(codes[1]);
    expect(kab?.areas.length).toBeGreaterThan(0);
    expect(entries("peta-wilayah")?.size).toBe(MAP_CACHE_REGIONS);
  });
});

describe("the module caches (compiled MDX, HTML, sections)", () => {
  const slug = "spm-kesehatan";
  const versions = Array.from({ length: MODULE_CACHE_VERSIONS + 6 }, (_, i) => `lru-test-${i}`);
  const cacheDir = path.resolve(".cache", "mdx");
  afterAll(() => {
    for (const v of versions) rmSync(path.join(cacheDir, `${slug}-${v}.js`), { force: true });
  });

  it(`hold at most MODULE_CACHE_VERSIONS (${MODULE_CACHE_VERSIONS}) versions after more versions were rendered`, async () => {
    const mod = getModule(slug)!;
    await compiledModule(mod); // compiled once, on disk
    const compiled = path.join(cacheDir, `${slug}-${mod.hash}.js`);
    expect(existsSync(compiled)).toBe(true);
    // More versions than the limit (the same text under other hashes, as edits in development would).
    for (const v of versions) {
      copyFileSync(compiled, path.join(cacheDir, `${slug}-${v}.js`));
      await moduleSections({ ...mod, hash: v });
    }
    for (const name of ["mdx-terkompilasi", "modul-html", "modul-bagian"])
      expect(entries(name), name).toMatchObject({ size: MODULE_CACHE_VERSIONS, limit: MODULE_CACHE_VERSIONS });
    // The latest version is still served from the cache: the same promise.
    const last = { ...mod, hash: versions.at(-1)! };
    expect(moduleHtml(last)).toBe(moduleHtml(last));
  });
});
