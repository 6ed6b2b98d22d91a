/**
 * Pembina journey on a 360 px phone, without JavaScript: import a posyandu and its kader
 * from CSV (a row error first, then the fixed file), find the kader in the user list,
 * print the activation codes for that posyandu, and let one kader activate with a code.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();

const run = Date.now().toString(36).slice(-5).toUpperCase();
const POSYANDU = `Posyandu Uji ${run}`;
const REG = `E2E-${run}`;
const suffix = String(Date.now() % 100_000).padStart(5, "0");
const PHONE_1 = `0813771${suffix}`;
const PHONE_2 = `0813772${suffix}`;
const KADER_1 = `Sri Wahyuni ${run}`;
const KADER_2 = `Nurjannah Sa\u2019diyah ${run}`;
const HEADER = "nama,no_hp,posyandu,nomor_registrasi_posyandu,kode_desa,bidang_spm,jenis_kelamin,tahun_lahir";

async function uploadCsv(page: Page, kind: "kader" | "posyandu", name: string, text: string) {
  await page.goto("/admin/impor");
  await page.check(`input[name=jenis][value=${kind}]`);
  await page.setInputFiles("input[name=berkas]", { name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
  await Promise.all([
    page.waitForURL(/\/admin\/impor\/pratinjau\/[a-f0-9]{32}$/),
    page.click("button:has-text('Periksa berkas')"),
  ]);
}

async function count(page: Page, label: string): Promise<string> {
  return (await page.locator(`[data-count="${label}"]`).textContent())!.trim();
}

async function noOverflow(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

describe("roster import by a pembina kecamatan", () => {
  it("imports, fixes a row error, saves, finds the kader and prints their activation codes", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000004"); // pembina kecamatan Muara Ancalong (64.08.01)
      await page.goto("/admin/pengguna");
      await Promise.all([page.waitForURL("**/admin/impor"), page.click("a:has-text('Impor')")]);
      expect(await page.locator("h1").textContent()).toBe("Impor data");
      await noOverflow(page);
      expect(await page.locator("script[src]").count()).toBe(0);
      await shot(page, "import-form");

      // The posyandu first.
      await uploadCsv(
        page,
        "posyandu",
        "posyandu.csv",
        `nama,kode_desa,nomor_registrasi,alamat\n${POSYANDU},64.08.01.2001,${REG},Jl. Uji RT 01\n`,
      );
      expect(await count(page, "Baru")).toBe("1");
      await Promise.all([
        page.waitForSelector("text=Impor posyandu tersimpan"),
        page.click("button:has-text('Simpan')"),
      ]);

      // A kader file with a bad phone number: the row error is shown and nothing can be saved.
      const bad = [
        HEADER,
        `${KADER_1},${PHONE_1},,${REG},,Kesehatan,P,1985`,
        `${KADER_2},0812-ABC,${POSYANDU},,64.08.01.2001,Pekerjaan Umum,Perempuan,1990`,
      ].join("\n");
      await uploadCsv(page, "kader", "kader.csv", bad);
      await expect(page.getByRole("alert").first().textContent()).resolves.toContain(
        "Baris 3: nomor HP tidak valid (0812-ABC)",
      );
      expect(await count(page, "Salah")).toBe("1");
      expect(await page.locator("button:has-text('Simpan')").count()).toBe(0);
      await noOverflow(page);
      await shot(page, "import-preview-error");

      // Fixed and uploaded again: two new kader, saved in one go.
      const good = bad.replace("0812-ABC", PHONE_2);
      await uploadCsv(page, "kader", "kader.csv", good);
      expect(await count(page, "Baru")).toBe("2");
      expect(await count(page, "Salah")).toBe("0");
      await expect(page.locator("table").textContent()).resolves.toContain(KADER_2);
      await shot(page, "import-preview-ok");
      await Promise.all([page.waitForSelector("text=Impor kader tersimpan"), page.click("button:has-text('Simpan')")]);
      await expect(page.getByRole("status").textContent()).resolves.toContain("2 baru, 0 diperbarui, 0 tidak berubah");

      // The kader are in the user list, waiting for activation.
      await page.goto(`/admin/pengguna?q=${encodeURIComponent(run)}`);
      const list = page.locator("ul").filter({ hasText: KADER_1 });
      await expect(list.textContent()).resolves.toContain(KADER_2);
      expect(await page.locator("text=belum aktivasi").count()).toBe(2);
      await shot(page, "import-user-list");

      // Print the activation codes for that posyandu.
      await page.goto(`/posyandu?q=${encodeURIComponent(POSYANDU)}`);
      await Promise.all([page.waitForURL(/\/posyandu\/\d+$/), page.click(`a:has-text('${POSYANDU}')`)]);
      await Promise.all([page.waitForURL(/\/kode-aktivasi$/), page.click("text=Cetak kode aktivasi")]);
      await page.click("button:has-text('Buat dan cetak kode aktivasi')");
      await page.waitForSelector("[data-code-for]");
      expect(await page.locator("[data-code-for]").count()).toBe(2);
      const code = (await page.locator(`[data-code-for="${PHONE_1}"]`).textContent())!.trim();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await noOverflow(page);
      await shot(page, "import-activation-codes");

      // Account administration: a new code for the other kader from their account page.
      await page.goto(`/admin/pengguna?q=${encodeURIComponent(KADER_2)}`);
      await Promise.all([page.waitForURL(/\/admin\/pengguna\/[a-z0-9]+$/), page.click(`a:has-text('${KADER_2}')`)]);
      await expect(page.locator("dd").filter({ hasText: "Belum aktivasi" }).count()).resolves.toBe(1);
      await page.click("button:has-text('Atur ulang kata sandi')");
      await page.waitForSelector("[data-reset-code]");
      expect((await page.locator("[data-reset-code]").textContent())!.trim()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await noOverflow(page);
      await shot(page, "import-reset-code");

      // The kader activates with phone + code and is logged in.
      await page.click("text=Keluar");
      await page.waitForURL("**/masuk");
      await Promise.all([page.waitForURL("**/aktivasi"), page.click("text=Aktifkan akun")]);
      await page.fill("input[name=phone]", PHONE_1);
      await page.fill("input[name=code]", code.toLowerCase());
      await page.fill("input[name=password]", "kata-sandi-sri");
      await page.fill("input[name=confirm]", "kata-sandi-sri");
      // Activation ends on a welcome page with the three steps to a certificate.
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/selamat-datang"),
        page.click("button:has-text('Aktifkan dan masuk')"),
      ]);
      expect(await page.locator("h1").first().textContent()).toContain(`Selamat datang, ${KADER_1}`);
      expect(await page.locator("ol > li").count()).toBe(4); // the programme's steps: modules, quizzes, pelatihan, praktik
      await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.click("text=Ke Beranda")]);
      expect(await page.locator("h1").first().textContent()).toContain(`Halo, ${KADER_1}`);
      await shot(page, "import-kader-activated");
    } catch (e) {
      await shot(page, "import-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
