/**
 * The dashboard figures on a small region built by hand: every figure at every level,
 * exact after writes, after time passes, and with the period and bidang filters.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { db, rowsOf } from "~/db.server";
import { attendance, certificates, enrolments, moduleProgress, users, workshops } from "~/db/schema";
import { content } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import {
  regionReport,
  bidangBreakdown,
  certifiedPerMonth,
  posyanduKader,
  rateTrend,
  type ReportFilter,
} from "~/features/reporting/reports.server";
import { todayWita } from "~/lib/timezone";
import { refreshKaderProgress } from "~/features/projection/projection.server";
import type { Figures } from "~/features/reporting/figures";
import * as dasbor from "~/routes/dasbor.$region._index";
import * as dasborCsv from "~/routes/dasbor.$region.csv";
import * as dasborXlsx from "~/routes/dasbor.$region.xlsx";
import * as dasborPos from "~/routes/dasbor.$region.posyandu.$id";
import { afterWrite, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { seedBoundariesIfEmpty } from "~/features/regions/boundaries.server";
import { quizAttempts } from "~/db/schema";

const DAY = 86_400_000;
const D1 = "64.08.01.2001";
const D2 = "64.08.01.2002";
const D3 = "64.08.02.2001";
const P = content().defaultProgramme;
const now = new Date();
let k: Record<string, string> = {};
let pos: Record<string, number> = {};
const certId: Record<string, number> = {};
let creator: string;
let _workshopId: number;

const filter = (o: Partial<ReportFilter> = {}): ReportFilter => ({
  programmeId: P.id,
  year: null,
  bidang: null,
  today: todayWita(),
  ...o,
});
const R = (code: string, name: string, level: "provinsi" | "kabupaten" | "kecamatan" | "desa") => ({
  code,
  name,
  level,
});

function figures(
  active: number,
  enrolled: number,
  attended: number,
  modulesPassed: number,
  issued: number,
  certified: number,
  expiring60: number,
): Figures {
  return {
    activeKader: active,
    enrolled,
    attended,
    modulesPassed,
    issued,
    certified,
    expiring60,
    rate: active ? certified / active : 0,
  };
}

async function passModules(userId: string, count: number, at: Date) {
  for (const slug of P.requiredModules.slice(0, count)) {
    await db
      .insert(moduleProgress)
      .values({ userId, slug, contentHash: "x", openedAt: at, completedAt: at, bestScore: 90, passedAt: at });
  }
}

async function certify(userId: string, issued: Date, expires: Date, cycle = 1): Promise<number> {
  const [row] = await db
    .insert(certificates)
    .values({
      code: `AP-T${userId.slice(0, 3).toUpperCase()}-${cycle}XYZ`,
      userId,
      programmeId: P.id,
      cycle,
      issuedAt: issued,
      expiresAt: expires,
      issuingRegion: "64.08",
      payload: {},
      signature: "x",
    })
    .returning({ id: certificates.id });
  return row.id;
}

beforeAll(async () => {
  await setupDatabase();
  await seedBoundariesIfEmpty();
  creator = (await makeUser({ role: "admin", scopeCode: "64" })).id;
  pos = {
    P1: await makePosyandu({ name: "Posyandu Satu", desaCode: D1 }),
    P2: await makePosyandu({ name: "Posyandu Dua", desaCode: D1 }),
    P3: await makePosyandu({ name: "Posyandu Tiga", desaCode: D2 }),
    P4: await makePosyandu({ name: "Posyandu Empat", desaCode: D3 }),
  };
  const mk = async (
    name: string,
    desa: string,
    p: number,
    bidang: "kesehatan" | "sosial" | "pendidikan",
    active = true,
  ) => (await makeUser({ name, role: "kader", scopeCode: desa, posyanduId: p, spmBidang: bidang, active })).id;
  k = {
    k1: await mk("Kader Satu", D1, pos.P1, "kesehatan"),
    k2: await mk("Kader Dua", D1, pos.P1, "sosial"),
    k3: await mk("Kader Tiga", D1, pos.P2, "kesehatan"),
    k4: await mk("Kader Empat", D1, pos.P2, "pendidikan"),
    k5: await mk("Kader Lima", D2, pos.P3, "kesehatan"),
    k6: await mk("Kader Enam", D2, pos.P3, "sosial", false),
    k7: await mk("Kader Tujuh", D3, pos.P4, "kesehatan"),
    k8: await mk("Kader Delapan", D3, pos.P4, "kesehatan"),
  };
  const pembina = await makeUser({ role: "pembina_desa", scopeCode: D1 });
  const [w] = await db
    .insert(workshops)
    .values({
      title: "Pelatihan",
      kind: "pelatihan",
      audience: "kader",
      regionCode: "64.08",
      venue: "Sangatta",
      startsAt: new Date(now.getTime() - 30 * DAY),
      endsAt: new Date(now.getTime() - 30 * DAY + 3600_000),
      capacity: 100,
      status: "completed",
      createdBy: creator,
    })
    .returning({ id: workshops.id });
  _workshopId = w.id;
  const [sos] = await db
    .insert(workshops)
    .values({
      title: "Sosialisasi",
      kind: "sosialisasi",
      audience: "kader",
      regionCode: "64.08",
      venue: "Sangatta",
      startsAt: new Date(now.getTime() - 20 * DAY),
      endsAt: new Date(now.getTime() - 20 * DAY + 3600_000),
      capacity: 100,
      status: "completed",
      createdBy: creator,
    })
    .returning({ id: workshops.id });
  const recent = new Date(now.getTime() - 30 * DAY);
  const old = new Date(now.getTime() - 740 * DAY); // k5's story happened two years ago
  for (const [u, at] of [
    [k.k1, recent],
    [k.k2, recent],
    [k.k3, recent],
    [k.k4, recent],
    [k.k5, old],
    [k.k6, recent],
    [k.k7, recent],
    [pembina.id, recent],
  ] as const) {
    await db.insert(enrolments).values({ workshopId: w.id, userId: u, status: "enrolled", at });
  }
  for (const [u, status, at] of [
    [k.k1, "hadir", recent],
    [k.k2, "terlambat", recent],
    [k.k3, "alpa", recent],
    [k.k4, "hadir", recent],
    [k.k5, "hadir", old],
    [k.k6, "hadir", recent],
    [k.k7, "hadir", recent],
    [pembina.id, "hadir", recent],
  ] as const) {
    await db.insert(attendance).values({ workshopId: w.id, userId: u, status, method: "roster", at });
  }
  // k8 only went to a sosialisasi: not a pelatihan, so it does not count.
  await db.insert(enrolments).values({ workshopId: sos.id, userId: k.k8, status: "enrolled" });
  await db.insert(attendance).values({ workshopId: sos.id, userId: k.k8, status: "hadir", method: "roster" });
  await passModules(k.k1, P.requiredModules.length, recent);
  await passModules(k.k2, P.requiredModules.length - 1, recent);
  await passModules(k.k4, P.requiredModules.length, recent);
  await passModules(k.k5, P.requiredModules.length, old);
  await passModules(k.k6, P.requiredModules.length, recent);
  await passModules(k.k7, P.requiredModules.length, recent);
  certId.k1 = await certify(k.k1, new Date(now.getTime() - 5 * DAY), new Date(now.getTime() + 365 * DAY));
  certId.k4 = await certify(k.k4, new Date(now.getTime() - 700 * DAY), new Date(now.getTime() + 30 * DAY));
  certId.k5 = await certify(k.k5, new Date(now.getTime() - 740 * DAY), new Date(now.getTime() - 10 * DAY));
  certId.k6 = await certify(k.k6, new Date(now.getTime() - 5 * DAY), new Date(now.getTime() + 365 * DAY));
  certId.k7 = await certify(k.k7, new Date(now.getTime() - 5 * DAY), new Date(now.getTime() + 365 * DAY));
  await db
    .update(certificates)
    .set({ revokedAt: now, revokedReason: "Data tidak benar" })
    .where(eq(certificates.id, certId.k7));
  await refreshKaderProgress([...Object.values(k), pembina.id]);
});

describe("figures at every level", () => {
  it("desa, kecamatan, kabupaten and province totals", async () => {
    const f = filter();
    expect((await regionReport(R(D1, "Senyiur", "desa"), f)).totals).toEqual(figures(4, 4, 3, 2, 2, 2, 1));
    expect((await regionReport(R(D2, "Kelinjau Ilir", "desa"), f)).totals).toEqual(figures(1, 1, 1, 1, 1, 0, 0));
    expect((await regionReport(R(D3, "Jak Luay", "desa"), f)).totals).toEqual(figures(2, 1, 1, 1, 0, 0, 0));
    expect((await regionReport(R("64.08.01", "Muara Ancalong", "kecamatan"), f)).totals).toEqual(
      figures(5, 5, 4, 3, 3, 2, 1),
    );
    expect((await regionReport(R("64.08.02", "Muara Wahau", "kecamatan"), f)).totals).toEqual(
      figures(2, 1, 1, 1, 0, 0, 0),
    );
    expect((await regionReport(R("64.08", "Kutai Timur", "kabupaten"), f)).totals).toEqual(
      figures(7, 6, 5, 4, 3, 2, 1),
    );
    expect((await regionReport(R("64", "Kalimantan Timur", "provinsi"), f)).totals).toEqual(
      figures(7, 6, 5, 4, 3, 2, 1),
    );
  });

  it("child rows at each level add up, down to the posyandu", async () => {
    const f = filter();
    const prov = await regionReport(R("64", "Kalimantan Timur", "provinsi"), f);
    expect(prov.rowLevel).toBe("kabupaten");
    expect(prov.rows).toHaveLength(10);
    expect(prov.rows.find((r) => r.code === "64.08")).toMatchObject(figures(7, 6, 5, 4, 3, 2, 1));
    expect(prov.rows.find((r) => r.code === "64.02")).toMatchObject(figures(0, 0, 0, 0, 0, 0, 0));
    const kab = await regionReport(R("64.08", "Kutai Timur", "kabupaten"), f);
    expect(kab.rows.find((r) => r.code === "64.08.01")).toMatchObject(figures(5, 5, 4, 3, 3, 2, 1));
    expect(kab.rows.find((r) => r.code === "64.08.02")).toMatchObject(figures(2, 1, 1, 1, 0, 0, 0));
    const kec = await regionReport(R("64.08.01", "Muara Ancalong", "kecamatan"), f);
    expect(kec.rows.find((r) => r.code === D1)).toMatchObject(figures(4, 4, 3, 2, 2, 2, 1));
    expect(kec.rows.find((r) => r.code === D2)).toMatchObject(figures(1, 1, 1, 1, 1, 0, 0));
    const desa = await regionReport(R(D1, "Senyiur", "desa"), f);
    expect(desa.rowLevel).toBe("posyandu");
    expect(
      desa.rows.map((r) => [
        r.name,
        r.activeKader,
        r.enrolled,
        r.attended,
        r.modulesPassed,
        r.issued,
        r.certified,
        r.expiring60,
      ]),
    ).toEqual([
      ["Posyandu Dua", 2, 2, 1, 1, 1, 1, 1],
      ["Posyandu Satu", 2, 2, 2, 1, 1, 1, 0],
    ]);
    expect(desa.rows[0].rate).toBe(0.5);
  });

  it("the kader list of a posyandu shows bidang, progress and status", async () => {
    const list = await posyanduKader(pos.P1, filter());
    expect(list.map((r) => [r.name, r.bidang, r.modulesPassed, r.status])).toEqual([
      ["Kader Dua", "sosial", P.requiredModules.length - 1, "hadir"],
      ["Kader Satu", "kesehatan", P.requiredModules.length, "bersertifikat"],
    ]);
    expect((await posyanduKader(pos.P3, filter())).map((r) => r.status)).toEqual(["kedaluwarsa"]); // k6 is inactive
  });

  it("filters by bidang and by period (year of the event, WITA)", async () => {
    expect(
      (await regionReport(R("64.08", "Kutai Timur", "kabupaten"), filter({ bidang: "kesehatan" }))).totals,
    ).toEqual(figures(5, 4, 3, 3, 2, 1, 0)); // k1, k3, k5, k7, k8
    const breakdown = await bidangBreakdown("64.08", filter());
    expect(Object.fromEntries(breakdown.map((b) => [b.bidang, b.figures.activeKader]))).toEqual({
      pendidikan: 1,
      kesehatan: 5,
      "pekerjaan-umum": 0,
      "perumahan-rakyat": 0,
      "trantibum-linmas": 0,
      sosial: 1,
    });
    const oldYear = new Date(now.getTime() - 740 * DAY + 8 * 3600_000).getUTCFullYear();
    const thisYear = new Date(now.getTime() - 30 * DAY + 8 * 3600_000).getUTCFullYear();
    const old = await regionReport(R("64.08", "Kutai Timur", "kabupaten"), filter({ year: oldYear }));
    // Only k5's enrolment, attendance, modules and certificate (and k4's certificate if issued that year) fell in that year.
    const k4Year = new Date(now.getTime() - 700 * DAY + 8 * 3600_000).getUTCFullYear();
    expect(old.totals).toMatchObject({
      activeKader: 7,
      enrolled: 1,
      attended: 1,
      modulesPassed: 1,
      issued: k4Year === oldYear ? 2 : 1,
      certified: 2,
    });
    if (thisYear !== oldYear) {
      const cur = await regionReport(R("64.08", "Kutai Timur", "kabupaten"), filter({ year: thisYear }));
      expect(cur.totals).toMatchObject({ enrolled: 5, attended: 4, modulesPassed: 3 });
    }
  });

  it("certified per month counts current certificates by month of issue", async () => {
    const months = await certifiedPerMonth("64.08", P.id, todayWita(), 12);
    expect(months).toHaveLength(12);
    expect(months.reduce((s, m) => s + m.n, 0)).toBe(1); // k1 (k4 and k5 were issued more than a year ago; k7 revoked; k6 inactive)
  });
});

describe("figures stay exact after writes and as time passes", () => {
  it("revocation, deactivation, moving a kader and a new certificate", async () => {
    const kab = () => regionReport(R("64.08", "Kutai Timur", "kabupaten"), filter()).then((r) => r.totals);
    const d1 = () => regionReport(R(D1, "Senyiur", "desa"), filter()).then((r) => r.totals);
    const d2 = () => regionReport(R(D2, "Kelinjau Ilir", "desa"), filter()).then((r) => r.totals);

    await db
      .update(certificates)
      .set({ revokedAt: new Date(), revokedReason: "uji" })
      .where(eq(certificates.id, certId.k1));
    await refreshKaderProgress([k.k1]);
    expect(await kab()).toEqual(figures(7, 6, 5, 4, 2, 1, 1));

    await db.update(users).set({ active: false }).where(eq(users.id, k.k2));
    await refreshKaderProgress([k.k2]);
    expect(await d1()).toEqual(figures(3, 3, 2, 2, 1, 1, 1));

    await db.update(users).set({ scopeCode: D2, posyanduId: pos.P3 }).where(eq(users.id, k.k3));
    await refreshKaderProgress([k.k3]);
    expect(await d1()).toEqual(figures(2, 2, 2, 2, 1, 1, 1));
    expect(await d2()).toEqual(figures(2, 2, 1, 1, 1, 0, 0));

    await certify(k.k5, new Date(), new Date(now.getTime() + 730 * DAY), 2); // recertified
    await refreshKaderProgress([k.k5]);
    expect(await d2()).toEqual(figures(2, 2, 1, 1, 1, 1, 0));
    expect(await kab()).toEqual(figures(6, 5, 4, 4, 2, 2, 1));

    // A refresh that changes nothing writes nothing.
    const before = await db.execute(sql`select sum(active) as a from stats_kader`);
    await refreshKaderProgress(Object.values(k));
    expect(await db.execute(sql`select sum(active) as a from stats_kader`)).toEqual(before);
  });

  it("a certificate stops counting the day after it expires, with no write", async () => {
    const k4expiry = new Date(now.getTime() + 30 * DAY);
    const lastValidDay = todayWita(k4expiry);
    const dayAfter = todayWita(new Date(k4expiry.getTime() + DAY));
    const at = (today: string) => regionReport(R(D1, "Senyiur", "desa"), filter({ today })).then((r) => r.totals);
    expect((await at(lastValidDay)).certified).toBe(1);
    expect((await at(dayAfter)).certified).toBe(0);
    expect((await at(todayWita())).expiring60).toBe(1);
  });
});

/** Every region's flow summed to today equals its live active and certified counts (each bidang and '*'). */
async function flowMismatches(): Promise<unknown[]> {
  const { rowsOf } = await import("~/db.server");
  const today = todayWita();
  return rowsOf(
    await db.execute(sql`
      with fl as (select region_code, programme_id, spm_bidang, sum(active)::int as a, sum(certified)::int as c
                  from stats_flow where day <= ${today}::date group by 1, 2, 3),
      k as (select region_code, programme_id, spm_bidang, active as a from stats_kader),
      e as (select region_code, programme_id, spm_bidang, sum(n)::int as c from stats_cert_expiry where expires_on >= ${today}::date group by 1, 2, 3)
      select * from fl full join k using (region_code, programme_id, spm_bidang) full join e using (region_code, programme_id, spm_bidang)
      where coalesce(fl.a, 0) <> coalesce(k.a, 0) or coalesce(fl.c, 0) <> coalesce(e.c, 0)`),
  );
}

describe("the trend of the certification rate", () => {
  const levels = [
    R(D3, "Desa", "desa"),
    R("64.08.02", "Kec", "kecamatan"),
    R("64.08", "Kutai Timur", "kabupaten"),
    R("64", "Kaltim", "provinsi"),
  ];

  it("the current month's point is today's exact rate at every level; the month ends carry years", async () => {
    for (const r of levels) {
      const [trend, report] = await Promise.all([rateTrend(r.code, filter(), 24), regionReport(r, filter())]);
      expect(trend.months).toHaveLength(24);
      const last = trend.months.at(-1)!;
      expect(last.month).toBe(todayWita().slice(0, 7));
      expect(last.asOf).toBe(todayWita());
      expect(trend.months[0].asOf).toMatch(/^\d{4}-\d{2}-(28|29|30|31)$/);
      expect({ a: last.activeKader, c: last.certified }).toEqual({
        a: report.totals.activeKader,
        c: report.totals.certified,
      });
    }
  });

  it("a certificate issued today moves this month's point, not the point 30 days ago; revoking it undoes only today", async () => {
    const before = await Promise.all(levels.map((r) => rateTrend(r.code, filter())));
    const id = await certify(k.k8, new Date(), new Date(now.getTime() + 365 * DAY));
    await refreshKaderProgress([k.k8]);
    const after = await Promise.all(levels.map((r) => rateTrend(r.code, filter())));
    levels.forEach((_, i) => {
      expect(after[i].months.at(-1)!.certified).toBe(before[i].months.at(-1)!.certified + 1);
      expect(after[i].ago30).toEqual(before[i].ago30);
      expect(after[i].months.slice(0, -1)).toEqual(before[i].months.slice(0, -1));
    });
    // by bidang: k8 is kesehatan
    const kes = await rateTrend("64.08", filter({ bidang: "kesehatan" }));
    const sos = await rateTrend("64.08", filter({ bidang: "sosial" }));
    const kesReport = await regionReport(R("64.08", "Kutai Timur", "kabupaten"), filter({ bidang: "kesehatan" }));
    expect(kes.months.at(-1)!.certified).toBe(kesReport.totals.certified);
    expect(sos.months.at(-1)!.certified).toBe(
      (await regionReport(R("64.08", "Kutai Timur", "kabupaten"), filter({ bidang: "sosial" }))).totals.certified,
    );
    await db.update(certificates).set({ revokedAt: new Date(), revokedReason: "uji" }).where(eq(certificates.id, id));
    await refreshKaderProgress([k.k8]);
    const revoked = await rateTrend("64.08", filter());
    expect(revoked.months.at(-1)!.certified).toBe(before[2].months.at(-1)!.certified);
    expect(await flowMismatches()).toEqual([]);
  });

  it("a certificate leaves the trend the day after it expires, with no write", async () => {
    // k4's certificate expires in 30 days: at that day's end it still counts, the next day it does not.
    const expiry = todayWita(new Date(now.getTime() + 30 * DAY));
    const next = todayWita(new Date(now.getTime() + 31 * DAY));
    const on = await rateTrend(D1, filter({ today: expiry }));
    const off = await rateTrend(D1, filter({ today: next }));
    expect(on.months.at(-1)!.certified - off.months.at(-1)!.certified).toBe(1);
    expect((await regionReport(R(D1, "Senyiur", "desa"), filter({ today: next }))).totals.certified).toBe(
      off.months.at(-1)!.certified,
    );
  });
});

describe("dashboard routes", () => {
  let paCookie: string;
  let pbCookie: string;
  beforeAll(async () => {
    paCookie = await sessionCookie((await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" })).id);
    pbCookie = await sessionCookie((await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.02" })).id);
  });

  it("403 on another kecamatan's drill-down and export (known or not), 404 for unknown codes in scope or malformed codes", async () => {
    for (const fn of [dasbor.loader, dasborCsv.loader, dasborXlsx.loader]) {
      expect(
        (await call(fn, makeRequest("/dasbor/64.08.01", { cookie: pbCookie }), { region: "64.08.01" })).status,
      ).toBe(403);
      expect((await call(fn, makeRequest("/dasbor/64.08", { cookie: paCookie }), { region: "64.08" })).status).toBe(
        403,
      );
      // Outside her scope the answer does not say whether the region exists.
      expect(
        (await call(fn, makeRequest("/dasbor/64.99.99", { cookie: paCookie }), { region: "64.99.99" })).status,
      ).toBe(403);
      expect(
        (await call(fn, makeRequest("/dasbor/64.08.01.9999", { cookie: paCookie }), { region: "64.08.01.9999" }))
          .status,
      ).toBe(404);
      expect(
        (await call(fn, makeRequest("/dasbor/x", { cookie: paCookie }), { region: "64.08.01'; drop table users;--" }))
          .status,
      ).toBe(404);
    }
    expect(
      (
        await call(dasborPos.loader, makeRequest(`/dasbor/${D3}/posyandu/${pos.P4}`, { cookie: paCookie }), {
          region: D3,
          id: String(pos.P4),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(dasborPos.loader, makeRequest(`/dasbor/${D1}/posyandu/${pos.P4}`, { cookie: paCookie }), {
          region: D1,
          id: String(pos.P4),
        })
      ).status,
    ).toBe(403);
    const kader = await sessionCookie(k.k1);
    expect(
      (await call(dasbor.loader, makeRequest("/dasbor/64.08.01.2001", { cookie: kader }), { region: D1 })).status,
    ).toBe(403);
  });

  it("ignores junk query parameters and sorts", async () => {
    const res = await call(
      dasbor.loader,
      makeRequest("/dasbor/64.08.01?program=x%27&tahun=abc&bidang=%25&urut=drop&arah=1", { cookie: paCookie }),
      { region: "64.08.01" },
    );
    expect(res.status).toBe(200);
    expect(res.data.q).toEqual({ program: P.id, tahun: null, bidang: null, urut: "tingkat", arah: "naik" });
    // Lagging first by default: the rate ascending.
    const rates = res.data.rows.map((r: Figures) => r.rate);
    expect(rates).toEqual([...rates].sort((a: number, b: number) => a - b));
    const sorted = await call(
      dasbor.loader,
      makeRequest("/dasbor/64.08.01?urut=aktif&arah=turun", { cookie: paCookie }),
      { region: "64.08.01" },
    );
    const actives = sorted.data.rows.map((r: Figures) => r.activeKader);
    expect(actives).toEqual([...actives].sort((a: number, b: number) => b - a));
    expect(sorted.data.lineage.map((l: { code: string }) => l.code)).toEqual(["64.08.01"]);
  });

  it("draws the map of the child regions, each linking to its drill-down; bars where there is no geometry", async () => {
    const admin = await sessionCookie(creator);
    const prov = await call(dasbor.loader, makeRequest("/dasbor/64", { cookie: admin }), { region: "64" });
    const codes = (x: { code: string }[]) => x.map((a) => a.code).sort();
    expect(codes(prov.data.map.areas)).toEqual(codes(prov.data.rows));
    expect(prov.data.map.areas.length).toBe(10);
    const kab = await call(dasbor.loader, makeRequest("/dasbor/64.08", { cookie: admin }), { region: "64.08" });
    expect(kab.data.map.areas.length).toBe(kab.data.rows.length);
    expect(kab.data.map.areas.every((a: { d: string }) => /^M[\d. L]+Z/.test(a.d))).toBe(true);
    const kec = await call(dasbor.loader, makeRequest("/dasbor/64.08.01", { cookie: paCookie }), {
      region: "64.08.01",
    });
    expect(kec.data.map).toBeNull(); // no desa boundaries: ranked bars
  });

  it("the hero: the rate with numerator, denominator and its change over 30 and 90 days; the attention lists", async () => {
    const res = await call(dasbor.loader, makeRequest("/dasbor/64.08.01", { cookie: paCookie }), {
      region: "64.08.01",
    });
    expect(res.data.totals.rate).toBe(res.data.totals.certified / res.data.totals.activeKader);
    const tr = await rateTrend("64.08.01", filter());
    expect(res.data.change.d30).toBeCloseTo(res.data.totals.rate - tr.ago30.rate, 9);
    expect(res.data.change.d90).toBeCloseTo(res.data.totals.rate - tr.ago90.rate, 9);
    expect(res.data.attention.lowest[0].code).toBe(res.data.rows.filter((r: Figures) => r.activeKader > 0)[0].code);
    expect(res.data.attention.lockedCounted).toBe(true);
    expect(res.data.attention.locked).toEqual([]);
    // k4 (D1) uses up the attempts of a required quiz without passing: D1 tops the locked-out list.
    const slug = content().modules.find((m) => P.requiredModules.includes(m.slug) && m.quiz && m.quiz.maxAttempts > 0)!;
    for (let i = 0; i < slug.quiz!.maxAttempts; i++) {
      await db.insert(quizAttempts).values({
        id: `lock-${i}`,
        userId: k.k4,
        slug: slug.slug,
        contentHash: "x",
        questionIds: [],
        draw: [],
        passScore: 70,
        submittedAt: new Date(),
        score: 10,
        passed: false,
        idempotencyKey: `lock-${i}`,
      } as never);
    }
    const after = await call(dasbor.loader, makeRequest("/dasbor/64.08.01", { cookie: afterWrite(paCookie) }), {
      region: "64.08.01",
    });
    expect(after.data.attention.locked).toEqual([{ code: D1, name: expect.any(String), value: "1 kader" }]);
    const kab = await call(
      dasbor.loader,
      makeRequest("/dasbor/64.08", { cookie: afterWrite(await sessionCookie(creator)) }),
      {
        region: "64.08",
      },
    );
    expect(kab.data.attention.lockedCounted).toBe(false);
  });

  it("exports the table as CSV and XLSX with a header naming scope, programme and date", async () => {
    const csv = await dasborCsv.loader({
      request: makeRequest("/dasbor/64.08.01.csv", { cookie: paCookie }),
      params: { region: "64.08.01" },
      context: { clientIp: "x" },
    });
    const text = (await (csv as Response).text()).replace(/^\uFEFF/, "");
    const lines = text.trim().split("\n");
    expect(lines[1]).toBe("Wilayah: Muara Ancalong (64.08.01)");
    expect(lines[2]).toBe(`Program: ${P.title}`);
    // Excel id-ID convention (csv-format.ts): ";" separator, DD/MM/YYYY.
    expect(lines[4]).toBe(`Tanggal data: ${todayWita().split("-").reverse().join("/")} (WITA)`);
    expect(lines[6]).toMatch(/^Kode;Nama;Tingkat wilayah;Kader aktif;/);
    expect(lines).toContain(`${D2};Kelinjau Ilir;desa;2;2;1;1;1;1;50;0`);
    const x = await dasborXlsx.loader({
      request: makeRequest("/dasbor/64.08.01.xlsx", { cookie: paCookie }),
      params: { region: "64.08.01" },
      context: { clientIp: "x" },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (x as Response).arrayBuffer());
    const ws = wb.getWorksheet("Rekap")!;
    expect(ws.getRow(2).getCell(1).value).toBe("Wilayah: Muara Ancalong (64.08.01)");
    expect(ws.rowCount).toBe(7 + 9 + 1); // header lines, table head, 9 desa, total
  });
});

describe("bulk rebuild", () => {
  it("gives exactly the rollups the triggers maintained", async () => {
    const { rebuildReporting, reportingMismatches } = await import("~/features/projection/projection.server");
    const count = async (table: string) => {
      const [r] = rowsOf<{ n: number }>(await db.execute(sql.raw(`select count(*)::int as n from ${table}`)));
      return r.n;
    };
    expect(await count("stats_cert_expiry_month")).toBeGreaterThan(0);
    expect(await count("stats_kader")).toBeGreaterThan(0);
    // reportingMismatches recomputes every rollup (rebuildReporting, rolled back) and compares.
    expect(await reportingMismatches()).toEqual([]);
    // A rollup that no longer matches its base tables is found, and a rebuild repairs it.
    await db.execute(sql`update stats_cert_expiry_month set n = n + 1 where n > 0`);
    await db.execute(sql`update stats_item set n = n + 1 where n > 0`);
    expect(await reportingMismatches()).toEqual([
      expect.stringMatching(/^stats_cert_expiry_month: [1-9]\d* baris berlebih/),
      ...((await count("stats_item")) ? [expect.stringMatching(/^stats_item: /)] : []),
    ]);
    await rebuildReporting();
    expect(await reportingMismatches()).toEqual([]);
    expect(await flowMismatches()).toEqual([]);
  });

  it("clears every derived table: the list names each stats_* table of the schema", async () => {
    const { DERIVED_TABLES } = await import("~/features/projection/projection.server");
    const tables = rowsOf<{ name: string }>(
      await db.execute(sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and (table_name like 'stats\\_%' or table_name in ('kader_progress', 'quiz_item_answers'))
        order by 1`),
    ).map((r) => r.name);
    expect(tables.length).toBeGreaterThan(8);
    expect([...DERIVED_TABLES].sort()).toEqual(tables);
  });
});
