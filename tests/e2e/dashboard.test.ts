import { describe, expect, it } from "vitest";
import { useBrowser, login, phoneContext, shot } from "./browser";

const e2e = useBrowser();


describe("DPMD dashboard", () => {
  it("drills down from the kabupaten to a posyandu's kader and downloads the CSV", async () => {
    const ctx = await e2e.browser.newContext({ viewport: { width: 1024, height: 900 }, baseURL: e2e.baseUrl, locale: "id-ID", acceptDownloads: true });
    const page = await ctx.newPage();
    try {
      await login(page, "081100000002"); // DPMD Kutai Kartanegara
      await page.goto("/dasbor");
      await page.waitForURL("**/dasbor/64.02");
      expect(await page.locator("h1").textContent()).toContain("Kutai Kartanegara");
      expect(await page.locator("svg[role=img]").count()).toBe(3);
      const kecRows = page.locator("table").first().locator("tbody tr");
      expect(await kecRows.count()).toBe(21); // 20 kecamatan and the total
      await shot(page, "dashboard-kabupaten");

      // Sort by rate, then drill down: kecamatan > desa > posyandu > kader.
      await page.click("th >> text=Tingkat");
      await page.waitForURL(/urut=tingkat/);
      await page.locator("table").first().locator("tbody tr").first().locator("td a").first().click();
      await page.waitForURL(/\/dasbor\/64\.02\.\d{2}(\?|$)/);
      await page.locator("table").first().locator("tbody tr").first().locator("td a").first().click();
      await page.waitForURL(/\/dasbor\/64\.02\.\d{2}\.\d{4}(\?|$)/);
      expect(await page.locator("h2").first().textContent()).toBe("Per posyandu");
      await page.locator("table").first().locator("tbody tr").first().locator("td a").first().click();
      await page.waitForURL(/\/posyandu\/\d+/);
      expect(await page.locator("h1").textContent()).toMatch(/^Kader Posyandu/);
      expect(await page.locator("tbody tr").count()).toBeGreaterThan(0);
      await shot(page, "dashboard-posyandu-kader");

      // Breadcrumbs back up to the kabupaten.
      await page.click("nav[aria-label='Jejak wilayah'] >> text=Kabupaten Kutai Kartanegara");
      await page.waitForURL(/\/dasbor\/64\.02(\?|$)/);

      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a", { hasText: /^CSV$/ }).click()]);
      expect(download.suggestedFilename()).toMatch(/^rekap-64\.02-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = (await (await download.createReadStream()).toArray()).join("");
      expect(text).toContain("Wilayah: Kabupaten Kutai Kartanegara (64.02)");
      expect(text.split("\n").filter((l) => l.startsWith("64.02.")).length).toBe(20);

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
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, "dashboard-phone");
    await ctx.close();
  });
});
