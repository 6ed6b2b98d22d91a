/**
 * Kader journey to a certificate, and its public verification and revocation.
 * Demo data: kader 081100000008 (Kutai Timur) attended a completed pelatihan, read all
 * twelve modules and passed eleven quizzes; only the quiz of the programme's last module,
 * `pendanaan-dan-perencanaan`, is left.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { parse } from "yaml";
import { useBrowser, login, phoneContext, shot } from "./browser";

const e2e = useBrowser();
const SLUG = "pendanaan-dan-perencanaan";

interface BankQuestion {
  id: string;
  type: "single" | "multiple" | "truefalse";
  prompt: string;
  options?: { id: string; text: string }[];
  answer: string | string[] | boolean;
}
const bank = parse(readFileSync(`content/modules/11-${SLUG}/quiz.yaml`, "utf8")) as { questions: BankQuestion[] };

/** The texts of the right options of a bank question. */
function rightTexts(q: BankQuestion): string[] {
  if (q.type === "truefalse") return [q.answer ? "Benar" : "Salah"];
  const ids = Array.isArray(q.answer) ? q.answer : [q.answer as string];
  return q.options!.filter((o) => ids.includes(o.id)).map((o) => o.text);
}

/** Answers every displayed question correctly by matching prompt and option texts to the bank on disk. */
async function answerCorrectly(page: Page): Promise<number> {
  const fieldsets = page.locator("form fieldset");
  const n = await fieldsets.count();
  for (let i = 0; i < n; i++) {
    const fs = fieldsets.nth(i);
    const prompt = ((await fs.locator("p.font-semibold").first().textContent()) ?? "").replace(/^\s*\d+\.\s*/, "").trim();
    const q = bank.questions.find((b) => b.prompt.trim() === prompt);
    expect(q, `question "${prompt}" is in the bank`).toBeDefined();
    const right = rightTexts(q!);
    const labels = fs.locator("label");
    let checked = 0;
    for (let j = 0; j < (await labels.count()); j++) {
      const text = ((await labels.nth(j).locator("span").textContent()) ?? "").trim();
      if (right.includes(text)) {
        await labels.nth(j).locator("input").check();
        checked++;
      }
    }
    expect(checked, prompt).toBe(right.length);
  }
  return n;
}


describe("certificate: from the last quiz to a public, revocable verification", () => {
  it("kader passes the last quiz, downloads the certificate; anyone verifies it; admin revokes it", async () => {
    const kaderCtx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await kaderCtx.newPage();
    let code = "";
    let verifyUrl = "";
    try {
      await login(page, "081100000008");
      await page.goto(`/modul/${SLUG}/kuis`);
      const resume = page.locator("a:has-text('Lanjutkan kuis yang belum selesai')");
      if (await resume.count()) await resume.click();
      else await page.click("main form button[type=submit]"); // "Mulai kuis" (or "Coba lagi")
      await page.waitForURL(/\/kuis\/[a-z0-9]+$/);
      expect(await answerCorrectly(page)).toBe(10);
      await page.click("text=Kirim jawaban");
      await page.waitForSelector("text=Hasil kuis");
      await expect(page.getByRole("status").textContent()).resolves.toContain("Nilai 100");

      await page.goto("/sertifikat");
      await page.waitForSelector("text=Sertifikat berlaku");
      code = ((await page.locator("dd.font-mono").first().textContent()) ?? "").trim();
      expect(code).toMatch(/^AP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      await shot(page, "sertifikat-saya");

      const href = await page.locator("a:has-text('Unduh sertifikat (PDF)')").getAttribute("href");
      expect(href).toBe(`/sertifikat/${code}.pdf`);
      const pdf = await page.request.get(href!);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      const body = await pdf.body();
      expect(body.subarray(0, 5).toString()).toBe("%PDF-");
      expect(body.toString("latin1")).toContain(code);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("a:has-text('Unduh sertifikat (PDF)')")]);
      expect(download.suggestedFilename()).toBe(`sertifikat-${code}.pdf`);

      verifyUrl = (await page.locator("a:has-text('Lihat halaman verifikasi')").getAttribute("href"))!;
      expect(verifyUrl).toMatch(new RegExp(`^/verifikasi/${code}\\?s=[A-Za-z0-9_-]{86}$`));
    } catch (e) {
      await shot(page, "certificate-kader-failure");
      throw e;
    } finally {
      await kaderCtx.close();
    }

    // Anyone, not logged in, in a fresh browser.
    const publicCtx = await phoneContext(e2e.browser, e2e.baseUrl);
    const pub = await publicCtx.newPage();
    try {
      await pub.goto(verifyUrl);
      const status = pub.getByRole("status");
      await expect(status.getAttribute("data-state")).resolves.toBe("berlaku");
      await expect(status.textContent()).resolves.toContain("BERLAKU");
      await expect(pub.getByText("Tanda tangan elektronik pada kode QR cocok.").isVisible()).resolves.toBe(true);
      expect(await pub.locator("script").count()).toBe(0);
      await shot(pub, "verifikasi-berlaku");
      // A forged signature is told apart.
      await pub.goto(verifyUrl.replace(/s=./, (m) => (m.endsWith("A") ? "s=B" : "s=A")));
      await expect(pub.getByRole("status").getAttribute("data-state")).resolves.toBe("tanda_tangan_salah");
      // Typing the code in lower case, without dashes, on the form.
      await pub.goto("/verifikasi");
      await pub.fill("input[name=kode]", code.toLowerCase().replaceAll("-", " "));
      await pub.click("button:has-text('Periksa')");
      await pub.waitForURL(`**/verifikasi/${code}`);
      await expect(pub.getByRole("status").getAttribute("data-state")).resolves.toBe("berlaku");
    } catch (e) {
      await shot(pub, "certificate-public-failure");
      throw e;
    }

    // The admin (province scope) revokes with a reason.
    const adminCtx = await phoneContext(e2e.browser, e2e.baseUrl);
    const admin = await adminCtx.newPage();
    try {
      await login(admin, "081100000001");
      await admin.goto(`/admin/sertifikat/${code}`);
      await admin.fill("textarea[name=alasan]", "Uji coba pencabutan oleh admin.");
      await admin.click("button:has-text('Cabut sertifikat')");
      await admin.waitForSelector("text=Sertifikat dicabut.");
      await shot(admin, "sertifikat-dicabut-admin");
    } catch (e) {
      await shot(admin, "certificate-admin-failure");
      throw e;
    } finally {
      await adminCtx.close();
    }

    try {
      await pub.goto(verifyUrl);
      const status = pub.getByRole("status");
      await expect(status.getAttribute("data-state")).resolves.toBe("dicabut");
      await expect(status.textContent()).resolves.toContain("DICABUT");
      await expect(status.textContent()).resolves.toContain("Uji coba pencabutan oleh admin.");
      await shot(pub, "verifikasi-dicabut");
    } catch (e) {
      await shot(pub, "certificate-public-failure");
      throw e;
    } finally {
      await publicCtx.close();
    }
  });
});
