/**
 * Issue 21, items 1-3, in Chromium on a phone (the demo kader Dewi, 081100000006, on the shared
 * e2e server, with modules the other files leave alone):
 * 1. "Simpan semua modul" stores the pages without opening them: only the module she reads
 *    is "Sedang dibaca", and "Lanjutkan" stays at the section where she stopped.
 * 2. Offline, every link of every stored page opens, or /luring says what is not stored and why.
 * 3. What waits in the outbox is shown (how many, since when) on the home, module and quiz
 *    pages, and so is the grade the moment it is sent.
 */
import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { answerAll, browserFixture, login, offline, online, phoneContext, shot, workerReady } from "./browser";

const e2e = browserFixture();
const KADER = "081100000006";
// Modules no other browser test reads or answers (the e2e server and its demo data are shared).
const READING = "hari-buka-posyandu-6-spm";
const QUIZ = "pemantauan-pertumbuhan-stunting";
const READING_TITLE = "Hari buka Posyandu 6 SPM";
const QUIZ_TITLE = "Pemantauan pertumbuhan dan stunting";
const reading = (page: Page) => page.getByText("Sedang dibaca", { exact: true }).count();
const GENERAL = "Halaman ini perlu sambungan internet, dan belum tersimpan di ponsel Anda.";

async function kaderPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
  const page = await ctx.newPage();
  await login(page, KADER);
  await page.goto("/");
  await workerReady(page);
  return { ctx, page };
}

const outboxEmpty = (page: Page) =>
  page.waitForFunction(() => JSON.parse(localStorage.getItem("akademi-outbox") || "[]").length === 0, null, {
    timeout: 20_000,
  });

async function saveAll(page: Page): Promise<void> {
  await page.goto("/");
  await page.locator("[data-save-all]").click();
  await page.waitForSelector("text=/Tersimpan: \\d+ halaman/", { timeout: 60_000 });
}

/** The paths of the pages the phone keeps (the service worker's page cache). */
const storedPaths = (page: Page) =>
  page.evaluate(async () =>
    (await (await caches.open("akademi-pages-v1")).keys()).map((r) => new URL(r.url).pathname).sort(),
  );

describe("saved for offline", () => {
  it("Simpan semua modul opens no module: Lanjutkan stays at the section where she stopped", async () => {
    const { ctx, page } = await kaderPage();
    try {
      await page.goto(`/modul/${READING}`);
      const ids = await page.$$eval("input[name=bagian]", (els) => els.map((e) => (e as HTMLInputElement).value));
      for (const id of ids.slice(0, 2)) {
        await page.locator(`form:has(input[value="${id}"]) button`).click();
        await outboxEmpty(page);
      }
      const card = page.getByTestId("lanjutkan");
      await page.goto("/");
      expect(await card.getAttribute("href")).toBe(`/modul/${READING}#${ids[2]}`);

      // Modules other files opened for her are "Sedang dibaca" too; saving adds none.
      await page.goto("/modul");
      const before = await reading(page);
      await saveAll(page);
      await page.goto("/");
      expect(await card.getAttribute("href")).toBe(`/modul/${READING}#${ids[2]}`);
      await expect(card.textContent()).resolves.toContain(`2 dari ${ids.length + 1} bagian dibaca`);
      await page.goto("/modul");
      expect(await reading(page)).toBe(before);
      await page.getByRole("link", { name: new RegExp(`${READING_TITLE}[\\s\\S]*Sedang dibaca`) }).waitFor();
    } catch (e) {
      await shot(page, "h21-save-all-lanjutkan-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("offline, every link of every stored page opens, or says what is not stored and why", async () => {
    const { ctx, page } = await kaderPage();
    try {
      await saveAll(page);
      const stored = await storedPaths(page);
      expect(stored).toEqual(expect.arrayContaining(["/", "/modul", "/istilah", `/modul/${READING}`]));
      await offline(ctx);
      const links = new Map<string, string>(); // link path -> a stored page that offers it
      const problems: string[] = [];
      for (const path of stored) {
        await page.goto(path);
        if ((await page.locator("h1").first().textContent()) === "Tidak ada sinyal" && path !== "/luring")
          problems.push(`${path}: stored, but offline it shows "Tidak ada sinyal"`);
        const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
        for (const href of hrefs) {
          const url = new URL(href);
          if (url.origin !== new URL(e2e.baseUrl).origin) problems.push(`${path}: link off the site ${href}`);
          else if (!links.has(url.pathname + url.search)) links.set(url.pathname + url.search, path);
        }
      }
      expect(links.size).toBeGreaterThan(stored.length);
      const reasons = new Set<string>();
      for (const [link, from] of links) {
        await page.goto(link);
        const h1 = await page.locator("h1").first().textContent();
        const general = await page.getByText(GENERAL).isVisible();
        const reason = page.locator("[data-untuk]:visible");
        if (stored.includes(new URL(link, e2e.baseUrl).pathname)) {
          if (h1 === "Tidak ada sinyal" && link !== "/luring")
            problems.push(`${link} (from ${from}): stored, not shown`);
        } else if (h1 !== "Tidak ada sinyal") {
          problems.push(`${link} (from ${from}): not stored, yet it shows "${h1}"`);
        } else if (general || (await reason.count()) !== 1) {
          problems.push(`${link} (from ${from}): only the general "belum tersimpan", no reason`);
        } else {
          reasons.add((await reason.textContent()) ?? "");
        }
      }
      expect(problems).toEqual([]);
      // The reasons differ by page (print version, kegiatan, absen, sertifikat, akun at least).
      expect(reasons.size).toBeGreaterThanOrEqual(5);
      await page.goto(`/modul/${READING}/cetak`);
      await shot(page, "h21-offline-not-stored-reason");
    } catch (e) {
      await shot(page, "h21-offline-links-failure");
      throw e;
    } finally {
      await online(ctx).catch(() => {});
      await ctx.close();
    }
  });

  it("a quiz answer and a section waiting on the phone are shown, then the grade once sent", async () => {
    const { ctx, page } = await kaderPage();
    try {
      // Visited with signal, so the phone keeps them.
      await page.goto(`/modul/${QUIZ}`);
      await page.goto(`/modul/${QUIZ}/kuis`);
      const resume = page.getByRole("link", { name: "Lanjutkan kuis yang belum selesai" });
      await Promise.all([
        page.waitForURL(/\/kuis\/[a-z0-9]+$/),
        (await resume.count()) ? resume.click() : page.click("button:has-text('Mulai kuis')"),
      ]);
      const attempt = new URL(page.url()).pathname;
      await page.goto(`/modul/${QUIZ}/kuis`);
      await page.goto(attempt);

      await offline(ctx);
      await answerAll(page);
      await page.click("text=Kirim jawaban");
      await page.getByText("Jawaban tersimpan di ponsel, akan dikirim saat ada sinyal").waitFor();
      await page.goto(`/modul/${QUIZ}`);
      const first = await page.locator("input[name=bagian]").first().inputValue();
      await page.locator(`form:has(input[value="${first}"]) button`).click();

      const box = page.locator("[data-antrean]");
      for (const [path, n] of [
        ["/", 2],
        [`/modul/${QUIZ}`, 2],
        [`/modul/${QUIZ}/kuis`, 1],
      ] as const) {
        await page.goto(path);
        await box.waitFor({ state: "visible" });
        const text = await box.textContent();
        expect(text, path).toMatch(new RegExp(`^${n} kiriman menunggu sinyal, tersimpan di ponsel ini sejak \\S+`));
        expect(text, path).toContain(`Jawaban kuis: Kuis: ${QUIZ_TITLE}`);
        if (n === 2) expect(text, path).toContain(`Bagian selesai dibaca: ${QUIZ_TITLE}`);
        expect(await box.getByRole("link", { name: /Jawaban kuis/ }).getAttribute("href")).toBe(attempt);
      }
      await page.goto("/");
      await page.screenshot({ path: "test-results/h21-outbox-waiting.png" });
      // Another module's page says nothing about them.
      await page.goto(`/modul/${READING}`);
      expect(await box.isVisible()).toBe(false);

      await page.goto("/");
      await online(ctx);
      const done = box.getByText(/^Terkirim: nilai \d+, (lulus|belum lulus)/);
      await done.waitFor({ timeout: 20_000 });
      await page.screenshot({ path: "test-results/h21-outbox-sent.png" });
      const score = /nilai (\d+)/.exec((await done.textContent()) ?? "")![1];
      const result = box.getByRole("link", { name: "Lihat hasil" });
      expect(await result.getAttribute("href")).toBe(attempt);
      await box.getByText(/^Terkirim: Bagian selesai dibaca/).waitFor();
      await outboxEmpty(page);
      await Promise.all([page.waitForURL(`**${attempt}`), result.click()]);
      await page.getByText(`Nilai ${score}`, { exact: true }).waitFor();
    } catch (e) {
      await shot(page, "h21-outbox-failure");
      throw e;
    } finally {
      await online(ctx).catch(() => {});
      await ctx.close();
    }
  });

  it("without JavaScript the pages show no empty outbox box and work as before", async () => {
    const ctx = await e2e.browser.newContext({
      viewport: { width: 360, height: 740 },
      baseURL: e2e.baseUrl,
      javaScriptEnabled: false,
    });
    const page = await ctx.newPage();
    try {
      await login(page, KADER);
      for (const path of ["/", `/modul/${READING}`, `/modul/${QUIZ}/kuis`]) {
        await page.goto(path);
        expect(await page.locator("[data-antrean]").count(), path).toBe(1);
        expect(await page.locator("[data-antrean]").isVisible(), path).toBe(false);
      }
    } finally {
      await ctx.close();
    }
  });
});
