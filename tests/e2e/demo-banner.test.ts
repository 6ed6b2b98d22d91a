/**
 * `npm start` without settings is the demo: every page says so, in the HTML the server sends
 * (no JavaScript needed), with the password everyone knows, and still fits a 360 px phone.
 */
import { describe, expect, it } from "vitest";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();
const BANNER = "Situs demo: semua akun memakai kata sandi umum posyandu-demo. Jangan isi data sungguhan.";

describe("demo banner", () => {
  it("is in the server's HTML of public pages, before any script runs", async () => {
    for (const p of ["/masuk", "/verifikasi", "/aktivasi"]) {
      const html = await (await fetch(e2e.baseUrl + p)).text();
      expect(html, p).toContain("Situs demo");
      expect(html, p).toContain("posyandu-demo");
    }
  });

  it.each([
    ["081100000006", ["/", "/modul", "/sesi", "/sertifikat", "/akun"]],
    ["081100000001", ["/", "/dasbor", "/admin/pengguna", "/admin/impor"]],
  ])("%s sees it on every page of the menu, without JavaScript, within 360 px", async (phone, paths) => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await login(page, phone);
    for (const p of paths) {
      await page.goto(p);
      const note = page.getByRole("note");
      expect(await note.first().textContent(), p).toBe(BANNER);
      expect(await note.first().isVisible(), p).toBe(true);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, p).toBeLessThanOrEqual(0);
    }
    await shot(page, `demo-banner-${phone}`);
    await ctx.close();
  });
});
