/**
 * Kader without signal (Chromium, context.setOffline): reading a stored module, answering
 * a quiz that is sent once when the signal returns (also after an offline reload and from
 * two tabs), and "Lanjutkan" at the section where she stopped.
 *
 * Runs on the shared e2e server with the demo kader Dewi (081100000006), on modules the
 * other browser tests leave alone: spm-kesehatan (reading), spm-sosial and
 * spm-pekerjaan-umum (quizzes), spm-perumahan-rakyat ("Simpan semua").
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  answerAll,
  attemptsOnServer,
  launch,
  login,
  offline,
  online,
  phoneContext,
  shot,
  workerReady,
} from "./browser";

/** "Mulai kuis", or the attempt "Simpan semua modul" (another file, same kader) already drew. */
const START = "button:has-text('Mulai kuis'), a:has-text('Lanjutkan kuis yang belum selesai')";

let browser: Browser;
const baseUrl = inject("baseUrl");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Dewi signed in, her service worker ready, on a module page: where the outbox tests start. */
async function openModule(page: Page, slug: string): Promise<void> {
  await login(page, "081100000006");
  await page.goto("/modul");
  await workerReady(page);
  await page.goto(`/modul/${slug}`);
}

describe("kader offline", () => {
  it("without JavaScript: reading half a module puts Lanjutkan at the next section", async () => {
    const ctx = await browser.newContext({
      viewport: { width: 360, height: 740 },
      baseURL: baseUrl,
      javaScriptEnabled: false,
    });
    const page = await ctx.newPage();
    try {
      await login(page, "081100000006");
      await page.goto("/modul/spm-kesehatan");
      const ids = await page.$$eval("input[name=bagian]", (els) => els.map((e) => (e as HTMLInputElement).value));
      const sections = ids.length + 1;
      const half = Math.floor(sections / 2);
      expect(half).toBeGreaterThan(1);
      for (let i = 0; i < half; i++) {
        await Promise.all([
          page.waitForURL((u) => u.hash === `#${ids[i + 1] ?? "selesai"}`),
          page.locator(`form:has(input[value="${ids[i]}"]) button`).click(),
        ]);
      }
      await expect(page.getByTestId("kemajuan").textContent()).resolves.toContain(
        `Dibaca: ${half} dari ${sections} bagian`,
      );
      await page.goto("/");
      const card = page.getByTestId("lanjutkan");
      await expect(card.textContent()).resolves.toContain("Lanjutkan membaca");
      expect(await card.getAttribute("href")).toBe(`/modul/spm-kesehatan#${ids[half]}`);
      await shot(page, "kader-lanjutkan");
      await card.click();
      await page.waitForURL(`**/modul/spm-kesehatan#${ids[half]}`);
    } catch (e) {
      await shot(page, "kader-lanjutkan-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("reads a stored module offline; a page that needs the server says so", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000006");
      await page.goto("/modul");
      await workerReady(page);
      await page.goto("/modul/spm-kesehatan");
      await offline(ctx);
      await page.goto("/modul/spm-kesehatan");
      expect(await page.locator("h1").textContent()).toBe("Bidang Kesehatan");
      await expect(page.getByText("Studi kasus").first().isVisible()).resolves.toBe(true);
      await page.goto("/modul");
      await page.getByRole("link", { name: /Bidang Kesehatan/ }).waitFor();
      await page.goto("/sesi");
      expect(await page.locator("h1").textContent()).toBe("Tidak ada sinyal");
      await shot(page, "kader-offline-fallback");

      // Reading progress and "selesai dibaca" without signal are queued and sent later.
      await online(ctx);
      await page.goto("/modul/spm-trantibum-linmas");
      // Tap targets: at least 44 px high.
      for (const target of [
        page.getByRole("button", { name: "Keluar" }),
        page.getByRole("link", { name: "‹ Semua modul" }),
      ]) {
        expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      }
      await offline(ctx);
      await page.reload();
      const first = await page.locator("input[name=bagian]").first().inputValue();
      const next = await page.locator("input[name=bagian]").nth(1).inputValue();
      await page.locator(`form:has(input[value="${first}"]) button`).click();
      await page.waitForURL(`**/modul/spm-trantibum-linmas#${next}`);
      await page.click("text=Selesai membaca, lanjut ke kuis");
      await page.getByText("Tersimpan di ponsel, akan dikirim saat ada sinyal.").waitFor();
      await online(ctx);
      await page.waitForURL("**/modul/spm-trantibum-linmas/kuis", { timeout: 30_000 });
      await page.goto("/modul/spm-trantibum-linmas");
      await page.getByText("Anda sudah selesai membaca modul ini").waitFor();
    } catch (e) {
      await shot(page, "kader-offline-read-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("the signal flickers back: a first send that fails is tried again within seconds, not after 10 s", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      const slug = "pencatatan-pelaporan-musrenbang";
      await openModule(page, slug);
      await offline(ctx);
      await page.reload();
      await page.click("text=Selesai membaca, lanjut ke kuis");
      await page.getByText("Tersimpan di ponsel, akan dikirim saat ada sinyal.").waitFor();
      // The first post after the signal returns is lost on the way (a flickering signal).
      let refused = 0;
      await ctx.route(`**/modul/${slug}*`, (route) =>
        route.request().method() === "POST" && refused++ === 0 ? route.abort("connectionreset") : route.continue(),
      );
      const back = Date.now();
      await online(ctx);
      await page.waitForURL(`**/modul/${slug}/kuis`, { timeout: 6_000 });
      console.log(`sent ${((Date.now() - back) / 1000).toFixed(1)} s after the signal came back (1 failed try)`);
      expect(refused).toBeGreaterThanOrEqual(2);
    } catch (e) {
      await shot(page, "kader-offline-flicker-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("a send that hangs (the signal lost mid-request) is given up after 30 s and sent again", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      const slug = "pencatatan-pelaporan-musrenbang";
      await openModule(page, slug);
      // The first post never gets an answer (nor an error): before the timeout the outbox stayed
      // behind it until the page was reloaded.
      let posts = 0;
      await ctx.route(`**/modul/${slug}*`, (route) => {
        if (route.request().method() !== "POST") return route.continue();
        if (posts++ === 0) return; // hangs
        return route.continue();
      });
      const sent = Date.now();
      await page.locator("form[data-offline=bagian] button").first().click();
      await page.waitForFunction(() => JSON.parse(localStorage.getItem("akademi-outbox") || "[]").length === 0, null, {
        timeout: 45_000,
      });
      console.log(`sent after ${((Date.now() - sent) / 1000).toFixed(1)} s (the first try hung)`);
      expect(posts).toBeGreaterThanOrEqual(2);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(29_000);
    } catch (e) {
      await shot(page, "kader-offline-hung-send-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  }, 90_000);

  it("answers a quiz offline, reloads offline, reconnects: one graded attempt", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000006");
      await workerReady(page);
      await page.goto("/modul/spm-sosial/kuis");
      await Promise.all([page.waitForURL(/\/kuis\/[a-z0-9]+$/), page.click(START)]);
      const attemptUrl = page.url();
      await offline(ctx);
      await answerAll(page);
      await page.click("text=Kirim jawaban");
      await page.getByText("Jawaban tersimpan di ponsel, akan dikirim saat ada sinyal").waitFor();
      // Reload without signal: the stored page, the answers and the notice are still there.
      await page.reload();
      await page.getByText("Jawaban tersimpan di ponsel, akan dikirim saat ada sinyal").waitFor();
      expect(await page.locator("input[name^=q_]:checked").count()).toBeGreaterThanOrEqual(8);
      await shot(page, "kader-quiz-offline");
      const outbox = await page.evaluate(() => localStorage.getItem("akademi-outbox"));
      await online(ctx);
      await page.waitForSelector("text=Hasil kuis", { timeout: 20_000 });
      expect(page.url()).toBe(attemptUrl);
      const score = await page.getByRole("status").first().textContent();
      expect(score).toMatch(/Nilai \d+/);
      // A retry of the same answers (say the answer to the first send was lost) grades nothing new.
      // Once the server has answered, the page script shows that answer (location.replace): wait
      // for that navigation before opening the page again, or the two navigations race.
      await Promise.all([
        page.waitForEvent("framenavigated", { timeout: 10_000 }),
        page.evaluate((o) => {
          localStorage.setItem("akademi-outbox", o!);
          dispatchEvent(new Event("online"));
        }, outbox),
      ]);
      await page.waitForLoadState("load");
      expect(await page.evaluate(() => localStorage.getItem("akademi-outbox"))).toBe("[]");
      await page.goto(attemptUrl);
      expect(await page.getByRole("status").first().textContent()).toBe(score);
      expect(await attemptsOnServer(page, "spm-sosial")).toBe(1);
      await page.getByText("Kesempatan: 1 dari 3 sudah dipakai.").waitFor();
    } catch (e) {
      await shot(page, "kader-quiz-offline-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("two tabs answer the same attempt offline: one graded attempt", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const a = await ctx.newPage();
    try {
      await login(a, "081100000006");
      await workerReady(a);
      await a.goto("/modul/spm-pekerjaan-umum/kuis");
      await Promise.all([a.waitForURL(/\/kuis\/[a-z0-9]+$/), a.click(START)]);
      const b = await ctx.newPage();
      await b.goto(a.url());
      await offline(ctx);
      await answerAll(a);
      await a.click("text=Kirim jawaban");
      // The second tab answers differently: still only one set of answers is graded.
      const names = await b.$$eval("input[name^=q_]", (els) => [
        ...new Set(els.map((e) => (e as HTMLInputElement).name)),
      ]);
      for (const n of names) await b.locator(`input[name="${n}"]`).last().check();
      await b.click("text=Kirim jawaban");
      await b.getByText("Jawaban tersimpan di ponsel").waitFor();
      await online(ctx);
      await Promise.all([
        a.waitForSelector("text=Hasil kuis", { timeout: 20_000 }),
        b.waitForSelector("text=Hasil kuis", { timeout: 20_000 }),
      ]);
      await b.reload();
      await a.reload();
      expect(await a.getByRole("status").first().textContent()).toBe(await b.getByRole("status").first().textContent());
      expect(await attemptsOnServer(a, "spm-pekerjaan-umum")).toBe(1);
    } catch (e) {
      await shot(a, "kader-two-tabs-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });

  it("Simpan semua modul: an unopened module and its drawn quiz work offline", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000006");
      await page.goto("/modul");
      await workerReady(page);
      const save = page.locator("[data-save-all]");
      await expect(save.textContent()).resolves.toMatch(/Simpan semua modul untuk dibaca tanpa sinyal \(\d+ KB\)/);
      await save.click();
      await page.waitForSelector("text=/Tersimpan: \\d+ halaman/", { timeout: 30_000 });
      await offline(ctx);
      await page.goto("/modul/spm-perumahan-rakyat");
      await expect(page.locator("h1").textContent()).resolves.toContain("Perumahan");
      await page.goto("/modul/spm-perumahan-rakyat/kuis");
      await Promise.all([page.waitForURL(/\/kuis\/[a-z0-9]+$/), page.click("text=Lanjutkan kuis yang belum selesai")]);
      await answerAll(page);
      await page.click("text=Kirim jawaban");
      await page.getByText("Jawaban tersimpan di ponsel").waitFor();
      await online(ctx);
      await page.waitForSelector("text=Hasil kuis", { timeout: 20_000 });
      expect(await attemptsOnServer(page, "spm-perumahan-rakyat")).toBe(1);
    } catch (e) {
      await shot(page, "kader-save-all-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
