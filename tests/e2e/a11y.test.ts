/**
 * Accessibility walk (issue 21, item 9): every persona's pages at phone and desktop width,
 * each checked by axe-core (browserFixture: a test fails on any critical or serious
 * violation); the skip link; the header with text at 200 % on a phone.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { a11y } from "./axe";
import { browserFixture, login, PHONE } from "./browser";

const e2e = browserFixture();
const DESKTOP = { width: 1366, height: 768 };

async function context(viewport: { width: number; height: number }): Promise<BrowserContext> {
  return e2e.browser.newContext({ viewport, baseURL: e2e.baseUrl, locale: "id-ID", timezoneId: "Asia/Makassar" });
}

/** Opens each path in turn and lets axe finish on it; fails on a page that is not 200. */
async function visit(page: Page, paths: string[]): Promise<void> {
  for (const path of paths) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await settle();
  }
}

/** Waits for axe's runs on the pages loaded so far (the next navigation would cut them short). */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  await Promise.all(a11y.pending);
}

/** The first link under `selector` on the current page whose href matches, as a path. */
async function firstHref(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
  const found = hrefs.find((h) => pattern.test(h));
  if (!found) throw new Error(`no link matching ${pattern} on ${page.url()}`);
  return found;
}

describe("accessibility: axe on every persona's pages", () => {
  it("public pages and the kader's pages on a phone", async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    try {
      await visit(page, ["/masuk", "/aktivasi", "/verifikasi"]);
      await login(page, "081100000008"); // Rina: every module read (other files use Dewi's unread ones)
      await visit(page, [
        "/",
        "/modul",
        "/modul/spm-kesehatan",
        "/modul/spm-kesehatan/cetak",
        "/modul/spm-kesehatan/kuis",
        "/istilah",
        "/sesi",
        "/sesi?waktu=bulan",
        "/sesi?waktu=lalu",
        "/hadir",
        "/sertifikat",
        "/akun",
        "/selamat-datang",
      ]);
    } finally {
      await ctx.close();
    }
  });

  it("a pembina kecamatan's pages on a phone", async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000004");
      await visit(page, ["/", "/sesi", "/sesi?waktu=bulan", "/sesi/baru", "/posyandu", "/admin/pengguna"]);
      await visit(page, ["/admin/impor", "/admin/kader-terkunci", "/dasbor"]);
      await page.goto("/posyandu");
      const posyandu = await firstHref(page, /^\/posyandu\/\d+$/);
      await visit(page, [posyandu, `${posyandu}/praktik`]);
      const kader = await firstHref(page, /^\/kader\/[a-z0-9]+$/).catch(() => null);
      if (kader) await visit(page, [kader]);
      // A session she runs: its pages for the pembina, as its page links them.
      for (const list of ["/sesi", "/sesi?waktu=lalu"]) {
        await page.goto(list);
        await settle();
        const session = await firstHref(page, /^\/sesi\/\d+$/);
        await visit(page, [session]);
        const hrefs = await page.$$eval("main a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
        const own = [...new Set(hrefs.filter((h) => h.startsWith(`${session}/`) && !/\.(csv|pdf|ics|xlsx)$/.test(h)))];
        await visit(page, own);
        if (own.some((h) => h.endsWith("/qr"))) await visit(page, [`${session}/qr?diam=1`]);
      }
    } finally {
      await ctx.close();
    }
  });

  it("DPMD and admin pages on a laptop, and the dashboard on a phone", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const ctx = await context(viewport);
      const page = await ctx.newPage();
      try {
        await login(page, "081100000002");
        await page.goto("/dasbor/64.02");
        await settle();
        const kec = await firstHref(page, /^\/dasbor\/64\.02\.\d\d(\?|$)/);
        await page.goto(kec);
        await settle();
        const desa = await firstHref(page, /^\/dasbor\/64\.02\.\d\d\.\d{4}(\?|$)/);
        await page.goto(desa);
        await settle();
        const pos = await firstHref(page, /^\/dasbor\/64\.02\.\d\d\.\d{4}\/posyandu\/\d+/);
        await visit(page, [pos, "/analisis-soal", "/admin/sertifikat", "/admin/penandatangan", "/admin/audit"]);
        await page.goto("/analisis-soal");
        await visit(page, [await firstHref(page, /^\/analisis-soal\/[a-z0-9-]+(\?|$)/)]);
      } finally {
        await ctx.close();
      }
    }
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000001");
      await visit(page, ["/", "/admin/wilayah", "/admin/pengguna", "/admin/kader-terkunci", "/dasbor/64"]);
    } finally {
      await ctx.close();
    }
  });
});

describe("keyboard and enlarged text", () => {
  it("the first Tab offers 'Langsung ke isi halaman', which moves focus past the menu to the page", async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000008");
      await page.goto("/modul/spm-kesehatan");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Langsung ke isi halaman");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("isi");
      // The next Tab reaches the page's own first link, not the header's menu.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it("with text at 200 % on a 360 px phone, the name and Keluar stay on screen", async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000004");
      for (const path of ["/", "/modul", "/sesi"]) {
        await page.goto(path);
        await page.addStyleTag({ content: "html { font-size: 200% !important; }" });
        const keluar = (await page.getByRole("button", { name: "Keluar" }).boundingBox())!;
        const name = (await page.locator("header a[href='/akun']").boundingBox())!;
        for (const box of [keluar, name]) {
          expect(box.x, path).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, path).toBeLessThanOrEqual(PHONE.width);
        }
        // Nothing sticks out of the screen (a wide table scrolls inside its own box).
        const wide = await page.evaluate((w) => {
          const out: string[] = [];
          for (const e of document.querySelectorAll("body *")) {
            const r = e.getBoundingClientRect();
            if (r.right > w + 1 && !e.closest("[tabindex='0'], nav ul"))
              out.push(`${e.tagName.toLowerCase()}.${e.className} ${Math.round(r.right)}`);
          }
          return out.slice(0, 5);
        }, PHONE.width);
        expect(wide, path).toEqual([]);
      }
    } finally {
      await ctx.close();
    }
  });
});
