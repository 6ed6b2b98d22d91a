/**
 * A check-in before 08.00 WITA (the previous day in UTC) exports with its WITA date.
 * This file runs its own server (the build of global-setup) with the clock moved to
 * 06.49 WITA by tests/e2e/fake-clock.mjs, whatever the real hour.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { launch, login, phoneContext, shot } from "./browser";

let browser: Browser;
let server: ChildProcess | undefined;
let dataDir: string | undefined;
let baseUrl = "";

/** 06.49 WITA = 22.49 UTC of the day before: the server's "now" for this file. */
const realNow = Date.now();
const target = new Date(realNow);
target.setUTCHours(22, 49, 0, 0);
const offset = target.getTime() - realNow;

beforeAll(async () => {
  browser = await launch();
  dataDir = mkdtempSync(path.join(tmpdir(), "akademi-e2e-clock-"));
  const port = 20000 + Math.floor(Math.random() * 40000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    FAKE_CLOCK_OFFSET_MS: String(offset),
  };
  delete env.DATABASE_URL;
  server = spawn("node", ["--import", "./tests/e2e/fake-clock.mjs", "build/server.js"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start in 280 s")), 280_000);
    let log = "";
    server!.stdout!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("siap di http")) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.stderr!.on("data", (c: Buffer) => process.stderr.write(c));
    server!.on("exit", (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  baseUrl = `http://127.0.0.1:${port}`;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const witaInput = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
const day = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "long", year: "numeric", timeZone }).format(d);

describe("attendance exports at dawn", () => {
  it("a check-in at 06.49 WITA exports the WITA date (not the UTC date of the day before)", async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const page = await ctx.newPage();
    try {
      await login(page, "081100000004");
      await page.goto("/sesi/baru");
      await page.fill("input[name=title]", "Pelatihan Kader Pagi Muara Ancalong");
      await page.selectOption("select[name=regionCode]", "64.08.01");
      await page.fill("input[name=venue]", "Balai Desa Senyiur");
      await page.fill("input[name=startsAt]", witaInput(new Date(target.getTime() - 19 * 60_000))); // 06.30 WITA
      await page.fill("input[name=endsAt]", witaInput(new Date(target.getTime() + 4 * 3600_000)));
      await page.fill("input[name=capacity]", "5");
      await page.click("button:has-text('Simpan draf')");
      await page.waitForURL(/\/sesi\/\d+\?dibuat=1$/);
      const id = new URL(page.url()).pathname.split("/")[2];
      await page.click("button:has-text('Umumkan kegiatan')");
      await page.waitForSelector("text=Kegiatan diumumkan");
      await page.goto(`/sesi/${id}/peserta`);
      await page.click("button:has-text('Daftarkan semua')");
      await page.waitForURL(/terdaftar=5/);
      await page.goto(`/sesi/${id}/absensi`);
      await page.click("button:has-text('Semua hadir')");
      await page.waitForSelector("text=5 catatan kehadiran disimpan");

      const wita = day(target, "Asia/Makassar");
      const utc = day(target, "UTC");
      expect(wita).not.toBe(utc);
      const csv = await (await page.request.get(`/sesi/${id}/absensi.csv`)).text();
      const rows = csv
        .trim()
        .split("\n")
        .filter((r) => r.includes(",Terdaftar,Hadir,"));
      expect(rows).toHaveLength(5);
      for (const r of rows) expect(r).toMatch(new RegExp(`,Daftar hadir,${wita} 0[67]\\.\\d\\d WITA`));
      expect(csv).not.toContain(utc);

      const res = await page.request.get(`/sesi/${id}/absensi.xlsx`);
      const wb = new ExcelJS.Workbook();
      const body = await res.body();
      await wb.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
      const ws = wb.getWorksheet("Absensi")!;
      expect(ws.getRow(2).getCell(10).value).toBe("Waktu dicatat (WITA)");
      const hadir: Date[] = [];
      ws.eachRow((r, n) => n > 2 && r.getCell(8).value === "Hadir" && hadir.push(r.getCell(10).value as Date));
      expect(hadir).toHaveLength(5);
      const at = hadir[0];
      expect(at).toBeInstanceOf(Date);
      // The cell holds the wall time in WITA: same calendar day as the check-in in WITA, before 08.00.
      expect(day(at, "UTC")).toBe(wita);
      expect(at.getUTCHours()).toBeLessThan(8);
    } catch (e) {
      await shot(page, "early-checkin-failure");
      throw e;
    } finally {
      await ctx.close();
    }
  });
});
