/**
 * Issue 21, point 6, in the browser without JavaScript, on a phone: the pembina desa marks
 * one kader "Kompeten" with a step unticked and another "Belum kompeten" with a note. The
 * answer opens on an error summary at the top (focused) that links to the wrong row, says
 * what was saved, and keeps her entries; following the link brings the row into view.
 */
import { describe, expect, it } from "vitest";
import { browserFixture, login, PHONE, shot } from "./browser";
import { axeFindings, formatFindings } from "./axe";

const e2e = browserFixture();

describe("praktik lapangan without JavaScript", () => {
  it("a wrong row answers with an error summary at the top that links to the row; the valid row is saved", async () => {
    const ctx = await e2e.browser.newContext({
      viewport: PHONE,
      baseURL: e2e.baseUrl,
      locale: "id-ID",
      timezoneId: "Asia/Makassar",
      javaScriptEnabled: false,
    });
    const page = await ctx.newPage();
    try {
      await login(page, "081100000007"); // pembina desa of the demo kader's desa
      await page.goto("/posyandu");
      await page.locator("main a[href^='/posyandu/']:not([href$='/baru'])").first().click();
      const pid = page.url().match(/\/posyandu\/(\d+)/)![1];
      await page.goto(`/posyandu/${pid}/praktik`);
      await page.selectOption("#f-tugas", { index: 1 });
      await Promise.all([page.waitForURL(/tugas=/), page.click("text=Tampilkan daftar periksa")]);

      const rows = page.locator("fieldset[id^='kader-']");
      expect(await rows.count()).toBeGreaterThan(3);
      const wrong = rows.nth(0);
      const wrongId = (await wrong.getAttribute("id"))!;
      const wrongName = (await wrong.locator("legend").textContent())!.trim();
      await wrong.locator("input[type=checkbox]").first().check();
      await wrong.locator("input[type=radio][value=kompeten]").check();
      await wrong.locator("textarea").fill("Belum menolkan timbangan");
      // A row far down the sheet, valid.
      const right = rows.nth(3);
      const rightId = (await right.getAttribute("id"))!;
      const rightName = (await right.locator("legend").textContent())!.trim();
      await right.locator("input[type=radio][value=belum_kompeten]").check();
      await right.locator("textarea").fill("Perlu latihan membaca grafik");
      await Promise.all([page.waitForLoadState("load"), page.click("button:has-text('Simpan pengamatan')")]);

      // The summary is what she sees first: at the top of the screen, focused.
      const summary = page.locator("#ringkasan-kesalahan");
      await summary.waitFor();
      const box = (await summary.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeLessThan(PHONE.height / 2);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("ringkasan-kesalahan");
      const text = (await summary.textContent())!;
      expect(text).toContain(`Sudah disimpan: pengamatan 1 kader (${rightName})`);
      expect(text).toContain(`Belum disimpan: ${wrongName}`);
      await shot(page, "praktik-error-summary");
      const findings = await axeFindings(page);
      expect(findings, formatFindings(findings)).toEqual([]);

      // Her entries are still there; the saved row says so.
      expect(await page.locator(`#${wrongId} input[type=radio][value=kompeten]`).isChecked()).toBe(true);
      expect(await page.locator(`#${wrongId} input[type=checkbox]`).first().isChecked()).toBe(true);
      expect(await page.locator(`#${wrongId} textarea`).inputValue()).toBe("Belum menolkan timbangan");
      expect(await page.locator(`#${rightId}`).textContent()).toMatch(
        /Tersimpan: Belum kompeten, 0 dari \d+ langkah terpenuhi\. Catatan: Perlu latihan membaca grafik/,
      );

      // The link leads to the row: it comes into view.
      const link = summary.locator(`a[href="#${wrongId}"]`);
      expect(await link.textContent()).toContain(wrongName);
      await link.click();
      await page.waitForURL(new RegExp(`#${wrongId}$`));
      const row = (await page.locator(`#${wrongId}`).boundingBox())!;
      expect(row.y).toBeGreaterThanOrEqual(-1);
      expect(row.y).toBeLessThan(PHONE.height);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(wrongId);

      // Corrected and sent again: saved, and the first row is not stored twice.
      await page.locator(`#${wrongId} input[type=radio][value=belum_kompeten]`).check();
      await Promise.all([page.waitForURL(/tersimpan=1/), page.click("button:has-text('Simpan pengamatan')")]);
      expect(await page.locator(".alert-ok").first().textContent()).toContain("Pengamatan disimpan untuk 1 kader");
    } catch (e) {
      await shot(page, "praktik-error-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
