import { describe, expect, it } from "vitest";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();

describe("DPMD dashboard", () => {
  // Issue 23: every dashboard's first load <= 16 KB (all levels: npm run bench:weights).
  it("the kabupaten dashboard's first load (HTML and CSS, gzip level 6) stays within 16 KB", async () => {
    const ctx = await e2e.browser.newContext({ baseURL: e2e.baseUrl });
    const page = await ctx.newPage();
    await login(page, "081100000002");
    const { gzipSync } = await import("node:zlib");
    const html = await (await page.request.get("/dasbor/64.02")).text();
    const css = await Promise.all(
      [...html.matchAll(/<link[^>]+href="([^"]+\.css)"/g)].map(async (m) => (await page.request.get(m[1])).text()),
    );
    const scripts = [...html.matchAll(/<script[^>]*src=/g)].length;
    const gz = (b: string) => gzipSync(b, { level: 6 }).length;
    const size = gz(html) + css.reduce((s, c) => s + gz(c), 0);
    console.log(
      `Kabupaten dashboard first load: HTML ${(gz(html) / 1024).toFixed(1)} KB + CSS ${((size - gz(html)) / 1024).toFixed(1)} KB gzip, ${scripts} scripts`,
    );
    expect(scripts).toBe(0);
    expect(size).toBeLessThanOrEqual(16 * 1024);
    await ctx.close();
  });

  it("drills down from the kabupaten to a posyandu's kader and downloads the CSV", async () => {
    const ctx = await e2e.browser.newContext({
      viewport: { width: 1024, height: 900 },
      baseURL: e2e.baseUrl,
      locale: "id-ID",
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    try {
      await login(page, "081100000002"); // DPMD Kutai Kartanegara
      await page.goto("/dasbor");
      await page.waitForURL("**/dasbor/64.02");
      expect(await page.locator("h1").textContent()).toContain("Kutai Kartanegara");
      expect(await page.locator("svg[role=img]").count()).toBe(2); // trend, funnel (the map is a group of links)
      expect(await page.locator("svg[role=group]").count()).toBe(1);
      const table = page.locator("[data-testid=region-table]");
      const kecRows = table.locator("tbody tr");
      expect(await kecRows.count()).toBe(21); // 20 kecamatan and the total
      expect(await page.locator("svg a[data-code]").count()).toBe(20);
      await shot(page, "dashboard-kabupaten");

      // The rate is the hero, before everything else, with numerator and denominator.
      expect(await page.locator("[data-testid=rate]").textContent()).toMatch(/^\d{1,3},\d%$/);
      expect(await page.locator("[data-testid=rate-hero]").textContent()).toMatch(/dari [\d.]+ kader aktif/);
      expect(await page.locator("body").textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no ISO dates

      // The table starts with the lagging kecamatan: rates ascending.
      const rateCells = await table.locator("tbody tr td:nth-child(2)").allTextContents();
      const rates = rateCells.slice(0, -1).map((t) => Number(t.replace("%", "").replace(",", ".")));
      expect(rates).toEqual([...rates].sort((a, b) => a - b));

      // The trend: 24 month ends, years on the axis.
      const trend = page.locator("[data-testid=trend-table] tbody tr");
      expect(await trend.count()).toBe(24);
      expect(await trend.last().locator("td").first().textContent()).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);

      // A kecamatan on the map opens its drill-down.
      const area = page.locator("svg a[data-code]").first();
      const code = await area.getAttribute("data-code");
      await area.click();
      await page.waitForURL(new RegExp(`/dasbor/${code!.replace(/\./g, "\\.")}(\\?|$)`));
      expect(await page.locator("[data-testid=trend-table] tbody tr").count()).toBe(24);
      await page.goBack();

      // Sort by rate, then drill down: kecamatan > desa > posyandu > kader.
      await page.click("th >> text=Tingkat");
      await page.waitForURL(/urut=tingkat/);
      await table.locator("tbody tr").first().locator("td a").first().click();
      await page.waitForURL(/\/dasbor\/64\.02\.\d{2}(\?|$)/);
      expect(await page.locator("[data-testid=trend-table] tbody tr").count()).toBe(24);
      await table.locator("tbody tr").first().locator("td a").first().click();
      await page.waitForURL(/\/dasbor\/64\.02\.\d{2}\.\d{4}(\?|$)/);
      expect(await page.locator("h2", { hasText: /^Per posyandu$/ }).count()).toBe(1);
      expect(await page.locator("[data-testid=trend-table] tbody tr").count()).toBe(24);
      await table.locator("tbody tr").first().locator("td a").first().click();
      await page.waitForURL(/\/posyandu\/\d+/);
      expect(await page.locator("h1").textContent()).toMatch(/^Kader Posyandu/);
      expect(await page.locator("tbody tr").count()).toBeGreaterThan(0);
      await shot(page, "dashboard-posyandu-kader");

      // Breadcrumbs back up to the kabupaten.
      await page.click("nav[aria-label='Jejak wilayah'] >> text=Kabupaten Kutai Kartanegara");
      await page.waitForURL(/\/dasbor\/64\.02(\?|$)/);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("a", { hasText: /^CSV$/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^rekap-64\.02-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = (await (await download.createReadStream()).toArray()).join("");
      expect(text).toContain("Wilayah: Kabupaten Kutai Kartanegara (64.02)");
      // The kecamatan table, then the training cascade's table (issue 20) with the same 20 kecamatan.
      const [rekap, kaskade] = text.split("Kaskade pembinaan");
      expect(rekap.split("\n").filter((l) => l.startsWith("64.02.")).length).toBe(20);
      expect(kaskade.split("\n").filter((l) => l.startsWith("64.02.")).length).toBe(20);

      // Another kabupaten is out of scope.
      const res = await page.goto("/dasbor/64.08");
      expect(res?.status()).toBe(403);
    } catch (e) {
      await shot(page, "dashboard-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("fits a phone: the table scrolls inside its card", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await login(page, "081100000004");
    await page.goto("/dasbor");
    await page.waitForURL("**/dasbor/64.08.01");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The rate and the region's name are visible without scrolling sideways, in the hero and in the table.
    for (const sel of [
      "h1",
      "[data-testid=rate]",
      "[data-testid=region-table] tbody tr:first-child td:nth-child(1)",
      "[data-testid=region-table] tbody tr:first-child td:nth-child(2)",
    ]) {
      const box = (await page.locator(sel).first().boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    await shot(page, "dashboard-phone");
    await ctx.close();
  });
});
