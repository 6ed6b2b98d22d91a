/**
 * One phone, several kader (Chromium, one browser context = one phone): what she queued
 * without signal is sent only under her own account, and "Keluar" works without signal.
 *
 * Generated demo kader nobody else's browser test uses (0812 9000 00nn): A and B share a
 * phone (the first two that have two modules neither has opened, found on /modul, since the
 * demo's random activity may change); C logs out offline; D has a post the server refuses.
 */
import { describe, expect, it } from "vitest";
import type { BrowserContext, Page, Route } from "playwright-core";
import {
  answerAll,
  attemptsOnServer,
  browserFixture,
  login,
  offline,
  online,
  phoneContext,
  shot,
  workerReady,
} from "./browser";

const e2e = browserFixture();
const C = "081290000008";
const D = "081290000010";
const CANDIDATES = [5, 3, 12, 1, 2, 4, 6, 7, 9, 11, 13, 14, 15, 16, 17, 18, 19, 20].map(
  (n) => `0812900000${String(n).padStart(2, "0")}`,
);
const READ = "spm-pendidikan"; // C and D: any module will do

type Queued = { owner?: string; kind: string; path: string };
const outbox = (page: Page): Promise<Queued[]> =>
  page.evaluate(() => JSON.parse(localStorage.getItem("akademi-outbox") || "[]"));

/** Reading progress and "selesai" of the signed-in kader on a module, as the page shows it. */
async function reading(page: Page, slug: string): Promise<string> {
  await page.goto(`/modul/${slug}`);
  const done = await page.getByText("Anda sudah selesai membaca modul ini").count();
  return `${(await page.getByTestId("kemajuan").textContent())?.trim()}${done ? " · selesai" : ""}`;
}

/** Signs in like login(), but answers false for an account that cannot sign in (deactivated). */
async function tryLogin(page: Page, phone: string): Promise<boolean> {
  await page.goto("/masuk");
  await page.fill("input[name=login]", phone);
  await page.fill("input[name=password]", "posyandu-demo");
  await Promise.all([page.waitForEvent("framenavigated"), page.click("button[type=submit]")]);
  await page.waitForLoadState("load");
  return new URL(page.url()).pathname !== "/masuk";
}

/** Modules the signed-in kader has not opened yet ("Belum dibuka" on /modul). */
async function unopened(page: Page): Promise<string[]> {
  await page.goto("/modul");
  return page
    .locator("a[href^='/modul/']", { hasText: "Belum dibuka" })
    .evaluateAll((els) => els.map((e) => e.getAttribute("href")!.slice("/modul/".length)));
}

/** The name in the header (who the phone is signed in as). */
const headerName = async (page: Page) => (await page.locator("header a[href='/akun'] span").first().textContent())!;

/**
 * Taps Keluar; when the page first says what stays on the phone, returns that text and
 * taps again. Ends on /masuk.
 */
async function keluar(page: Page): Promise<string | null> {
  const button = page.getByRole("button", { name: "Keluar" });
  await button.click();
  const told = page.locator("[data-keluar-status]");
  await expect
    .poll(async () => new URL(page.url()).pathname === "/masuk" || (await told.count()) > 0, { timeout: 10_000 })
    .toBe(true);
  if (new URL(page.url()).pathname === "/masuk") return null;
  const text = await told.textContent();
  await Promise.all([page.waitForURL("**/masuk"), button.click()]);
  return text;
}

/** After the page script's first send on this page (the tabs of a phone take turns with a Web Lock). */
async function settled(page: Page) {
  await page.waitForLoadState("load");
  await page.evaluate(() => navigator.locks.request("akademi-outbox", () => {}));
}

/**
 * A signal too weak to send anything: every post to a module page fails (the browser may
 * think it is online). Also the worker's own fetches while set, as offline() does.
 */
const weak = (route: Route) =>
  route.request().method() === "POST" || route.request().serviceWorker()
    ? route.abort("internetdisconnected")
    : route.continue();
const POSTS = /\/modul\//;

async function closing(ctx: BrowserContext, page: Page, name: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (e) {
    await shot(page, name);
    throw e;
  } finally {
    await ctx.close();
  }
}

describe("shared phone", () => {
  it("what A queued waits for A: B's login sends none of it, A's next login sends it once", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await closing(ctx, page, "shared-phone-outbox-failure", async () => {
      // Two kader and two modules neither has opened: one A reads, one whose quiz A starts.
      const fresh: { phone: string; modules: string[] }[] = [];
      let A = "";
      let B = "";
      let both: string[] = [];
      let quiz = "";
      for (const phone of CANDIDATES) {
        if (!(await tryLogin(page, phone))) continue;
        const modules = await unopened(page);
        for (const other of fresh) {
          const shared = modules.filter((m) => other.modules.includes(m));
          if (shared.length < 2) continue;
          for (const m of shared) {
            await page.goto(`/modul/${m}/kuis`);
            if (await page.locator("button:has-text('Mulai kuis')").count()) {
              quiz = m;
              break;
            }
          }
          if (!quiz) continue;
          [A, B, both] = [phone, other.phone, shared];
          break;
        }
        await keluar(page);
        if (A) break;
        if (modules.length >= 2) fresh.push({ phone, modules });
      }
      const read = both.find((m) => m !== quiz) ?? "";
      expect(A && read, `two kader with two modules neither has opened: ${JSON.stringify(fresh)}`).toBeTruthy();
      await login(page, B);
      const bReading = await reading(page, read);
      const bAttempts = await attemptsOnServer(page, quiz);
      await keluar(page);

      await login(page, A);
      await workerReady(page);
      const aReading = await reading(page, read); // also stores the page for offline reading
      expect(aReading).not.toContain("selesai");
      const aAttempts = await attemptsOnServer(page, quiz);
      await Promise.all([page.waitForURL(/\/kuis\/[a-z0-9]+$/), page.click("button:has-text('Mulai kuis')")]);
      const attemptUrl = page.url();

      // Without signal A answers the quiz, finishes a section and the module: three posts wait.
      await offline(ctx);
      await ctx.route(POSTS, weak);
      await answerAll(page);
      await page.click("text=Kirim jawaban");
      await page.getByText("Jawaban tersimpan di ponsel, akan dikirim saat ada sinyal").waitFor();
      await page.goto(`/modul/${read}`);
      const first = await page.locator("input[name=bagian]").first().inputValue();
      const next = await page.locator("input[name=bagian]").nth(1).inputValue();
      await page.locator(`form:has(input[value="${first}"]) button`).click();
      await page.waitForURL(`**/modul/${read}#${next}`);
      await page.click("text=Selesai membaca, lanjut ke kuis");
      await page.getByText("Tersimpan di ponsel, akan dikirim saat ada sinyal.").waitFor();
      expect(await outbox(page)).toHaveLength(3);

      // The signal comes back too weak to send anything, and A hands the phone to B.
      await online(ctx);
      const told = await keluar(page);
      await ctx.unroute(POSTS, weak);

      await login(page, B);
      await settled(page);
      expect(await reading(page, read), "B's reading progress").toBe(bReading);
      expect(await attemptsOnServer(page, quiz), "B's quiz attempts").toBe(bAttempts);
      expect((await outbox(page)).map((x) => x.kind).sort(), "A's posts wait on the phone").toEqual([
        "bagian",
        "kuis",
        "selesai",
      ]);
      expect(told, "the page said what stays on the phone").toContain("3 kiriman");
      expect(told).toContain("saat Anda masuk lagi di ponsel ini");
      expect(await keluar(page)).toBeNull(); // A's posts are not B's: B is out at once

      // A signs in again: her posts go out under her account, graded once.
      await login(page, A);
      await page.waitForFunction(() => localStorage.getItem("akademi-outbox") === "[]", null, { timeout: 20_000 });
      expect(await reading(page, read)).toContain("selesai");
      await page.goto(attemptUrl);
      await page.getByText("Hasil kuis").waitFor();
      expect(await attemptsOnServer(page, quiz)).toBe(aAttempts + 1);
    });
  });

  it("a post the server refuses stays on the phone and is shown, not dropped", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await closing(ctx, page, "shared-phone-refused-failure", async () => {
      await login(page, D);
      await workerReady(page);
      await page.goto(`/modul/${READ}`);
      await offline(ctx);
      // The module changed while she read without signal: her section is gone on the server.
      const form = page.locator("form[data-offline=bagian]").first();
      await form.locator("input[name=bagian]").evaluate((i) => {
        (i as HTMLInputElement).value = "bagian-yang-sudah-dihapus";
      });
      await form.locator("button").click();
      await expect.poll(() => outbox(page)).toHaveLength(1);
      await online(ctx);
      const shown = page.getByRole("alert").filter({ hasText: "tidak diterima" });
      await shown.waitFor({ timeout: 20_000 });
      expect(await outbox(page)).toHaveLength(1);
      await page.reload();
      await shown.waitFor();
      await shot(page, "shared-phone-refused");
      await shown.getByRole("button", { name: "Hapus" }).click();
      expect(await outbox(page)).toEqual([]);
      await expect.poll(() => shown.count()).toBe(0);
    });
  });

  it("Keluar without signal: nobody sees her pages on the phone; her server session ends with the signal", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await closing(ctx, page, "shared-phone-offline-logout-failure", async () => {
      await login(page, C);
      const name = (await headerName(page)).trim();
      await workerReady(page);
      await page.goto("/modul");
      await page.goto(`/modul/${READ}`);
      await page.goto("/");
      const other = await ctx.newPage(); // a second tab of hers, left open
      await other.goto("/modul");
      const session = (await ctx.cookies()).find((c) => c.name === "ap_sesi")?.value;
      expect(session).toBeTruthy();

      await offline(ctx);
      await page.goto("/");
      expect(await headerName(page)).toContain(name); // her stored pages work without signal
      await page.getByRole("button", { name: "Keluar" }).click();
      await page.getByText("Anda sudah keluar di ponsel ini; sesi di server diakhiri saat ada sinyal").waitFor();
      for (const path of ["/masuk", "/", "/modul", `/modul/${READ}`, "/luring"]) {
        await page.goto(path);
        const body = (await page.locator("body").textContent()) ?? "";
        expect(body, path).not.toContain(name);
        expect(await page.getByRole("button", { name: "Keluar" }).count(), path).toBe(0);
      }
      await expect.poll(async () => (await other.locator("body").textContent()) ?? "").not.toContain(name);
      await shot(page, "shared-phone-offline-logout");

      // Signal again: the next person opening the app gets the login form; C's session is over.
      await online(ctx);
      await page.goto("/masuk");
      await page.locator("input[name=login]").waitFor();
      const res = await fetch(`${e2e.baseUrl}/`, { headers: { Cookie: `ap_sesi=${session}` }, redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toMatch(/^\/masuk/);
      await login(page, D); // another kader signs in on the phone as usual
      expect(await headerName(page)).not.toContain(name);
    });
  });
});
