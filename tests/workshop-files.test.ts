/** Workshop files: attendance exports in WITA and Indonesian, the daftar hadir PDF (pages, letterhead, signatures). */
import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { db } from "~/db.server";
import { attendance } from "~/db/schema";
import { getUser, type SessionUser } from "~/auth.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { workshopFormSchema } from "~/features/workshops/rules";
import { enrolUsers } from "~/features/workshops/enrolment.server";
import { letterheadFor } from "~/features/workshops/exports.server";
import { createWorkshop, transitionWorkshop } from "~/features/workshops/sessions.server";
import * as pdf from "~/routes/sesi.$id.daftar-hadir[.pdf]";
import * as csv from "~/routes/sesi.$id.absensi[.csv]";
import * as xlsx from "~/routes/sesi.$id.absensi[.xlsx]";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { readPdf, renderedPages } from "./pdf";

const DESA = "64.08.01.2001";
let pembina: { user: SessionUser; cookie: string };
let other: { user: SessionUser; cookie: string };
let pos: number;

beforeAll(async () => {
  await setupDatabase();
  pos = await makePosyandu({ name: "Posyandu Melati", desaCode: DESA });
  const u = await makeUser({ name: "Rahmawati Pembina", role: "pembina_kecamatan", scopeCode: "64.08.01" });
  const cookie = await sessionCookie(u.id);
  pembina = { user: (await getUser(makeRequest("/", { cookie })))!, cookie };
  const o = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.02" });
  const ocookie = await sessionCookie(o.id);
  other = { user: (await getUser(makeRequest("/", { cookie: ocookie })))!, cookie: ocookie };
});

/** A published pelatihan on 1 Desember 2026, 06.30–12.00 WITA, in Muara Ancalong. */
async function session(title = "Pelatihan Kader 6 SPM Muara Ancalong"): Promise<number> {
  const r = await createWorkshop(
    pembina.user,
    workshopFormSchema.parse({
      title,
      kind: "pelatihan",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Aula Kantor Camat Muara Ancalong",
      startsAt: "2026-12-01T06:30",
      endsAt: "2026-12-01T12:00",
      capacity: "200",
    }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await transitionWorkshop(pembina.user, r.id, "published");
  return r.id;
}

async function kaderEnrolled(id: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (
        await makeUser({
          name: `Kader ${String(i + 1).padStart(3, "0")}`,
          role: "kader",
          scopeCode: DESA,
          posyanduId: pos,
        })
      ).id,
    );
  await enrolUsers(pembina.user, id, ids);
  return ids;
}

async function pdfOf(id: number): Promise<Buffer> {
  const res = await pdf.loader({
    request: makeRequest(`/sesi/${id}/daftar-hadir.pdf`, { cookie: pembina.cookie }),
    params: { id: String(id) },
    context: { clientIp: "x" },
  });
  return Buffer.from(await (res as Response).arrayBuffer());
}

describe("attendance exports", () => {
  it("write the moment in WITA (a check-in at 06.49 WITA on 1 Desember is not 30 November) and Indonesian labels", async () => {
    const id = await session();
    const [a, b] = await kaderEnrolled(id, 2);
    // 06.49 WITA on 1 December = 22.49 UTC on 30 November.
    await db.insert(attendance).values({
      workshopId: id,
      userId: a,
      status: "hadir",
      method: "qr",
      recordedBy: a,
      at: new Date(Date.UTC(2026, 10, 30, 22, 49)),
    });
    await db.insert(attendance).values({
      workshopId: id,
      userId: b,
      status: "terlambat",
      method: "roster",
      recordedBy: pembina.user.id,
      at: new Date(Date.UTC(2026, 11, 1, 0, 5)),
    });
    const params = { id: String(id) };

    const c = await call(csv.loader, makeRequest(`/sesi/${id}/absensi.csv`, { cookie: pembina.cookie }), params);
    const text = c.data as string;
    expect(text).toContain("Kader 001");
    const first = text.split("\n").find((l) => l.includes("Kader 001"))!;
    expect(first).toContain(",Terdaftar,Hadir,Pindai QR,1 Desember 2026 06.49 WITA");
    const second = text.split("\n").find((l) => l.includes("Kader 002"))!;
    expect(second).toContain(",Terdaftar,Terlambat,Daftar hadir,1 Desember 2026 08.05 WITA");
    expect(text).not.toMatch(/30 November|2026-11-30|,enrolled,|,qr,|,roster,/);

    const res = await xlsx.loader({
      request: makeRequest(`/sesi/${id}/absensi.xlsx`, { cookie: pembina.cookie }),
      params,
      context: { clientIp: "x" },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (res as Response).arrayBuffer());
    const ws = wb.getWorksheet("Absensi")!;
    expect(ws.getRow(2).getCell(10).value).toBe("Waktu dicatat (WITA)");
    const row = [3, 4].map((n) => ws.getRow(n)).find((r) => r.getCell(2).value === "Kader 001")!;
    expect(row.getCell(7).value).toBe("Terdaftar");
    expect(row.getCell(8).value).toBe("Hadir");
    expect(row.getCell(9).value).toBe("Pindai QR");
    // The date cell holds the wall time in WITA: 1 December 06.49.
    expect((row.getCell(10).value as Date).toISOString()).toBe("2026-12-01T06:49:00.000Z");
    expect(row.getCell(10).numFmt).toBe("dd/mm/yyyy hh:mm");
  });

  it("are refused to a pembina of another kecamatan", async () => {
    const id = await session();
    for (const fn of [csv.loader, xlsx.loader, pdf.loader]) {
      expect((await call(fn, makeRequest(`/sesi/${id}/x`, { cookie: other.cookie }), { id: String(id) })).status).toBe(
        403,
      );
    }
  });
});

describe("daftar hadir PDF", () => {
  it("fits 8 participants on one page with the letterhead, the full date and the signatures", async () => {
    const id = await session();
    await kaderEnrolled(id, 8);
    const { pages, text } = readPdf(await pdfOf(id));
    expect(pages).toBe(1);
    const t = text[0].replace(/\s+/g, " ");
    expect(t).toContain("TIM PEMBINA POSYANDU KECAMATAN MUARA ANCALONG");
    expect(t).toContain("Kabupaten Kutai Timur · Provinsi Kalimantan Timur");
    expect(t).toContain("Selasa, 1 Desember 2026, 06.30–12.00 WITA");
    expect(t).toContain("Kader 008");
    expect(t).toContain("Mengetahui,");
    expect(t).toContain("Ketua TP Posyandu Kecamatan Muara Ancalong");
    expect(t).toContain("Muara Ancalong, 1 Desember 2026");
    expect(t).toContain("Rahmawati Pembina");
    expect(t).toContain("Halaman 1 dari 1");
    expect(t).toMatch(/Dicetak \w+, \d{1,2} \w+ \d{4}/);
  });

  it("spreads 77 participants over 4 pages, numbered, the last holding rows and the signatures (no footer-only page)", async () => {
    const id = await session();
    await kaderEnrolled(id, 77);
    const bytes = await pdfOf(id);
    if (process.env.DUMP_PDF) writeFileSync(process.env.DUMP_PDF, bytes);
    const { pages, text } = readPdf(bytes);
    expect(renderedPages(bytes) ?? pages).toBe(4);
    // Page 1 holds 22 rows under the letterhead, pages 2 and 3 hold 27 each, page 4 the last row with the signatures.
    expect(pages).toBe(4);
    text.forEach((t, i) => expect(t.replace(/\s+/g, " ")).toContain(`Halaman ${i + 1} dari 4`));
    const last = text[3].replace(/\s+/g, " ");
    expect(last).toContain("Kader 077");
    expect(last).toContain("Mengetahui,");
    const all = text.join(" ");
    for (let i = 1; i <= 77; i++) expect(all).toContain(`Kader ${String(i).padStart(3, "0")}`);
  });

  it("names the kabupaten for a kabupaten session", () => {
    expect(
      letterheadFor([
        { level: "provinsi", name: "Kalimantan Timur" },
        { level: "kabupaten", name: "Kabupaten Kutai Timur" },
      ]),
    ).toEqual({
      title: "TIM PEMBINA POSYANDU KABUPATEN KUTAI TIMUR",
      subtitle: "Provinsi Kalimantan Timur",
      chair: "Ketua TP Posyandu Kabupaten Kutai Timur",
      place: "Kutai Timur",
    });
  });
});
