/** Roster import: reading raw rows from CSV (any encoding, any delimiter) or XLSX (streamed, size-checked). */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { parse as parseCsv } from "csv-parse";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { createInflateRaw } from "node:zlib";
import { ImportFileError } from "~/features/roster-import/upload.server";

// ---------------------------------------------------------------- reading rows

interface RawRow {
  line: number;
  cells: string[];
  /** Column index → problem (a formula without a cached result, an error value). */
  cellErrors: Map<number, string>;
}

export type Encoding = "utf8" | "utf16" | "windows-1252";
export type Sniffed = { format: "xlsx" } | { format: "csv"; encoding: Encoding };

/** Tells XLSX from CSV by content, and UTF-8 from windows-1252 by validating the bytes. */
export async function sniffFile(filePath: string, fileName: string): Promise<Sniffed> {
  const fh = await open(filePath, "r");
  const head = Buffer.alloc(4096);
  let n: number;
  try {
    ({ bytesRead: n } = await fh.read(head, 0, head.length, 0));
  } finally {
    await fh.close();
  }
  const h = head.subarray(0, n);
  if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) {
    await checkZipSize(filePath);
    return { format: "xlsx" };
  }
  if (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0) {
    throw new ImportFileError(
      "Format .xls (Excel 97-2003) atau berkas Excel berkata sandi tidak didukung. Simpan ulang sebagai .xlsx atau CSV.",
    );
  }
  if (/\.xlsx$/i.test(fileName))
    throw new ImportFileError(
      "Berkas .xlsx ini rusak atau bukan berkas Excel. Simpan ulang dari Excel sebagai .xlsx atau CSV.",
    );
  if ((h[0] === 0xff && h[1] === 0xfe) || (h[0] === 0xfe && h[1] === 0xff)) return { format: "csv", encoding: "utf16" };
  if (h.includes(0)) throw new ImportFileError("Berkas tidak dikenali: unggah berkas CSV (teks) atau XLSX.");
  // Validate UTF-8 over the whole file, streamed.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of createReadStream(filePath)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return { format: "csv", encoding: "utf8" };
  } catch {
    return { format: "csv", encoding: "windows-1252" };
  }
}

/** Uncompressed size an XLSX may unpack to (a 100,000-row sheet is well below this). */
const MAX_XLSX_UNPACKED = 200 * 1024 * 1024;

const tooBig = () =>
  new ImportFileError(
    `Isi berkas XLSX terlalu besar setelah dibuka (lebih dari ${Math.round(MAX_XLSX_UNPACKED / 1024 / 1024)} MB). Bagi data menjadi beberapa berkas.`,
  );

/**
 * A zip bomb is refused before the reader sees it, twice over: the uncompressed sizes the
 * central directory declares are summed, and then every entry is inflated (streamed, nothing
 * kept) counting the bytes it really produces, stopping at the limit: headers may lie.
 */
async function checkZipSize(filePath: string): Promise<void> {
  const broken = () =>
    new ImportFileError(
      "Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX). Simpan ulang dari Excel sebagai .xlsx atau CSV.",
    );
  const fh = await open(filePath, "r");
  const spans: { start: number; method: number }[] = [];
  let cdOffset = 0;
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) throw broken();
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 16 * 1024 * 1024) throw broken();
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    let total = 0;
    let p = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw broken();
      const unpacked = cd.readUInt32LE(p + 24);
      if (unpacked === 0xffffffff)
        total = Infinity; // ZIP64: far beyond any roster
      else total += unpacked;
      const local = cd.readUInt32LE(p + 42);
      if (local >= cdOffset) throw broken();
      spans.push({ start: local, method: cd.readUInt16LE(p + 10) });
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    if (total > MAX_XLSX_UNPACKED) throw tooBig();
    // Where each entry's data begins (after its local header) and ends (the next entry, or the directory).
    spans.sort((a, b) => a.start - b.start);
    const header = Buffer.alloc(30);
    for (const s of spans) {
      await fh.read(header, 0, 30, s.start);
      if (header.readUInt32LE(0) !== 0x04034b50) throw broken();
      s.start += 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    }
  } finally {
    await fh.close();
  }
  let inflated = 0;
  for (const [i, s] of spans.entries()) {
    const end = (i + 1 < spans.length ? spans[i + 1].start : cdOffset) - 1;
    if (s.method === 0) {
      inflated += Math.max(0, end - s.start + 1);
      if (inflated > MAX_XLSX_UNPACKED) throw tooBig();
      continue;
    }
    if (s.method !== 8) throw broken();
    if (end < s.start) continue;
    const input = createReadStream(filePath, { start: s.start, end });
    const inflater = createInflateRaw();
    try {
      await new Promise<void>((resolve, reject) => {
        inflater.on("data", (chunk: Buffer) => {
          inflated += chunk.length;
          if (inflated > MAX_XLSX_UNPACKED) {
            input.destroy();
            inflater.destroy();
            reject(tooBig());
          }
        });
        inflater.on("end", () => resolve());
        inflater.on("error", () => reject(broken()));
        input.on("error", () => reject(broken()));
        input.pipe(inflater);
      });
    } finally {
      input.destroy();
      inflater.destroy();
    }
  }
}

function detectDelimiter(firstLine: string): string {
  let best = ",";
  let bestCount = 0;
  for (const d of [",", ";", "\t", "|"]) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

async function firstLineOf(filePath: string, encoding: Encoding): Promise<string> {
  const input = createReadStream(filePath, { start: 0, end: 64 * 1024 - 1 });
  let text = "";
  try {
    for await (const chunk of input.pipe(iconv.decodeStream(encoding))) {
      text += chunk as string;
      const complete = text
        .split(/\r?\n/)
        .slice(0, -1)
        .find((l) => l.trim());
      if (complete !== undefined) return complete;
    }
  } finally {
    input.destroy();
  }
  return text.split(/\r?\n/).find((l) => l.trim()) ?? "";
}

export async function* csvRows(filePath: string, encoding: Encoding): AsyncGenerator<RawRow> {
  const delimiter = detectDelimiter(await firstLineOf(filePath, encoding));
  const input = createReadStream(filePath);
  const parser = input.pipe(iconv.decodeStream(encoding)).pipe(
    parseCsv({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  const noErrors = new Map<number, string>();
  try {
    for await (const rec of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      yield { line: rec.info.lines, cells: rec.record, cellErrors: noErrors };
    }
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new ImportFileError(
      `Berkas CSV tidak dapat dibaca${err.lines ? ` (baris ${err.lines})` : ""}: periksa tanda kutip dan pemisah kolom.`,
    );
  } finally {
    input.destroy();
  }
}

/** One XLSX cell as text, or a problem to report on its row. */
export function cellText(v: unknown): { text: string } | { error: string } {
  if (v === null || v === undefined) return { text: "" };
  if (typeof v === "string") return { text: v };
  if (typeof v === "number")
    return Number.isFinite(v) ? { text: String(v) } : { error: "sel berisi nilai yang bukan angka" };
  if (typeof v === "boolean") return { text: v ? "TRUE" : "FALSE" };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10) };
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("formula" in o || "sharedFormula" in o) {
      const r = o.result;
      if (r === undefined || r === null || r === "")
        return {
          error: "sel berisi rumus tanpa hasil tersimpan; ganti rumus dengan nilainya",
        };
      if (typeof r === "number" && !Number.isFinite(r)) return { error: "sel berisi rumus yang hasilnya galat" };
      if (typeof r === "object" && r && "error" in r)
        return {
          error: `sel berisi rumus yang hasilnya galat ${(r as { error: string }).error}`,
        };
      return cellText(r);
    }
    if (Array.isArray(o.richText))
      return {
        text: (o.richText as { text?: string }[]).map((t) => t.text ?? "").join(""),
      };
    if ("error" in o) return { error: `sel berisi galat ${String(o.error)}` };
    if ("text" in o) return cellText(o.text);
  }
  return { text: String(v) };
}

export async function* xlsxRows(filePath: string): AsyncGenerator<RawRow> {
  const input = createReadStream(filePath);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  // Set once every row of the data sheet has been read: an error from closing the reader on
  // the sheets after it (reference lists, instructions) then no longer concerns the import.
  let dataRead = false;
  try {
    // Only the first worksheet holds data (the templates put instructions on later sheets).
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells: string[] = [];
        const cellErrors = new Map<number, string>();
        const count = row.cellCount;
        for (let c = 1; c <= count; c++) {
          const t = cellText(row.getCell(c).value);
          if ("error" in t) {
            cells.push("");
            cellErrors.set(c - 1, t.error);
          } else cells.push(t.text);
        }
        yield { line: row.number, cells, cellErrors };
      }
      dataRead = true;
      break;
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    if (dataRead) return;
    throw new ImportFileError(
      "Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX). Simpan ulang dari Excel sebagai .xlsx atau CSV.",
    );
  } finally {
    input.destroy();
  }
}
