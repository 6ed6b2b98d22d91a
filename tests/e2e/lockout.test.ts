/**
 * No dead end after the last attempt. Demo data: kader 081100000009 (Sari) failed the
 * quiz of `permendagri-13-2024` three times (seeded: the quiz's cool-down makes three
 * live failures too slow for a browser test). She sees what happens next; the pembina
 * desa (081100000007) grants another round with a reason; she passes.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { parse } from "yaml";
import { launch, login, phoneContext, shot } from "./browser";

let browser: Browser;
const baseUrl = inject("baseUrl");
const SLUG = "permendagri-13-2024";

interface BankQuestion {
  type: "single" | "multiple" | "truefalse";
  prompt: string;
  options?: { id: string; text: string }[];
  answer: string | string[] | boolean;
}
const bank = parse(readFileSync(`content/modules/01-${SLUG}/quiz.yaml`, "utf8")) as { questions: BankQuestion[] };

async function answerCorrectly(page: Page): Promise<void> {
  const fieldsets = page.locator("form fieldset");
  for (let i = 0; i < (await fieldsets.count()); i++) {
    const fs = fieldsets.nth(i);
    const prompt = ((await fs.locator("p.font-semibold").first().textContent()) ?? "")
      .replace(/^\s*\d+\.\s*/, "")
      .trim();
    const q = bank.questions.find((b) => b.prompt.trim() === prompt)!;
    expect(q, prompt).toBeDefined();
    const ids = Array.isArray(q.answer) ? q.answer : [q.answer as string];
    const right =
      q.type === "truefalse"
        ? [q.answer ? "Benar" : "Salah"]
        : q.options!.filter((o) => ids.includes(o.id)).map((o) => o.text);
    const labels = fs.locator("label");
    for (let j = 0; j < (await labels.count()); j++) {
      const text = ((await labels.nth(j).locator("span").textContent()) ?? "").trim();
      if (right.includes(text)) await labels.nth(j).locator("input").check();
    }
  }
}

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("lock-out: three fails, the pembina grants another round, the kader passes", () => {
  it("kader sees the next step, pembina grants with a reason, kader passes", async () => {
    const kaderCtx = await phoneContext(browser, baseUrl);
    const kader = await kaderCtx.newPage();
    const pembinaCtx = await phoneContext(browser, baseUrl);
    const pembina = await pembinaCtx.newPage();
    try {
      await login(kader, "081100000009");
      await kader.goto(`/modul/${SLUG}/kuis`);
      await kader.waitForSelector("text=Kesempatan mengerjakan kuis ini sudah habis (3 dari 3)");
      await expect(kader.locator(".alert-error").last().textContent()).resolves.toContain(
        "Tim Pembina desa atau kecamatan Anda",
      );
      expect(await kader.locator("main form button[type=submit]").count()).toBe(0);
      await shot(kader, "kuis-terkunci");

      await login(pembina, "081100000007");
      await pembina.goto("/admin/pengguna?q=Sari+Handayani");
      await pembina.click("main a:has-text('Sari Handayani')");
      await pembina.click("text=Kemajuan belajar, kuis, praktik dan sertifikat");
      const card = pembina.locator(`[data-testid='kuis-${SLUG}']`);
      await expect(card.textContent()).resolves.toContain("Terkunci");
      await expect(card.locator("ol li").count()).resolves.toBe(3);
      await card.locator("textarea[name=reason]").fill("Sudah belajar ulang modul 1 bersama pembina desa.");
      await card.locator("button:has-text('Beri kesempatan lagi')").click();
      await pembina.waitForSelector("text=Kesempatan tambahan diberikan");
      await shot(pembina, "kemajuan-kader-kesempatan");

      await kader.goto(`/modul/${SLUG}/kuis`);
      await kader.waitForSelector("text=Tim Pembina membuka 3 kesempatan tambahan");
      await Promise.all([kader.waitForURL(/\/kuis\/[a-z0-9]+$/), kader.click("main form button[type=submit]")]);
      await answerCorrectly(kader);
      await kader.click("text=Kirim jawaban");
      await kader.waitForSelector("text=Hasil kuis");
      await expect(kader.getByRole("status").first().textContent()).resolves.toContain("Nilai 100");
    } catch (e) {
      await shot(kader, "lockout-kader-failure");
      await shot(pembina, "lockout-pembina-failure");
      throw e;
    } finally {
      await kaderCtx.close();
      await pembinaCtx.close();
    }
  });
});
