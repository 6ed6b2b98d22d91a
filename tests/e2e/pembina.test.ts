/**
 * Issue 20 in the browser without JavaScript, on a phone: a pembina kecamatan's learning home
 * (her programme, next module, progress), the kabupaten team observing her practice on the
 * Tim Pembina sheet, and the training-needs page. Every page load is checked by axe.
 */
import { describe, expect, it } from "vitest";
import { axeFindings, formatFindings } from "./axe";
import { browserFixture, login, PHONE, shot } from "./browser";

const e2e = browserFixture();

async function phone() {
  const ctx = await e2e.browser.newContext({
    viewport: PHONE,
    baseURL: e2e.baseUrl,
    locale: "id-ID",
    timezoneId: "Asia/Makassar",
    javaScriptEnabled: false,
  });
  return { ctx, page: await ctx.newPage() };
}

describe("Tim Pembina as learners", () => {
  it("a pembina kecamatan sees her programme on the home page and opens her next module", async () => {
    const { ctx, page } = await phone();
    try {
      await login(page, "081100000004");
      const card = page.getByTestId("belajar-pembina");
      await card.waitFor();
      const text = (await card.textContent())!;
      expect(text).toContain("Sertifikasi Tim Pembina Posyandu 6 SPM");
      expect(text).toMatch(/2 dari 5 modul wajib sudah lulus kuis/);
      await shot(page, "pembina-home");
      const findings = await axeFindings(page);
      expect(findings, formatFindings(findings)).toEqual([]);
      await Promise.all([page.waitForURL(/\/modul\//), card.locator("a[href^='/modul/']").first().click()]);
      expect(page.url()).toContain("/modul/pendampingan-dan-penilaian-praktik");
      // The catalogue lists her programme's modules as required.
      await page.goto("/modul");
      expect(await page.textContent("main")).toContain("Wajib untuk Sertifikasi Tim Pembina Posyandu 6 SPM");
      // Training needs of her kecamatan: the sections kader miss, and the one-step draft session.
      await page.goto("/kebutuhan-pelatihan");
      expect(await page.textContent("main")).toMatch(/Kebutuhan pelatihan/i);
      const needs = await axeFindings(page);
      expect(needs, formatFindings(needs)).toEqual([]);
      await shot(page, "kebutuhan-pelatihan");
      // One step: the two most missed sections become a draft session with the kader who missed them.
      const boxes = page.locator("[data-testid=kebutuhan] input[type=checkbox]");
      expect(await boxes.count()).toBeGreaterThan(1);
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await Promise.all([page.waitForURL(/\/sesi\/\d+/), page.click("button:has-text('Buat draf sesi')")]);
      const session = (await page.textContent("main"))!;
      expect(session).toMatch(/Draf|draf/);
      expect(session).toMatch(/Pelatihan penguatan/);
      const sesi = await axeFindings(page);
      expect(sesi, formatFindings(sesi)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it("the kabupaten team observes her practice on the Tim Pembina sheet", async () => {
    const { ctx, page } = await phone();
    try {
      await login(page, "081100000003");
      await page.goto("/tim-pembina?wilayah=64.08.01");
      const table = page.getByTestId("daftar-pembina");
      await table.waitFor();
      const row = table.locator("tr", { hasText: "Siti Aminah" });
      expect(await row.textContent()).toContain("2/5");
      let findings = await axeFindings(page);
      expect(findings, formatFindings(findings)).toEqual([]);
      await Promise.all([page.waitForURL(/tugas=fasilitasi-sesi/), page.click("a[href*='tugas=fasilitasi-sesi']")]);
      const sheet = page.locator("fieldset", { hasText: "Siti Aminah" });
      for (const box of await sheet.locator("input[type=checkbox]").all()) await box.check();
      await sheet.locator("input[type=radio][value=kompeten]").check();
      await page.fill("#f-tempat", "Aula Kantor Camat Muara Ancalong");
      await Promise.all([page.waitForURL(/tersimpan=1/), page.click("button:has-text('Simpan pengamatan')")]);
      expect(await page.textContent("main")).toContain("Pengamatan disimpan untuk 1 anggota");
      expect(await page.locator("fieldset", { hasText: "Siti Aminah" }).textContent()).toContain("Terakhir: Kompeten");
      await shot(page, "pembina-praktik");
      findings = await axeFindings(page);
      expect(findings, formatFindings(findings)).toEqual([]);
      await page.goto("/tim-pembina?wilayah=64.08.01");
      expect(
        await page.getByTestId("daftar-pembina").locator("tr", { hasText: "Siti Aminah" }).textContent(),
      ).toContain("1/2");
      // The cascade on the kabupaten's dashboard, the map switched to the desa teams.
      await page.goto("/dasbor/64.08?peta=desa");
      const main = (await page.textContent("main"))!;
      expect(main).toContain("Kaskade pembinaan");
      expect(main).toMatch(/\d+ dari \d+/);
      findings = await axeFindings(page);
      expect(findings, formatFindings(findings)).toEqual([]);
      await shot(page, "dasbor-kaskade");
    } finally {
      await ctx.close();
    }
  });
});
