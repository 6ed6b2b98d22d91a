/**
 * The XLSX import reads uploads with exceljs's streaming reader, which iterates the zip with
 * unzipper. unzipper 0.10 ended its entry stream when the *input* had been written, so a reader
 * that lagged behind (exceljs spooling the worksheets to temporary files) lost the last entries —
 * sharedStrings.xml and workbook.xml — and failed with "Cannot read properties of undefined
 * (reading 'sheets')" on roughly one upload in 30 (exceljs issue #3064). patches/unzipper+0.10.14.patch
 * ends the stream at the end-of-central-directory record instead; these tests fail without it.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
// exceljs's own stream iterator, the one its WorkbookReader uses on the zip.
// @ts-expect-error untyped internal module
import iterateStream from "exceljs/lib/utils/iterate-stream.js";
// @ts-expect-error untyped module
import unzipper from "unzipper";
import { describe, expect, it } from "vitest";
import { xlsxRows } from "~/features/roster-import/read.server";

async function fourSheets(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (let s = 0; s < 4; s++) {
    const ws = wb.addWorksheet(s === 0 ? "Data" : `Daftar ${s}`);
    for (let i = 0; i < 500; i++) ws.addRow([`baris ${i} lembar ${s}`, i]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("XLSX streaming", () => {
  it("a reader slower than the input still receives every zip entry, workbook.xml last", async () => {
    const buf = await fourSheets();
    const input = new PassThrough();
    const zip = unzipper.Parse({ forceStream: true });
    input.pipe(zip);
    input.end(buf);
    const names: string[] = [];
    for await (const entry of iterateStream(zip) as AsyncIterable<{ path: string; autodrain(): void }>) {
      names.push(entry.path);
      await new Promise((r) => setTimeout(r, 20)); // the consumer lags: input 'finish' comes first
      entry.autodrain();
    }
    expect(names).toContain("xl/sharedStrings.xml");
    expect(names.at(-1)).toBe("xl/workbook.xml");
  });

  it("reads the first sheet of a multi-sheet workbook, every time", async () => {
    const file = path.join(tmpdir(), `xlsx-stream-${process.pid}.xlsx`);
    await writeFile(file, await fourSheets());
    for (let n = 0; n < 30; n++) {
      const rows = [];
      for await (const r of xlsxRows(file)) rows.push(r);
      expect(rows).toHaveLength(500);
      expect(rows[499].cells).toEqual(["baris 499 lembar 0", "499"]);
    }
  });
});
