/**
 * Issue 21, item 10.3: the dashboard CSV follows one convention for Excel set to Indonesian
 * (app/features/reporting/csv-format.ts): ";" separator, decimal comma, DD/MM/YYYY dates and
 * a UTF-8 BOM; it still parses as CSV, and the XLSX keeps real numbers.
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvDate, csvNumber } from "~/features/reporting/csv-format";
import { csvStream, xlsxStream } from "~/features/reporting/export.server";

const figures = (rate: number) => ({
  activeKader: 112,
  enrolled: 100,
  attended: 90,
  modulesPassed: 40,
  issued: 17,
  certified: 17,
  rate,
  expiring60: 0,
});

const report = {
  region: { code: "64.08.01", name: "Muara Ancalong", level: "kecamatan" },
  totals: figures(0.1518),
  rows: [{ code: "64.08.01.2001", name: "Senyiur, Hulu", level: "desa", ...figures(0.1518) }],
  rowLevel: "desa",
};
const filter = { programmeId: "kader-6-spm", year: null, bidang: null, today: "2026-12-01" };

describe("dashboard CSV for Excel id-ID", () => {
  it("writes ';', a decimal comma, DD/MM/YYYY and a BOM, and reads back as the same table", async () => {
    const bytes = new Uint8Array(await new Response(csvStream(report as never, filter)).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    const text = new TextDecoder().decode(bytes); // drops the BOM
    const lines = text.trim().split("\n");
    expect(lines[4]).toBe("Tanggal data: 01/12/2026 (WITA)");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no ISO date left
    expect(lines[6]).toMatch(/^Kode;Nama;Tingkat wilayah;/);
    // 15.18 % is written 15,18; a comma inside a name needs no quotes with ";".
    expect(lines[7]).toBe("64.08.01.2001;Senyiur, Hulu;desa;112;100;90;40;17;17;15,18;0");
    const rows: string[][] = parse(text, { delimiter: ";", relax_column_count: true });
    expect(rows[7]).toEqual([
      "64.08.01.2001",
      "Senyiur, Hulu",
      "desa",
      "112",
      "100",
      "90",
      "40",
      "17",
      "17",
      "15,18",
      "0",
    ]);
  });

  it("the XLSX keeps numeric cells", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await new Response(xlsxStream(report as never, filter)).arrayBuffer());
    const row = wb.getWorksheet("Rekap")!.getRow(8);
    expect(row.getCell(10).value).toBe(15.18);
    expect(row.getCell(4).value).toBe(112);
  });

  it("formats numbers and dates one way", () => {
    expect(csvNumber(15.18)).toBe("15,18");
    expect(csvNumber(50)).toBe("50");
    expect(csvNumber(-0.12)).toBe("-0,12");
    expect(csvDate("2026-12-01")).toBe("01/12/2026");
    expect(csvDate("2026-01")).toBe("01/2026");
  });
});
