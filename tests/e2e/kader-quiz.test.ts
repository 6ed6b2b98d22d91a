import { describe, expect, it } from "vitest";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();

describe("kader journey: module and quiz on a 360x740 phone", () => {
  it("logs in, opens a module, takes its quiz without JavaScript, sees the review", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000006");
      await expect(page.getByRole("heading", { name: "Modul saya" }).isVisible()).resolves.toBe(true);
      await page.click("text=Bidang Pendidikan");
      await page.waitForURL("**/modul/spm-pendidikan");
      expect(await page.locator("h1").textContent()).toBe("Bidang Pendidikan");
      await expect(page.getByText("Studi kasus").first().isVisible()).resolves.toBe(true);
      // No React runtime: only the small kader script (outbox + service worker registration).
      const scripts = await page.$$eval("script", (els) => els.map((e) => (e as HTMLScriptElement).src));
      expect(scripts).toHaveLength(1);
      expect(scripts[0]).toMatch(/\/assets\/kader-[\w-]+\.js$/);
      await shot(page, "kader-module");

      await page.click("text=Selesai membaca, lanjut ke kuis");
      await page.waitForURL("**/modul/spm-pendidikan/kuis");
      // "Simpan semua modul" (tests/e2e/offline.test.ts) may already have drawn this attempt.
      await Promise.all([
        page.waitForURL(/\/kuis\/[a-z0-9]+$/),
        page.click("button:has-text('Mulai kuis'), a:has-text('Lanjutkan kuis yang belum selesai')"),
      ]);
      const names = await page.$$eval("input[name^=q_]", (els) => [
        ...new Set(els.map((e) => (e as HTMLInputElement).name)),
      ]);
      expect(names).toHaveLength(10);
      // Submitting with one question open keeps the other answers and names the gap.
      for (const n of names.slice(1)) await page.locator(`input[name="${n}"]`).first().check();
      await page.click("text=Kirim jawaban");
      await expect(page.getByRole("alert").textContent()).resolves.toContain(
        "Masih ada 1 pertanyaan yang belum dijawab.",
      );
      expect(await page.locator(`input[name="${names[1]}"]:checked`).count()).toBe(1);
      await page.locator(`input[name="${names[0]}"]`).first().check();
      await page.click("text=Kirim jawaban");
      await page.waitForSelector("text=Hasil kuis");
      await expect(page.getByRole("status").textContent()).resolves.toMatch(/Nilai \d+/);
      expect(await page.locator("text=(jawaban benar)").count()).toBeGreaterThanOrEqual(10);
      await shot(page, "kader-quiz-review");

      await page.goto("/modul");
      await expect(page.getByRole("link", { name: "Bidang Pendidikan" }).isVisible()).resolves.toBe(true);
      expect(await page.locator("text=Nilai terbaik").count()).toBeGreaterThanOrEqual(1);
    } catch (e) {
      await shot(page, "kader-quiz-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
