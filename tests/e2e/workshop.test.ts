import { describe, expect, it } from "vitest";
import { browserFixture, login, phoneContext, shot } from "./browser";

const e2e = browserFixture();

function witaInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

describe("pembina kecamatan runs a pelatihan on a phone; a kader checks in by QR", () => {
  it("creates, enrols a desa, records attendance, and a kader scans in", async () => {
    const ctx = await phoneContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000004");
      await page.goto("/sesi/baru");
      const title = `Pelatihan Kader Uji ${Date.now()}`;
      await page.fill("input[name=title]", title);
      await page.selectOption("select[name=kind]", "pelatihan");
      await page.selectOption("select[name=audience]", "kader");
      await page.selectOption("select[name=regionCode]", "64.08.01");
      await page.fill("input[name=venue]", "Aula Kantor Camat Muara Ancalong");
      const start = new Date(Date.now() - 10 * 60_000);
      await page.fill("input[name=startsAt]", witaInput(start));
      await page.fill("input[name=endsAt]", witaInput(new Date(start.getTime() + 4 * 3600_000)));
      await page.fill("input[name=capacity]", "60");
      await page.click("button:has-text('Simpan draf')");
      await page.waitForURL(/\/sesi\/\d+\?dibuat=1$/);
      const id = new URL(page.url()).pathname.split("/")[2];
      await page.click("button:has-text('Umumkan kegiatan')");
      await page.waitForSelector("text=Kegiatan diumumkan");

      // Bulk enrolment of the kader of one desa (Kelinjau Ilir; the demo kader lives in Senyiur).
      await page.goto(`/sesi/${id}/peserta`);
      await page.selectOption("select[name=wilayah]", "64.08.01.2002");
      await page.click("button:has-text('Tampilkan')");
      await page.click("button:has-text('Daftarkan semua')");
      await page.waitForURL(/terdaftar=\d+/);
      const enrolled = Number(new URL(page.url()).searchParams.get("terdaftar"));
      expect(enrolled).toBeGreaterThan(0);

      // The roster on the phone: one kader izin, then "semua hadir" for the rest.
      await page.goto(`/sesi/${id}/absensi`);
      const rows = page.locator("ol > li");
      expect(await rows.count()).toBe(enrolled);
      await rows.first().locator("label:has-text('Izin')").click();
      // Wait for the page's load, not for its first lines: the roster below streams in after
      // the message (on a busy machine the count ran on a half-parsed page).
      await Promise.all([page.waitForURL(/tersimpan=1$/), page.click("button:has-text('Simpan absensi')")]);
      await Promise.all([
        page.waitForURL(new RegExp(`tersimpan=${enrolled - 1}$`)),
        page.click("button:has-text('Semua hadir')"),
      ]);
      await page.getByText(`${enrolled - 1} catatan kehadiran disimpan`).waitFor();
      expect(await page.locator("input[value=izin]:checked").count()).toBe(1);
      expect(await page.locator("input[value=hadir]:checked").count()).toBe(enrolled - 1);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, "pembina-roster");

      // The QR screen.
      await page.goto(`/sesi/${id}/qr`);
      expect(await page.locator("svg").count()).toBeGreaterThan(0);
      const code = (await page.getByTestId("kode-absen").textContent())?.trim();
      expect(code).toMatch(/^\d{6}$/);
      const checkinUrl = await page.getByTestId("checkin-url").getAttribute("href");
      expect(checkinUrl).toMatch(/\/hadir\/\d+-/);
      await shot(page, "pembina-qr");

      // A kader (another e2e.browser) scans the QR, logs in, confirms.
      const kctx = await phoneContext(e2e.browser, e2e.baseUrl);
      const k = await kctx.newPage();
      await k.goto(new URL(checkinUrl!).pathname);
      await k.waitForURL(/\/masuk\?redirectTo=/);
      await k.fill("input[name=login]", "081100000006");
      await k.fill("input[name=password]", "posyandu-demo");
      await k.click("button[type=submit]");
      await k.waitForURL(/\/hadir\/\d+-.*pindai=/);
      // Back from the login the check-in is recorded at once, without a second tap.
      await expect(k.getByRole("status").textContent()).resolves.toMatch(/tercatat: (hadir|terlambat)/);
      // Scanning again does not record twice.
      await k.goto(new URL(checkinUrl!).pathname);
      await k.click("button:has-text('Saya hadir')");
      await expect(k.getByRole("status").textContent()).resolves.toContain("sudah tercatat sebelumnya");
      await shot(k, "kader-checkin");
      await kctx.close();

      const ics = await page.request.get(`/sesi/${id}.ics`);
      expect(ics.status()).toBe(200);
      expect(ics.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
      expect(await ics.text()).toContain(`UID:sesi-${id}@akademi-posyandu`);
      const csv = await page.request.get(`/sesi/${id}/absensi.csv`);
      expect(csv.status()).toBe(200);
      const lines = (await csv.text()).trim().split("\n");
      const dewi = lines.filter((l) => l.includes("Dewi Lestari"));
      expect(dewi).toHaveLength(1);
      expect(dewi[0]).toContain(",Pindai QR,");
      expect(lines.length - 2).toBe(enrolled + 1); // title and header lines, then one row per person
    } catch (e) {
      await shot(page, "workshop-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
