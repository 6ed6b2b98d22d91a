/**
 * Issue 23: the dashboard page is computed once and served to every view for at most
 * DASHBOARD_MAX_AGE_MS (app/features/reporting/dashboard-page.server.tsx). What that must
 * never cost: the browser that wrote sees its write at once (the read-your-writes cookie),
 * everyone else within the max age; views that differ in what the page shows (the query,
 * the signatory warning, the breadcrumb of one's scope) never share a page; nothing of the
 * viewer is in the shared markup; concurrent views make one computation.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { refreshKaderProgress } from "~/features/projection/projection.server";
import {
  type DashboardData,
  DASHBOARD_MAX_AGE_MS,
  DASHBOARD_REFRESH_AFTER_MS,
} from "~/features/reporting/dashboard-page.server";
import { metrics } from "~/metrics.server";
import * as dasbor from "~/routes/dasbor.$region._index";
import { afterWrite, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { insertCertificate as certify } from "./certification-helpers";

const KEC = "64.08.01";
const DESA = "64.08.01.2001";
const kader: string[] = [];
let dpmdA: { id: string; cookie: string; name: string };
let dpmdB: { id: string; cookie: string; name: string };
let pembinaKab: string;
let pembinaKec: string;

async function person(role: "dpmd" | "pembina_kabupaten" | "pembina_kecamatan", scopeCode: string, name: string) {
  const u = await makeUser({ role, scopeCode, name });
  return { id: u.id, cookie: await sessionCookie(u.id), name };
}

const view = async (code: string, cookie: string, qs = "") => {
  const res = await call(dasbor.loader, makeRequest(`/dasbor/${code}${qs}`, { cookie }), { region: code });
  expect(res.status).toBe(200);
  return res.data as DashboardData & { html: string };
};

async function counted(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics().dashboardPages.get()).values) out[String(v.labels.result)] = v.value;
  return out;
}

beforeAll(async () => {
  await setupDatabase();
  const p = await makePosyandu({ name: "Posyandu Uji Cache", desaCode: DESA });
  for (let i = 0; i < 4; i++)
    kader.push((await makeUser({ role: "kader", scopeCode: DESA, posyanduId: p, spmBidang: "kesehatan" })).id);
  await refreshKaderProgress(kader);
  await certify(kader[0]);
  dpmdA = await person("dpmd", "64.08", "Bu Andini DPMD");
  dpmdB = await person("dpmd", "64.08", "Pak Bagus DPMD");
  pembinaKab = (await person("pembina_kabupaten", "64.08", "Tim Pembina Kabupaten")).cookie;
  pembinaKec = (await person("pembina_kecamatan", KEC, "Tim Pembina Kecamatan")).cookie;
}, 120_000);

afterEach(() => {
  vi.useRealTimers();
});

describe("the dashboard cache", () => {
  it("serves one computation to every viewer; another's write shows after the max age, the writer's at once", async () => {
    const first = await view(KEC, dpmdA.cookie);
    expect(first.totals.certified).toBe(1);
    const second = await view(KEC, dpmdB.cookie);
    expect(second.computedAt).toBe(first.computedAt);
    expect(second.html).toBe(first.html);
    expect(first.html).toContain('data-testid="dihitung"');

    // Someone else certifies a kader: the page may be up to DASHBOARD_MAX_AGE_MS old.
    await certify(kader[1]);
    const stale = await view(KEC, dpmdB.cookie);
    expect(stale.totals.certified).toBe(1);
    expect(stale.computedAt).toBe(first.computedAt);

    // The browser that just wrote (server.ts marks it) gets it computed, and so does everyone after.
    const own = await view(KEC, afterWrite(dpmdB.cookie));
    expect(own.totals.certified).toBe(2);
    expect(Date.parse(own.computedAt)).toBeGreaterThanOrEqual(Date.parse(first.computedAt));
    expect((await view(KEC, dpmdA.cookie)).totals.certified).toBe(2);

    // No one waits longer than the max age for another's write.
    await certify(kader[2]);
    expect((await view(KEC, dpmdA.cookie)).totals.certified).toBe(2);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + DASHBOARD_MAX_AGE_MS + 1);
    const later = await view(KEC, dpmdA.cookie);
    expect(later.totals.certified).toBe(3);
    expect(later.html).toMatch(/diperbarui\s+paling lama tiap 10 detik/);
  });

  it("past half its age a page is computed again in the background: that view is served at once, later ones get the new figures", async () => {
    const qs = "?bidang=kesehatan";
    const first = await view(KEC, dpmdA.cookie, qs);
    await certify(kader[3]);
    const before = await counted();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + DASHBOARD_REFRESH_AFTER_MS + 1);
    const served = await view(KEC, dpmdA.cookie, qs);
    expect(served.computedAt).toBe(first.computedAt);
    await expect
      .poll(async () => (await view(KEC, dpmdB.cookie, qs)).totals.certified)
      .toBe(first.totals.certified + 1);
    const after = await counted();
    expect((after.refresh ?? 0) - (before.refresh ?? 0)).toBe(1);
    expect((after.miss ?? 0) - (before.miss ?? 0)).toBe(0);
  });

  it("makes one computation for views that arrive together", async () => {
    const before = await counted();
    const views = await Promise.all(Array.from({ length: 6 }, () => view(KEC, dpmdA.cookie, "?urut=nama")));
    const after = await counted();
    expect(new Set(views.map((v) => v.computedAt)).size).toBe(1);
    expect((after.miss ?? 0) - (before.miss ?? 0)).toBe(1);
    expect((after.hit ?? 0) - (before.hit ?? 0)).toBe(5);
  });

  it("never shares a page between views that show different things", async () => {
    // The query string: another order is another page.
    const byName = await view(KEC, dpmdA.cookie, "?urut=nama&arah=turun");
    expect(byName.q).toMatchObject({ urut: "nama", arah: "turun" });
    expect((await view(KEC, dpmdA.cookie)).q).toMatchObject({ urut: "tingkat", arah: "naik" });

    // The signatory warning: a DPMD (who sets the signatory) sees it, a Tim Pembina does not.
    const dpmdPage = await view("64.08", dpmdA.cookie);
    const pembinaPage = await view("64.08", pembinaKab);
    expect(dpmdPage.unsigned.length).toBeGreaterThan(0);
    expect(dpmdPage.html).toContain('data-testid="tanpa-penandatangan"');
    expect(pembinaPage.unsigned).toEqual([]);
    expect(pembinaPage.html).not.toContain("tanpa-penandatangan");

    // The breadcrumb: from one's own scope down.
    const fromKab = await view(KEC, pembinaKab);
    const fromKec = await view(KEC, pembinaKec);
    expect(fromKab.lineage.map((l) => l.code)).toEqual(["64.08", KEC]);
    expect(fromKec.lineage.map((l) => l.code)).toEqual([KEC]);
    expect(fromKec.html).not.toContain('href="/dasbor/64.08"');
  });

  it("holds nothing of the viewer: her name is in the header of each view, not in the shared page", async () => {
    const page = await view(KEC, dpmdA.cookie, "?arah=turun");
    expect(page.html).not.toContain(dpmdA.name);
    expect(page.html).not.toContain(dpmdB.name);
    expect(JSON.stringify(page)).not.toContain(dpmdA.id);
  });

  it("refuses before it serves: another kabupaten's DPMD gets 403 for a page cached for this one", async () => {
    await view(KEC, dpmdA.cookie);
    const other = await makeUser({ role: "dpmd", scopeCode: "64.02", name: "DPMD Lain" });
    const res = await call(dasbor.loader, makeRequest(`/dasbor/${KEC}`, { cookie: await sessionCookie(other.id) }), {
      region: KEC,
    });
    expect(res.status).toBe(403);
  });
});
