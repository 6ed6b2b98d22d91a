/**
 * A new v2 module on a 360 px phone: pictures, glossary links, the Sumber box, the print
 * version (rendered to an A4 PDF), then its quiz answered wrongly: the review sends each
 * wrong answer back to the section to re-read.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { parse } from "yaml";
import { login, phoneContext, shot, browserFixture } from "./browser";

const e2e = browserFixture();
const SLUG = "rujukan-dan-jejaring";
const TITLE = "Rujukan dan jejaring";

interface BankQuestion {
  prompt: string;
  type: "single" | "multiple" | "truefalse";
  options?: { id: string; text: string }[];
  answer: string | string[] | boolean;
  section: string;
}
const bank = parse(readFileSync(`content/modules/12-${SLUG}/quiz.yaml`, "utf8")) as { questions: BankQuestion[] };

/** Picks a wrong answer for every displayed question (by matching the bank on disk). */
async function answerWrongly(page: Page): Promise<string[]> {
  const fieldsets = page.locator("form fieldset");
  const n = await fieldsets.count();
  const sections: string[] = [];
  for (let i = 0; i < n; i++) {
    const fs = fieldsets.nth(i);
    const prompt = ((await fs.locator("p.font-semibold").first().textContent()) ?? "")
      .replace(/^\s*\d+\.\s*/, "")
      .trim();
    const q = bank.questions.find((b) => b.prompt.trim() === prompt);
    if (!q) throw new Error(`question not in the bank: ${prompt}`);
    sections.push(q.section);
    const right =
      q.type === "truefalse"
        ? [q.answer ? "Benar" : "Salah"]
        : q.options!.filter((o) => (Array.isArray(q.answer) ? q.answer : [q.answer]).includes(o.id)).map((o) => o.text);
    const labels = fs.locator("label");
    for (let j = 0; j < (await labels.count()); j++) {
      const text = ((await labels.nth(j).textContent()) ?? "").trim();
      if (!right.includes(text)) {
        await labels.nth(j).locator("input").check();
        break;
      }
    }
  }
  return sections;
}

describe("a new module, its print version and a failed quiz with re-read links", () => {
  it("reads Rujukan dan jejaring, prints it, fails its quiz and follows a re-read link", async () => {
    const baseUrl = e2e.baseUrl;
    const ctx = await phoneContext(e2e.browser, baseUrl);
    const page = await ctx.newPage();
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(baseUrl)) external.push(r.url());
    });
    try {
      await login(page, "081100000006");
      await page.goto("/modul");
      await page.click(`text=${TITLE}`);
      await page.waitForURL(`**/modul/${SLUG}`);
      expect(await page.locator("h1").textContent()).toBe(TITLE);
      // Pictures: a flow drawn as a list of boxes, and an inline SVG with a text alternative,
      // each fitting the 360 px screen.
      const flow = page.locator("figure.diagram ol.alur").first();
      await expect(flow.isVisible()).resolves.toBe(true);
      expect(await page.locator("figure.diagram figcaption").first().textContent()).toBe(
        "Gambar: Memilih jalur rujukan",
      );
      expect(
        await flow
          .locator("li")
          .first()
          .evaluate((li) => getComputedStyle(li, "::before").content),
      ).toMatch(/^counter\(\w+\)$/);
      const figure = page.locator("figure.diagram svg[role=img]").first();
      await expect(figure.isVisible()).resolves.toBe(true);
      expect(await page.locator("figure.diagram svg title").first().textContent()).toBe("Jejaring rujukan Posyandu");
      for (const picture of [flow, figure]) {
        const box = (await picture.boundingBox())!;
        expect(box.width).toBeLessThanOrEqual(360);
        expect(box.width).toBeGreaterThan(280);
      }
      // First use of a glossary term links to /istilah with its meaning; one Sumber box.
      const tksk = page.locator('a.istilah[href="/istilah#tksk"] abbr');
      expect(await tksk.count()).toBe(1);
      expect(await tksk.getAttribute("title")).toMatch(/Tenaga Kesejahteraan Sosial Kecamatan/);
      expect(await page.locator("aside.sumber h2").textContent()).toBe("Sumber");
      // No inline script, and no script but the kader's own (offline outbox and worker registration).
      expect(await page.locator("script:not([src])").count()).toBe(0);
      expect(await page.locator("script[src]").count()).toBeLessThanOrEqual(1);
      await shot(page, "module-v2");

      // Print version: no navigation, title and sources, A4 pages.
      await page.click("text=Versi cetak (A4)");
      await page.waitForURL(`**/modul/${SLUG}/cetak`);
      expect(await page.locator("nav").count()).toBe(0);
      expect(await page.locator("h1").textContent()).toBe(TITLE);
      expect(await page.locator("aside.sumber").count()).toBe(1);
      const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(8);

      // The quiz, answered wrongly.
      await page.goto(`/modul/${SLUG}`);
      await page.click("text=Selesai membaca, lanjut ke kuis");
      await page.waitForURL(`**/modul/${SLUG}/kuis`);
      // Another browser test may already have drawn this kader's attempt (Simpan semua modul).
      await page.click("button:has-text('Mulai kuis'), a:has-text('Lanjutkan kuis yang belum selesai')");
      await page.waitForURL(/\/kuis\/[a-z0-9]+$/);
      const sections = await answerWrongly(page);
      expect(sections).toHaveLength(10);
      await page.click("text=Kirim jawaban");
      await page.waitForSelector("text=Hasil kuis");
      await expect(page.getByRole("status").textContent()).resolves.toMatch(/Nilai 0.*Belum lulus/s);
      const links = page.locator("li.card p:has-text('Baca lagi:') a");
      expect(await links.count()).toBe(10);
      const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")));
      expect(hrefs.map((h) => h!.split("#")[1]).sort()).toEqual([...sections].sort());
      await shot(page, "module-v2-review");

      await links.first().click();
      await page.waitForURL(new RegExp(`/modul/${SLUG}#`));
      const anchor = new URL(page.url()).hash.slice(1);
      expect(await page.locator(`[id="${anchor}"]`).count()).toBe(1);

      await page.goto("/istilah");
      expect(await page.locator("#tksk dt").textContent()).toBe("TKSK");
      expect(external).toEqual([]);
    } catch (e) {
      await shot(page, "module-v2-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
