/**
 * A pembina kecamatan on a phone: the peserta page opens with candidates, the daftar hadir
 * PDF for 8 and for 77 participants (rendered and counted), the reminder list, and the
 * attendance exports with the WITA date and Indonesian labels.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, login, phoneContext, shot } from "./browser";
import { readPdf, renderedPages } from "../pdf";

let browser: Browser;
const baseUrl = inject("baseUrl");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

function witaInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** "1 Desember 2026": the date of a moment in WITA, as the exports write it. */
function witaDay(d: Date): string {
  return new Intl.DateTimeFormat("id-ID", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "Asia/Makassar",
  }).format(d);
}

/** Schedules and announces a pelatihan in Muara Ancalong running now; enrols the kecamatan up to the capacity. */
async function runningSession(page: Page, capacity: number): Promise<{ id: string; enrolled: number }> {
  await page.goto("/sesi/baru");
  await page.fill("input[name=title]", `Pelatihan Kader ${capacity} Peserta ${Date.now()}`);
  await page.selectOption("select[name=regionCode]", "64.08.01");
  await page.fill("input[name=venue]", "Aula Kantor Camat Muara Ancalong");
  const start = new Date(Date.now() - 10 * 60_000);
  await page.fill("input[name=startsAt]", witaInput(start));
  await page.fill("input[name=endsAt]", witaInput(new Date(start.getTime() + 4 * 3600_000)));
  await page.fill("input[name=capacity]", String(capacity));
  await page.click("button:has-text('Simpan draf')");
  await page.waitForURL(/\/sesi\/\d+\?dibuat=1$/);
  const id = new URL(page.url()).pathname.split("/")[2];
  // A draft offers no WhatsApp share.
  expect(await page.locator("text=Bagikan ke WhatsApp").count()).toBe(0);
  await page.click("button:has-text('Umumkan kegiatan')");
  await page.waitForSelector("text=Kegiatan diumumkan");
  expect(await page.locator("text=Bagikan ke WhatsApp").count()).toBe(1);

  // The peserta page opens on Muara Ancalong with its kader already listed.
  await page.goto(`/sesi/${id}/peserta`);
  expect(await page.locator("select[name=wilayah]").inputValue()).toBe("64.08.01");
  expect(await page.locator("input[name=userIds]").count()).toBeGreaterThanOrEqual(77);
  await page.click("button:has-text('Daftarkan semua')");
  await page.waitForURL(/terdaftar=\d+/);
  return { id, enrolled: Number(new URL(page.url()).searchParams.get("terdaftar")) };
}

async function pdfOf(page: Page, id: string): Promise<Buffer> {
  const res = await page.request.get(`/sesi/${id}/daftar-hadir.pdf`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  return Buffer.from(await res.body());
}

describe("pembina kecamatan: daftar hadir, reminders and exports", () => {
  it("prints 8 participants on 1 page and 77 on 4, sends reminders, exports in WITA", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000004");

      // 8 participants: one page, numbered, with the letterhead and the signatures.
      const small = await runningSession(page, 8);
      expect(small.enrolled).toBe(8);
      const smallPdf = await pdfOf(page, small.id);
      const s = readPdf(smallPdf);
      expect(renderedPages(smallPdf) ?? s.pages).toBe(1);
      expect(s.pages).toBe(1);
      const sText = s.text[0].replace(/\s+/g, " ");
      expect(sText).toContain("TIM PEMBINA POSYANDU KECAMATAN MUARA ANCALONG");
      expect(sText).toContain("Halaman 1 dari 1");
      expect(sText).toContain("Mengetahui,");

      // The reminder list: one WhatsApp link per enrolled kader, with the prepared message.
      await page.goto(`/sesi/${small.id}`);
      await page.click("text=Kirim pengingat (WhatsApp)");
      await page.waitForURL(new RegExp(`/sesi/${small.id}/pengingat$`));
      const links = page.getByRole("link", { name: /^Kirim WA ke / });
      expect(await links.count()).toBe(8);
      await page.fill("textarea[name=bawa]", "Buku catatan kader dan ponsel");
      await page.click("button:has-text('Perbarui pesan')");
      await page.waitForURL(/bawa=/);
      const href = (await links.first().getAttribute("href"))!;
      expect(href).toMatch(/^https:\/\/wa\.me\/628\d+\?text=/);
      const text = decodeURIComponent(href.split("?text=")[1]);
      expect(text).toMatch(/^Halo .+,\n/);
      expect(text).toContain(`Hari/tanggal: `);
      expect(text).toContain(witaDay(new Date(Date.now() - 10 * 60_000)));
      expect(text).toMatch(/Pukul: \d\d\.\d\d–\d\d\.\d\d WITA/);
      expect(text).toContain("Tempat: Aula Kantor Camat Muara Ancalong");
      expect(text).toContain("Yang perlu dibawa: Buku catatan kader dan ponsel");
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, "pembina-pengingat");
      const ics = await page.request.get(
        (await page.getByRole("link", { name: "Unduh kalender (.ics)" }).getAttribute("href"))!,
      );
      expect(ics.status()).toBe(200);
      expect(await ics.text()).toContain(`UID:sesi-${small.id}@akademi-posyandu`);

      // Attendance, then the exports: the WITA date of the moment it was recorded, Indonesian labels.
      await page.goto(`/sesi/${small.id}/absensi`);
      await page.click("button:has-text('Semua hadir')");
      await page.waitForSelector("text=8 catatan kehadiran disimpan");
      const recorded = new Date();
      const csv = await (await page.request.get(`/sesi/${small.id}/absensi.csv`)).text();
      // The kader beyond the capacity are on the waitlist ("Daftar tunggu") without attendance.
      const rows = csv
        .trim()
        .split("\n")
        .slice(2)
        .filter((r) => r.includes(",Terdaftar,"));
      expect(rows).toHaveLength(8);
      expect(csv).toContain(",Daftar tunggu,,,");
      for (const r of rows)
        expect(r).toMatch(new RegExp(`,Terdaftar,Hadir,Daftar hadir,${witaDay(recorded)} \\d\\d\\.\\d\\d WITA`));
      expect(csv).not.toMatch(/,enrolled,|,roster,|\d{4}-\d\d-\d\d/);

      // 77 participants: four numbered pages, the last with rows and the signatures.
      const big = await runningSession(page, 77);
      expect(big.enrolled).toBe(77);
      const bigPdf = await pdfOf(page, big.id);
      const b = readPdf(bigPdf);
      expect(renderedPages(bigPdf) ?? b.pages).toBe(4);
      expect(b.pages).toBe(4);
      b.text.forEach((t, i) => expect(t.replace(/\s+/g, " ")).toContain(`Halaman ${i + 1} dari 4`));
      expect(b.text[3]).toMatch(/\b77\b/);
      expect(b.text[3]).toContain("Mengetahui,");
    } catch (e) {
      await shot(page, "session-files-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
