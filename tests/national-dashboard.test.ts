/**
 * Issue 23: the national level. The nation is a regions row ('ID') whose children are the
 * provinces; every rollup has a national row kept by the same triggers; an admin at the root
 * sees the 38 provinces (here the ones in the test database) with the hero rate, table, trend,
 * map and exports, and drills down; nobody below the root reaches it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rowsOf } from "~/db.server";
import { certificates, users } from "~/db/schema";
import { content } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { refreshKaderProgress, reportingMismatches } from "~/features/projection/projection.server";
import { importBoundaries } from "~/features/regions/boundaries.server";
import { scopeLevelMatches } from "~/lib/roles";
import type { Lru } from "~/lib/lru";
import { isWithinScope, NATIONAL_CODE } from "~/lib/region";
import Dasbor, * as dasbor from "~/routes/dasbor.$region._index";
import * as dasborIndex from "~/routes/dasbor._index";
import * as dasborCsv from "~/routes/dasbor.$region.csv";
import { afterWrite, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { insertCertificate as certify } from "./certification-helpers";
import { htmlText, renderPage } from "./support/render-page";

const DAY = 86_400_000;
const KADER_P = content().defaultProgramme.id;
// A second province beside Kalimantan Timur (inserted here when the bundled regions lack it).
const KALSEL = [
  ["63", "Kalimantan Selatan", "provinsi", null],
  ["63.01", "Kabupaten Tanah Laut", "kabupaten", "63"],
  ["63.01.01", "Takisung", "kecamatan", "63.01"],
  ["63.01.01.2001", "Desa Uji Takisung", "desa", "63.01.01"],
] as const;
const D64 = "64.08.01.2001";
const D63 = "63.01.01.2001";
let national: string;
let provinceAdmin: string;
let dpmd: string;

/** Active kader and those holding a valid certificate, counted from users and certificates alone. */
async function recount(): Promise<{ active: number; certified: number }> {
  const [r] = rowsOf<{ active: number; certified: number }>(
    await db.execute(sql`select count(*)::int as active,
      count(*) filter (where exists (select 1 from certificates c where c.user_id = u.id and c.programme_id = ${KADER_P}
        and c.revoked_at is null and c.expires_at > now()))::int as certified
      from users u where u.role = 'kader' and u.active`),
  );
  return { active: Number(r.active), certified: Number(r.certified) };
}

const square = (code: string, x: number) => ({
  type: "Feature",
  properties: { code },
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [x, -1],
        [x + 1, -1],
        [x + 1, 0],
        [x, 0],
        [x, -1],
      ],
    ],
  },
});

beforeAll(async () => {
  await setupDatabase();
  for (const [code, name, level, parent] of KALSEL)
    await db.execute(
      sql`insert into regions (code, name, level, parent_code) values (${code}, ${name}, ${level}, ${parent}) on conflict do nothing`,
    );
  national = await sessionCookie((await makeUser({ role: "admin", scopeCode: NATIONAL_CODE })).id);
  provinceAdmin = await sessionCookie((await makeUser({ role: "admin", scopeCode: "64" })).id);
  dpmd = await sessionCookie((await makeUser({ role: "dpmd", scopeCode: "64.08" })).id);
  const p64 = await makePosyandu({ name: "Posyandu Nasional A", desaCode: D64 });
  const p63 = await makePosyandu({ name: "Posyandu Nasional B", desaCode: D63 });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push((await makeUser({ role: "kader", scopeCode: D64, posyanduId: p64, spmBidang: "kesehatan" })).id);
  for (let i = 0; i < 2; i++)
    ids.push((await makeUser({ role: "kader", scopeCode: D63, posyanduId: p63, spmBidang: "sosial" })).id);
  await refreshKaderProgress(ids);
  await certify(ids[0]);
  await certify(ids[3]);
  await certify(ids[4], -3); // expired: not counted as certified
  const boundaries = await importBoundaries(
    JSON.stringify({ type: "FeatureCollection", features: [square("63", 114), square("64", 116)] }),
  );
  expect(boundaries.errors).toEqual([]);
}, 120_000);

// Figures after writes: viewed as the browser that wrote (the dashboard cache has its own tests).
const page = (code: string, cookie: string, qs = "") =>
  call(dasbor.loader, makeRequest(`/dasbor/${code}${qs}`, { cookie: afterWrite(cookie) }), { region: code });

describe("the national scope", () => {
  it("contains every region, and only an admin may hold it", () => {
    expect(isWithinScope("63.01.01.2001", NATIONAL_CODE)).toBe(true);
    expect(isWithinScope(NATIONAL_CODE, "64")).toBe(false);
    expect(scopeLevelMatches("admin", NATIONAL_CODE)).toBe(true);
    expect(scopeLevelMatches("dpmd", NATIONAL_CODE)).toBe(false);
    expect(scopeLevelMatches("admin", "64")).toBe(true);
  });

  it("is refused to a province admin and a DPMD; a province outside one's own is refused too", async () => {
    expect((await page(NATIONAL_CODE, provinceAdmin)).status).toBe(403);
    expect((await page(NATIONAL_CODE, dpmd)).status).toBe(403);
    expect((await page("63", provinceAdmin)).status).toBe(403);
    expect(
      (await call(dasborCsv.loader, makeRequest(`/dasbor/ID/csv`, { cookie: dpmd }), { region: "ID" })).status,
    ).toBe(403);
  });
});

describe("the national dashboard", () => {
  it("lists the provinces, whose figures sum to the nation's, equal to a recount", async () => {
    expect((await call(dasborIndex.loader, makeRequest("/dasbor", { cookie: national }))).location).toBe("/dasbor/ID");
    const res = await page(NATIONAL_CODE, national);
    expect(res.status).toBe(200);
    expect(res.data.rowLevel).toBe("provinsi");
    const rows = res.data.rows as { code: string; level: string; activeKader: number; certified: number }[];
    expect(rows.every((r) => r.level === "provinsi")).toBe(true);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get("63")).toMatchObject({ activeKader: 2, certified: 1 });
    const truth = await recount();
    expect(res.data.totals.activeKader).toBe(truth.active);
    expect(res.data.totals.certified).toBe(truth.certified);
    expect(rows.reduce((s, r) => s + r.activeKader, 0)).toBe(truth.active);
    expect(rows.reduce((s, r) => s + r.certified, 0)).toBe(truth.certified);
    // The trend's last point is today: the national rows of stats_flow.
    const last = res.data.trend.at(-1) as { activeKader: number; certified: number };
    expect(last).toMatchObject({ activeKader: truth.active, certified: truth.certified });
    // The bidang split of the nation.
    const sosial = (res.data.bidang as { label: string; activeKader: number }[]).find((b) => b.label === "Sosial");
    expect(sosial?.activeKader).toBeGreaterThanOrEqual(2);
    // The map of Indonesia: the provinces with a boundary.
    expect((res.data.map.areas as { code: string }[]).map((a) => a.code).sort()).toEqual(
      expect.arrayContaining(["63", "64"]),
    );
    // The cascade's rows are the provinces.
    expect(Object.keys(res.data.cascade.rows).sort()).toEqual(rows.map((r) => r.code).sort());
    expect(res.data.cascade.totals.kader).toEqual({ n: truth.certified, d: truth.active });
    const text = htmlText(await renderPage(Dasbor, res.data, "/dasbor/ID"));
    expect(text).toContain("Dasbor Indonesia");
    expect(text).toContain("per provinsi");
    expect(text).toContain("Kalimantan Selatan");
  });

  it("stays equal to a recomputation after writes (the triggers keep the national rows)", async () => {
    const [k] = await db.select({ id: users.id }).from(users).where(eq(users.scopeCode, D63)).limit(1);
    await db.update(users).set({ active: false }).where(eq(users.id, k.id));
    await refreshKaderProgress([k.id]);
    const res = await page(NATIONAL_CODE, national);
    const truth = await recount();
    expect(res.data.totals.activeKader).toBe(truth.active);
    expect(res.data.totals.certified).toBe(truth.certified);
    expect(await reportingMismatches()).toEqual([]);
  });

  it("drills down into a province with the nation in the breadcrumb", async () => {
    const res = await page("63", national);
    expect(res.status).toBe(200);
    expect((res.data.lineage as { code: string }[]).map((l) => l.code)).toEqual(["ID", "63"]);
    const nat = await page(NATIONAL_CODE, national);
    expect((nat.data.lineage as { code: string; name: string }[])[0]).toEqual({ code: "ID", name: "Indonesia" });
  });

  it("warns of kabupaten issuing without a signatory: the first five counted, the rest as a number", async () => {
    // Certificates (of a revoked-later kader: they count as issued) at eight kabupaten, none with a signatory.
    const holder = (await makeUser({ role: "kader", scopeCode: D64 })).id;
    const kab = ["63.01", "64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11"];
    for (const [i, code] of kab.entries())
      for (let j = 0; j <= i % 3; j++)
        await db.insert(certificates).values({
          code: `AP-U${i}${j}00-XYZW`,
          userId: holder,
          programmeId: KADER_P,
          cycle: 10 + i * 3 + j,
          issuedAt: new Date(),
          expiresAt: new Date(Date.now() + 300 * DAY),
          issuingRegion: code,
          payload: {},
          signature: "x",
        });
    const truth = rowsOf<{ code: string; n: number }>(
      await db.execute(sql`select r.code, count(c.id)::int as n from regions r join certificates c on c.issuing_region = r.code
        and c.revoked_at is null and coalesce(c.payload->>'signatoryName', '') = ''
        where r.level = 'kabupaten' and not exists (select 1 from certificate_signatories s where s.kabupaten_code = r.code)
        group by 1 order by 1`),
    );
    expect(truth.length).toBeGreaterThan(5);
    const res = await page(NATIONAL_CODE, national);
    const unsigned = res.data.unsigned as { code: string; message: string }[];
    expect(unsigned.map((u) => u.code)).toEqual([...truth.slice(0, 5).map((t) => t.code), "+"]);
    for (const [i, t] of truth.slice(0, 5).entries()) expect(unsigned[i].message).toContain(`${t.n} sertifikat`);
    expect(unsigned[5].message).toBe(`Dan ${truth.length - 5} kabupaten/kota lain tanpa penandatangan.`);
    // A kabupaten's own page names only itself.
    const kabPage = await page("64.02", national);
    expect((kabPage.data.unsigned as { code: string }[]).map((u) => u.code)).toEqual(["64.02"]);
  });

  it("exports the provinces as CSV", async () => {
    const res = await call(dasborCsv.loader, makeRequest("/dasbor/ID/csv", { cookie: national }), { region: "ID" });
    expect(res.status).toBe(200);
    const text = typeof res.data === "string" ? res.data : String(res.data);
    expect(text).toContain("Kalimantan Selatan");
    expect(text).toContain("Kalimantan Timur");
  });
  it("keeps the nation's cascade as its parts per province, not its facts; renamed provinces make them again", async () => {
    type Kept = Record<string, unknown> & { rows: string; parts: { rows: Record<string, unknown> } };
    const kept = () => {
      const cache = (globalThis as unknown as { __akademiCaches: Map<string, Lru<string, Kept>> }).__akademiCaches.get(
        "national-cascade",
      )!;
      return cache.keys().map((k) => cache.get(k)!);
    };
    const res = await page(NATIONAL_CODE, national);
    const cascade = res.data.cascade as {
      rows: Record<string, { kecamatan: unknown; desa: unknown; posyandu: unknown }>;
    };
    const [entry] = kept();
    // One entry per province and the attention list: not every kecamatan, desa and posyandu of the country.
    expect(Object.keys(entry).sort()).toEqual(["parts", "rows"]);
    expect(Object.keys(entry.parts.rows).sort()).toEqual(Object.keys(cascade.rows).sort());
    for (const [code, row] of Object.entries(cascade.rows))
      expect(entry.parts.rows[code]).toMatchObject({
        kecamatan: row.kecamatan,
        desa: row.desa,
        posyandu: row.posyandu,
      });
    expect(JSON.stringify(entry).length).toBeLessThan(200 * Object.keys(cascade.rows).length + 2000);
    // A province renamed: the kept parts are for other rows, so they are made again (then kept).
    await db.execute(sql`update regions set name = 'Kalimantan Selatan (uji)' where code = '63'`);
    try {
      const again = await page(NATIONAL_CODE, national);
      expect(JSON.stringify(again.data.rows)).toContain("Kalimantan Selatan (uji)");
      expect(kept().some((e) => e.rows.includes("63=Kalimantan Selatan (uji)"))).toBe(true);
    } finally {
      await db.execute(sql`update regions set name = 'Kalimantan Selatan' where code = '63'`);
    }
  });
});
