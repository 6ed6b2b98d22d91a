/** Debian's chromium driven by playwright-core; never downloads a browser. */
import { chromium, type Browser, type BrowserContext, type Page, type Route } from "playwright-core";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { a11y, watchA11y } from "./axe";

export const PHONE = { width: 360, height: 740 };

/**
 * The browser of a test file. axe-core checks every page load of every context opened on it
 * (tests/e2e/axe.ts); tests/e2e/setup-axe.ts fails a test on any critical or serious
 * accessibility violation of a page it visited.
 */
export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser["newContext"]>) => {
    const ctx = await newContext(...args);
    watchA11y(ctx, a11y.findings, a11y.pending);
    return ctx;
  };
  return browser;
}

export async function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, baseURL, locale: "id-ID", timezoneId: "Asia/Makassar" });
}

export async function login(page: Page, phone: string, password = "posyandu-demo"): Promise<void> {
  await page.goto("/masuk");
  await page.fill("input[name=login]", phone);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/masuk")), page.click("button[type=submit]")]);
}

/** setOffline also for the service worker's own fetches (Chromium does not apply it to them: playwright#2311). */
const swOffline = (route: Route) =>
  route.request().serviceWorker() ? route.abort("internetdisconnected") : route.continue();
export async function offline(ctx: BrowserContext): Promise<void> {
  await ctx.setOffline(true);
  await ctx.route("**", swOffline);
}
export async function online(ctx: BrowserContext): Promise<void> {
  await ctx.unroute("**", swOffline);
  await ctx.setOffline(false);
}

/** Waits until the service worker controls the page (kader pages register it after load). */
export async function workerReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined,
    null,
    { timeout: 20_000 },
  );
}

/** Ticks an answer for every question of the quiz form on the page; returns the question names. */
export async function answerAll(page: Page) {
  const names = await page.$$eval("input[name^=q_]", (els) => [
    ...new Set(els.map((e) => (e as HTMLInputElement).name)),
  ]);
  for (const n of names) await page.locator(`input[name="${n}"]`).first().check();
  return names;
}

/** How many submitted attempts the kader has on the module's quiz page. */
export async function attemptsOnServer(page: Page, slug: string): Promise<number> {
  await page.goto(`/modul/${slug}/kuis`);
  return page
    .locator("text=Percobaan sebelumnya")
    .count()
    .then(async (has) => (has ? page.locator("h2:has-text('Percobaan sebelumnya') + ul > li").count() : 0));
}

/** Screenshot into test-results/ (kept by CI on failure, and for a look by eye). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}

/**
 * The shared fixture of every browser test file: one Debian chromium for the file, closed
 * after it, and the base URL of the server that global-setup started.
 * `const e2e = browserFixture();` then `e2e.browser` and `e2e.baseUrl` inside the tests.
 */
export function browserFixture(): { readonly browser: Browser; readonly baseUrl: string } {
  let browser: Browser | undefined;
  const baseUrl = inject("baseUrl");
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error("the browser starts in beforeAll");
      return browser;
    },
    baseUrl,
  };
}
