/**
 * Kader journey to a certificate, and its public verification and revocation.
 * Demo data: kader 081100000008 (Kutai Timur) attended a completed pelatihan, read all
 * twelve modules and passed eleven quizzes; the quiz of the programme's last module,
 * `pendanaan-dan-perencanaan`, and the praktik lapangan are left. The admin sets the Kutai Timur signatory, the kader
 * passes the quiz, the pembina desa (081100000007) observes the practice, the kader is
 * certified: the PDF names the signatory and the tasks, the Open Badges credential verifies.
 */
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { parse } from "yaml";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();
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
    const prompt = ((await fs.locator("p.font-semibold").first().textContent()) ?? "")
      .replace(/^\s*\d+\.\s*/, "")
      .trim();
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

/** The text drawn on the PDF pages (pdfkit writes hex strings in deflated streams). */
function pdfWords(pdf: Buffer): string {
  const src = pdf.toString("latin1");
  const out: string[] = [];
  for (const m of src.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = src.indexOf("endstream", start);
    let body = "";
    try {
      body = inflateSync(Buffer.from(src.slice(start, end), "latin1")).toString("latin1");
    } catch {
      continue;
    }
    for (const tj of body.matchAll(/\[([^\]]*)\]\s*TJ/g))
      out.push(
        [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], "hex").toString("latin1")).join(""),
      );
  }
  return out.join(" ").replace(/\s+/g, " ");
}

describe("certificate: from the last quiz to a public, revocable verification", () => {
  it("kader passes the last quiz, downloads the certificate; anyone verifies it; admin revokes it", async () => {
    const kaderCtx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await kaderCtx.newPage();
    let code = "";
    let verifyUrl = "";
    let jwt = "";
    // The admin sets who signs the certificates of Kutai Timur.
    const setupCtx = await phoneContext(e2e.browser, e2e.baseUrl);
    const setup = await setupCtx.newPage();
    try {
      await login(setup, "081100000001");
      await setup.goto("/admin/penandatangan");
      const form = setup.locator("[data-testid='kab-64.08']");
      await form.locator("input[name=name]").fill("Drs. Suriansyah, M.Si");
      await form.locator("input[name=title]").fill("Kepala Dinas Pemberdayaan Masyarakat dan Desa");
      await form.locator("input[name=nip]").fill("197001011990031001");
      await Promise.all([setup.waitForURL(/tersimpan=64\.08/), form.locator("button[type=submit]").click()]);
    } catch (e) {
      await shot(setup, "certificate-signatory-failure");
      throw e;
    } finally {
      await setupCtx.close();
    }
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

      // Quizzes done, practice not yet: the page says what is left.
      await page.goto("/sertifikat");
      await page.waitForSelector("text=Belum bersertifikat");
      await expect(page.locator("[data-testid=praktik]").textContent()).resolves.toContain("0 dari 2 tugas kompeten");
    } catch (e) {
      await shot(page, "certificate-kader-failure");
      throw e;
    }

    // The pembina desa observes the practice: account list, progress page, observation sheet.
    const pembinaCtx = await phoneContext(e2e.browser, e2e.baseUrl);
    const pembina = await pembinaCtx.newPage();
    try {
      await login(pembina, "081100000007");
      await pembina.goto("/admin/pengguna?q=Rina+Marlina");
      await pembina.click("main a:has-text('Rina Marlina')");
      await pembina.click("text=Kemajuan belajar, kuis, praktik dan sertifikat");
      await pembina.waitForURL(/\/kader\/[a-z0-9]+$/);
      const kaderId = pembina.url().split("/").pop()!;
      await pembina.click("a:has-text('Catat praktik lapangan')");
      for (const task of ["timbang-balita", "data-anak-tidak-sekolah"]) {
        await pembina.selectOption("select[name=tugas]", task);
        await Promise.all([
          pembina.waitForURL(new RegExp(`tugas=${task}`)),
          pembina.click("button:has-text('Tampilkan daftar periksa')"),
        ]);
        const sheet = pembina.locator(`[data-testid='kader-${kaderId}']`);
        const boxes = sheet.locator("input[type=checkbox]");
        for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
        await sheet.locator("input[type=radio][value=kompeten]").check();
        await Promise.all([pembina.waitForURL(/tersimpan=1/), pembina.click("button:has-text('Simpan pengamatan')")]);
      }
      await shot(pembina, "praktik-lapangan");
    } catch (e) {
      await shot(pembina, "certificate-pembina-failure");
      throw e;
    } finally {
      await pembinaCtx.close();
    }

    try {
      await page.goto("/sertifikat");
      await page.waitForSelector("text=Selamat, sertifikat Anda terbit");
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
      const words = pdfWords(body);
      expect(words).toContain("Drs. Suriansyah, M.Si");
      expect(words).toContain("Menimbang dan mencatat balita di KMS/Buku KIA");
      expect(words).toContain("Mendata anak tidak sekolah di RT");
      expect(words).not.toContain("Ed25519");
      const cred = await page.request.get(`/sertifikat/${code}.jwt`);
      expect(cred.status()).toBe(200);
      jwt = (await cred.text()).trim();
      expect(jwt.split(".")).toHaveLength(3);
      await expect(page.locator("a:has-text('Bagikan lewat WhatsApp')").getAttribute("href")).resolves.toMatch(
        /^https:\/\/wa\.me\/\?text=.*verifikasi/,
      );
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("a:has-text('Unduh sertifikat (PDF)')"),
      ]);
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
      // The Open Badges 3.0 credential, pasted on /verifikasi.
      await pub.goto("/verifikasi");
      await pub.fill("textarea[name=kredensial]", jwt);
      await pub.click("button:has-text('Periksa kredensial')");
      await expect(pub.getByRole("status").getAttribute("data-state")).resolves.toBe("berlaku");
      await shot(pub, "verifikasi-kredensial");
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
