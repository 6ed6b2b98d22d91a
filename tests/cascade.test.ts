/**
 * Issue 20: the training cascade on the dashboards. Every figure (kecamatan and desa with a
 * certified Tim Pembina, posyandu with a certified kader, kader certified) equals a
 * recomputation from the base tables, at every level, after pembina and kader certificates are
 * issued and revoked; the map switch, the "rantai pembinaan terputus" list and the exports
 * show them; a pembina kabupaten of another kabupaten is refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rowsOf } from "~/db.server";
import { certificates } from "~/db/schema";
import { content, pembinaProgramme } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { refreshKaderProgress } from "~/features/projection/projection.server";
import { formatRatio, type Cascade } from "~/features/reporting/cascade";
import { seedBoundariesIfEmpty } from "~/features/regions/boundaries.server";
import Dasbor, * as dasbor from "~/routes/dasbor.$region._index";
import * as dasborCsv from "~/routes/dasbor.$region.csv";
import * as dasborXlsx from "~/routes/dasbor.$region.xlsx";
import ExcelJS from "exceljs";
import { afterWrite, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { htmlText, renderPage } from "./support/render-page";

const DAY = 86_400_000;
const KEC1 = "64.08.01";
const KEC2 = "64.08.02";
const D1 = "64.08.01.2001";
const D2 = "64.08.01.2002";
const D3 = "64.08.02.2001";
const KADER_P = content().defaultProgramme.id;
const PEMBINA_P = pembinaProgramme()!.id;
let seq = 0;
let admin: string;
let dpmd: string;
let otherKab: string;
const u: Record<string, string> = {};
const cert: Record<string, number> = {};

async function certify(userId: string, programmeId: string, expiresInDays = 300): Promise<number> {
  seq += 1;
  const [row] = await db
    .insert(certificates)
    .values({
      code: `AP-C${String(seq).padStart(3, "0")}-XYZW`,
      userId,
      programmeId,
      cycle: 1 + seq,
      issuedAt: new Date(Date.now() - 10 * DAY),
      expiresAt: new Date(Date.now() + expiresInDays * DAY),
      issuingRegion: "64.08",
      payload: {},
      signature: "x",
    })
    .returning({ id: certificates.id });
  await refreshKaderProgress([userId]);
  return row.id;
}

async function revoke(id: number) {
  const [c] = await db
    .update(certificates)
    .set({ revokedAt: new Date(), revokedReason: "uji pencabutan" })
    .where(eq(certificates.id, id))
    .returning({ userId: certificates.userId });
  await refreshKaderProgress([c.userId]);
}

/** The cascade recomputed from the base tables alone (regions, posyandu, users, certificates). */
async function recompute(area: string): Promise<Omit<Cascade, "kader"> & { kader: { n: number; d: number } }> {
  const q = async (s: ReturnType<typeof sql>) => Number(rowsOf<{ n: number }>(await db.execute(s))[0].n);
  const inArea = (col: string) => sql.raw(`(${col} = '${area}' or ${col} like '${area}.%')`);
  const valid = (c: string) =>
    sql.raw(`${c}.revoked_at is null and ${c}.expires_at > now() and ${c}.programme_id = '${KADER_P}'`);
  const teams = async (level: "kecamatan" | "desa") => ({
    n: await q(sql`select count(*)::int as n from regions r where r.level = ${level} and ${inArea("r.code")}
      and exists (select 1 from users p join certificates c on c.user_id = p.id where p.scope_code = r.code
        and p.role = ${`pembina_${level}`} and p.active and c.programme_id = ${PEMBINA_P} and c.revoked_at is null and c.expires_at > now())`),
    d: await q(sql`select count(*)::int as n from regions r where r.level = ${level} and ${inArea("r.code")}`),
  });
  const certifiedKader = sql`k.role = 'kader' and k.active and exists (select 1 from certificates c where c.user_id = k.id and ${valid("c")}
    and c.cycle = (select max(c2.cycle) from certificates c2 where c2.user_id = k.id and c2.programme_id = c.programme_id and c2.revoked_at is null))`;
  return {
    kecamatan: await teams("kecamatan"),
    desa: await teams("desa"),
    posyandu: {
      n: await q(sql`select count(*)::int as n from posyandu p where p.active and ${inArea("p.desa_code")}
        and exists (select 1 from users k where k.posyandu_id = p.id and ${certifiedKader})`),
      d: await q(sql`select count(*)::int as n from posyandu p where p.active and ${inArea("p.desa_code")}`),
    },
    kader: {
      n: await q(sql`select count(*)::int as n from users k where ${inArea("k.scope_code")} and ${certifiedKader}`),
      d: await q(
        sql`select count(*)::int as n from users k where k.role = 'kader' and k.active and ${inArea("k.scope_code")}`,
      ),
    },
  };
}

// Figures after writes: viewed as the browser that wrote (the dashboard cache has its own tests).
const page = async (code: string, cookie: string, qs = "") =>
  call(dasbor.loader, makeRequest(`/dasbor/${code}${qs}`, { cookie: afterWrite(cookie) }), { region: code });

/** Every row and the total of a dashboard against the recomputation (posyandu rows: by hand). */
async function expectExact(code: string) {
  const res = await page(code, admin);
  expect(res.status).toBe(200);
  const c = res.data.cascade as { rows: Record<string, Cascade>; totals: Cascade; levels: string[] };
  expect(c.totals).toEqual(await recompute(code));
  for (const r of res.data.rows as { code: string }[]) {
    if (code.split(".").length === 4) continue; // posyandu rows: checked in their own test
    expect(c.rows[r.code], r.code).toEqual(await recompute(r.code));
  }
  return res;
}

beforeAll(async () => {
  await setupDatabase();
  await seedBoundariesIfEmpty();
  admin = await sessionCookie((await makeUser({ role: "admin", scopeCode: "64" })).id);
  dpmd = await sessionCookie((await makeUser({ role: "dpmd", scopeCode: "64.08" })).id);
  otherKab = await sessionCookie((await makeUser({ role: "pembina_kabupaten", scopeCode: "64.02" })).id);
  const p1 = await makePosyandu({ name: "Posyandu Mawar", desaCode: D1 });
  const p2 = await makePosyandu({ name: "Posyandu Melati", desaCode: D1 });
  const p3 = await makePosyandu({ name: "Posyandu Anggrek", desaCode: D2 });
  const p4 = await makePosyandu({ name: "Posyandu Kenanga", desaCode: D3 });
  await makePosyandu({ name: "Posyandu Tutup", desaCode: D1, active: false });
  const kader = async (name: string, desa: string, p: number, active = true) =>
    (await makeUser({ name, role: "kader", scopeCode: desa, posyanduId: p, active })).id;
  u.k1 = await kader("Kader Satu", D1, p1);
  u.k2 = await kader("Kader Dua", D1, p1);
  u.k3 = await kader("Kader Tiga", D2, p3);
  u.k4 = await kader("Kader Empat", D3, p4);
  u.k5 = await kader("Kader Nonaktif", D1, p2, false);
  u.k6 = await kader("Kader Enam", D1, p2);
  await refreshKaderProgress(Object.values(u));
  const pembina = async (role: "pembina_kecamatan" | "pembina_desa", scope: string, active = true) =>
    (await makeUser({ role, scopeCode: scope, active })).id;
  u.pk1 = await pembina("pembina_kecamatan", KEC1);
  u.pk2 = await pembina("pembina_kecamatan", KEC2);
  u.pd1 = await pembina("pembina_desa", D1);
  u.pd2 = await pembina("pembina_desa", D2);
  u.pd3 = await pembina("pembina_desa", D3, false); // inactive: her certificate does not count
  u.pd3b = await pembina("pembina_desa", D3);
  // Certificates: KEC1's team and D1's; D3's inactive pembina; an expired one for D2;
  // a kader certificate of the pembina programme counts for nothing.
  cert.pk1 = await certify(u.pk1, PEMBINA_P);
  cert.pd1 = await certify(u.pd1, PEMBINA_P);
  cert.pd3 = await certify(u.pd3, PEMBINA_P);
  cert.pd2 = await certify(u.pd2, PEMBINA_P, -2);
  cert.k1 = await certify(u.k1, KADER_P);
  cert.k3 = await certify(u.k3, KADER_P);
  cert.k5 = await certify(u.k5, KADER_P); // inactive kader
  cert.k6 = await certify(u.k6, KADER_P, -1); // expired
}, 120_000);

describe("the cascade figures", () => {
  it("equal a recomputation from the base tables at every level", async () => {
    const kec = await expectExact(KEC1);
    expect(kec.data.cascade.totals.kecamatan).toEqual({ n: 1, d: 1 });
    expect(kec.data.cascade.rows[D1].desa).toEqual({ n: 1, d: 1 });
    expect(kec.data.cascade.rows[D1].posyandu).toEqual({ n: 1, d: 2 }); // Mawar yes, Melati no, Tutup not active
    expect(kec.data.cascade.rows[D2].desa).toEqual({ n: 0, d: 1 }); // expired
    await expectExact("64.08");
    await expectExact("64");
    const desa = await expectExact(D1);
    expect(desa.data.cascade.levels).toEqual(["desa", "posyandu", "kader"]);
    const byName = new Map((desa.data.rows as { code: string; name: string }[]).map((r) => [r.name, r.code]));
    expect(desa.data.cascade.rows[byName.get("Posyandu Mawar")!].posyandu).toEqual({ n: 1, d: 1 });
    expect(desa.data.cascade.rows[byName.get("Posyandu Melati")!].posyandu).toEqual({ n: 0, d: 1 });
    expect(desa.data.cascade.rows[byName.get("Posyandu Mawar")!].kader).toEqual({ n: 1, d: 2 });
  });

  it("follow certify and revoke of pembina and kader", async () => {
    await revoke(cert.pk1);
    await revoke(cert.k1);
    cert.pd2b = await certify(u.pd2, PEMBINA_P);
    cert.pd3b = await certify(u.pd3b, PEMBINA_P);
    cert.k4 = await certify(u.k4, KADER_P);
    const kab = await expectExact("64.08");
    expect(kab.data.cascade.rows[KEC1].kecamatan).toEqual({ n: 0, d: 1 });
    expect(kab.data.cascade.rows[KEC2].desa.n).toBe(1);
    const kec = await expectExact(KEC1);
    expect(kec.data.cascade.rows[D1].posyandu).toEqual({ n: 0, d: 2 });
    await expectExact("64");
    await expectExact(D1);
    cert.pk2 = await certify(u.pk2, PEMBINA_P);
    cert.pk1b = await certify(u.pk1, PEMBINA_P);
    await expectExact("64.08");
    await expectExact(KEC2);
  });
});

describe("the dashboard page", () => {
  it("lists where the chain breaks under perlu perhatian", async () => {
    // Now: KEC1 and KEC2 teams certified. KEC1: 2 of its desa teams certified (D1, D2) of many;
    // KEC2: D3's team of many. Then KEC2's team revoked: its desa team certified, its own not.
    await revoke(cert.pk2);
    const res = await page("64.08", dpmd);
    const chain = res.data.attention.chain as { code: string; value: string }[];
    const kec1 = chain.find((c) => c.code === KEC1);
    const kec2 = chain.find((c) => c.code === KEC2);
    expect(kec1?.value).toMatch(/^tim kecamatan bersertifikat, tim desa 2 dari \d+$/);
    expect(kec2?.value).toMatch(/^tim desa bersertifikat 1 dari \d+, tim kecamatan belum$/);
    const text = htmlText(await renderPage(Dasbor, res.data, "/dasbor/64.08"));
    expect(text).toContain("Rantai pembinaan terputus");
    expect(text).toMatch(/Muara Ancalong ?: tim kecamatan bersertifikat, tim desa 2 dari \d+/);
    const prov = await page("64", admin);
    expect(prov.data.attention.chain[0]).toEqual({
      code: "64.08",
      name: expect.any(String),
      value: "2 kecamatan rantainya terputus",
    });
    // A kecamatan: desa whose team is certified but whose posyandu have no certified kader.
    const kec = await page(KEC1, admin);
    expect(kec.data.attention.chain.map((c: { code: string }) => c.code)).toContain(D1);
  });

  it("shows the cascade table and a map switch kept with the other parameters", async () => {
    const res = await page("64", admin, "?program=kader-6-spm&peta=desa&tahun=2026");
    expect(res.data.peta).toBe("desa");
    const html = await renderPage(Dasbor, res.data, "/dasbor/64?program=kader-6-spm&peta=desa&tahun=2026");
    const text = htmlText(html);
    expect(text).toContain("Kaskade pembinaan");
    expect(html).toContain('data-testid="map-switch"');
    expect(html).toMatch(/href="\/dasbor\/64\?program=kader-6-spm&amp;peta=kecamatan&amp;tahun=2026"/);
    expect(html).toMatch(/href="\/dasbor\/64\?program=kader-6-spm&amp;tahun=2026"/); // kader: the default
    expect(text).toContain("Desa dengan Tim Pembina desa bersertifikat:"); // the legend says which
    const t = res.data.cascade.rows["64.08"].desa;
    expect(text).toContain(formatRatio(t));
    // A bad value falls back to the kader rate; "kecamatan" makes no map on a kecamatan page.
    expect((await page("64", admin, "?peta=semua")).data.peta).toBe("kader");
    expect((await page(KEC1, admin, "?peta=kecamatan")).data.peta).toBe("kader");
    expect(formatRatio({ n: 0, d: 0 })).toBe("–");
    expect(formatRatio({ n: 1, d: 4 })).toBe("1 dari 4 (25,0%)");
  });

  it("refuses a pembina kabupaten of another kabupaten", async () => {
    expect((await page("64.08", otherKab)).status).toBe(403);
    expect(
      (await call(dasborCsv.loader, makeRequest("/dasbor/64.08.csv", { cookie: otherKab }), { region: "64.08" }))
        .status,
    ).toBe(403);
    expect((await page("64.02", otherKab)).status).toBe(200);
  });
});

describe("exports", () => {
  it("the CSV and XLSX hold numerator and denominator of each level", async () => {
    const res = await call(dasborCsv.loader, makeRequest("/dasbor/64.08.csv", { cookie: dpmd }), { region: "64.08" });
    const lines = String(res.data)
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    const at = lines.indexOf("Kaskade pembinaan");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1].split(";")).toEqual([
      "Kode",
      "Nama",
      "Tim kecamatan: bersertifikat",
      "Tim kecamatan: jumlah",
      "Tim desa: bersertifikat",
      "Tim desa: jumlah",
      "Posyandu: bersertifikat",
      "Posyandu: jumlah",
      "Kader: bersertifikat",
      "Kader: jumlah",
    ]);
    const e = await recompute(KEC1);
    const values = [e.kecamatan, e.desa, e.posyandu, e.kader].flatMap((r) => [r.n, r.d]);
    const row = lines.slice(at).find((l) => l.startsWith(`${KEC1};`))!;
    expect(row.split(";").slice(2).map(Number)).toEqual(values);
    const x = (await dasborXlsx.loader({
      request: makeRequest("/dasbor/64.08.xlsx", { cookie: dpmd }),
      params: { region: "64.08" },
      context: { clientIp: "x" },
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const ws = wb.getWorksheet("Kaskade")!;
    const xrow = ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(1).value === KEC1)!;
    expect([3, 4, 5, 6, 7, 8, 9, 10].map((i) => xrow.getCell(i).value)).toEqual(values);
  });
});
