/**
 * Issue 20 on phones: a pembina kecamatan schedules a pelatihan with a module and draws the
 * pre/post test on the session page; a kader enrols, takes the pre-test and then the post-test
 * (the same items) on her phone; the session page then shows the gain.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();
const SLUG = "spm-kesehatan";

function witaInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** The keys of every bank by "slug/question id", read from content/ (the page never sends them). */
function allKeys(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const dir of readdirSync("content/modules")) {
    const file = path.join("content/modules", dir, "quiz.yaml");
    if (!existsSync(file)) continue;
    const bank = parse(readFileSync(file, "utf8")) as {
      questions: { id: string; type: string; answer: string | string[] | boolean }[];
    };
    const slug = dir.replace(/^\d+-/, "");
    for (const q of bank.questions)
      out.set(
        `${slug}/${q.id}`,
        q.type === "truefalse"
          ? [q.answer ? "benar" : "salah"]
          : Array.isArray(q.answer)
            ? q.answer
            : [String(q.answer)],
      );
  }
  return out;
}

describe("a kader takes the pre-test and the post-test on her phone; the pembina sees the gain", () => {
  it("draws the test, takes both phases, shows the average gain", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    const kctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const k = await kctx.newPage();
    try {
      await login(page, "081100000004");
      await page.goto("/sesi/baru");
      await page.fill("input[name=title]", `Pelatihan Pre-Post ${Date.now()}`);
      await page.selectOption("select[name=kind]", "pelatihan");
      await page.selectOption("select[name=audience]", "kader");
      await page.selectOption("select[name=regionCode]", "64.08.01");
      await page.fill("input[name=venue]", "Aula Kantor Camat Muara Ancalong");
      const start = new Date(Date.now() - 10 * 60_000);
      await page.fill("input[name=startsAt]", witaInput(start));
      await page.fill("input[name=endsAt]", witaInput(new Date(start.getTime() + 4 * 3600_000)));
      await page.fill("input[name=capacity]", "30");
      // The form proposes modules for a pelatihan; one more is ticked here.
      await page.check(`input[name=moduleSlugs][value=${SLUG}]`);
      await page.click("button:has-text('Simpan draf')");
      await page.waitForURL(/\/sesi\/\d+\?dibuat=1$/);
      const id = new URL(page.url()).pathname.split("/")[2];
      await page.click("button:has-text('Umumkan kegiatan')");
      await page.waitForSelector("text=Kegiatan diumumkan");
      await page.click("button:has-text('Buat soal tes')");
      await page.waitForSelector("text=Soal pre-test dan post-test sudah dibuat");
      expect(await page.getByTestId("gain").textContent()).toContain("Belum cukup data");

      // The kader enrols herself and takes the pre-test: the first option of every item.
      await login(k, "081100000006");
      await k.goto(`/sesi/${id}`);
      await k.click("button:text-is('Daftar')");
      await k.waitForURL(/daftar=enrolled/);
      await k.click("text=Kerjakan pre-test");
      await k.waitForURL(new RegExp(`/sesi/${id}/tes$`));
      const items = k.locator("fieldset[data-question]");
      const n = await items.count();
      expect(n).toBe(10);
      const order: string[] = [];
      for (let i = 0; i < n; i++) {
        const f = items.nth(i);
        order.push((await f.getAttribute("data-question"))!);
        await f.locator("input").first().check();
      }
      await shot(k, "kader-pre-test");
      await Promise.all([k.waitForURL(/selesai=pre$/), k.click("button:has-text('Kirim pre-test')")]);
      const pre = Number(await k.locator("[data-testid=nilai-tes] dd").first().textContent());
      expect(pre).toBeGreaterThanOrEqual(0);
      expect(pre).toBeLessThan(100);

      // The post-test: the same items in the same order, answered right.
      await k.goto(`/sesi/${id}`);
      await k.click("text=Kerjakan post-test");
      await k.waitForURL(new RegExp(`/sesi/${id}/tes$`));
      const keys = allKeys();
      const again: string[] = [];
      for (let i = 0; i < n; i++) {
        const f = items.nth(i);
        const qid = (await f.getAttribute("data-question"))!;
        again.push(qid);
        const slug = await f.getAttribute("data-slug");
        const key = keys.get(`${slug}/${qid}`);
        expect(key, `${slug}/${qid}`).toBeDefined();
        for (const v of key!) await f.locator(`input[value="${v}"]`).check();
      }
      expect(again).toEqual(order);
      await Promise.all([k.waitForURL(/selesai=post$/), k.click("button:has-text('Kirim post-test')")]);
      expect(await k.locator("[data-testid=nilai-tes] dd").nth(1).textContent()).toBe("100");
      await shot(k, "kader-post-test");

      // The pembina's session page: one pair, the gain in points and g.
      await page.goto(`/sesi/${id}`);
      const gain = (await page.getByTestId("gain").textContent()) ?? "";
      expect(gain).toContain(`Rata-rata kenaikan${100 - pre} poin`);
      expect(gain).toContain("Gain ternormalisasi (g)1,00");
      await shot(page, "pembina-gain");
    } catch (e) {
      await shot(page, "session-test-failure");
      await shot(k, "session-test-kader-failure");
      throw e;
    } finally {
      await kctx.close();
      await ctx.close();
    }
  });
});
