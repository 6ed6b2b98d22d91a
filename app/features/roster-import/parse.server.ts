/** Roster import, step 2: read and validate every row of a file (no database). */
import {
  columnsOf,
  isExampleRow,
  issuesText,
  kaderRowSchema,
  mapHeader,
  MAX_IMPORT_ROWS,
  posyanduRowSchema,
  rowObject,
  type ImportKind,
  type KaderValues,
  type PosyanduValues,
} from "~/features/roster-import/columns";
import { type Encoding, csvRows, sniffFile, xlsxRows } from "~/features/roster-import/read.server";
import { ImportFileError } from "~/features/roster-import/upload.server";

/** Non-empty rows searched for the header (titles above it are skipped). */
const HEADER_SEARCH_ROWS = 10;

// ---------------------------------------------------------------- parsing and validation

interface Lined {
  line: number;
}
export type KaderInput = KaderValues & Lined;
export type PosyanduInput = PosyanduValues & Lined;

export interface ParsedFile<T> {
  rows: T[];
  /** Line → messages. */
  errors: Map<number, string[]>;
  dataRows: number;
  skipped: number;
  ignoredColumns: string[];
  encoding: Encoding | "xlsx";
  /** Line of the header row (after title rows, if any). */
  headerLine: number;
}

export function addError(errors: Map<number, string[]>, line: number, message: string) {
  const list = errors.get(line);
  if (list) list.push(message);
  else errors.set(line, [message]);
}

/** Reads and validates every row (no database). Whole-file problems throw ImportFileError. */
export async function parseImportFile(
  kind: "kader",
  filePath: string,
  fileName: string,
  now?: Date,
): Promise<ParsedFile<KaderInput>>;
export async function parseImportFile(
  kind: "posyandu",
  filePath: string,
  fileName: string,
  now?: Date,
): Promise<ParsedFile<PosyanduInput>>;
export async function parseImportFile(
  kind: ImportKind,
  filePath: string,
  fileName: string,
  now?: Date,
): Promise<ParsedFile<KaderInput | PosyanduInput>>;
export async function parseImportFile(
  kind: ImportKind,
  filePath: string,
  fileName: string,
  now = new Date(),
): Promise<ParsedFile<KaderInput | PosyanduInput>> {
  const sniffed = await sniffFile(filePath, fileName);
  const source = sniffed.format === "xlsx" ? xlsxRows(filePath) : csvRows(filePath, sniffed.encoding);
  const schema = kind === "kader" ? kaderRowSchema(now) : posyanduRowSchema;
  const keys = columnsOf(kind).map((c) => c.key);
  const out: ParsedFile<KaderInput | PosyanduInput> = {
    rows: [],
    errors: new Map(),
    dataRows: 0,
    skipped: 0,
    ignoredColumns: [],
    encoding: sniffed.format === "xlsx" ? "xlsx" : sniffed.encoding,
    headerLine: 1,
  };
  let index: Record<string, number> | null = null;
  let columnOf = new Map<number, string>();
  /** The first header problem, reported when no row of the first few is a header. */
  let headerProblem: string | null = null;
  let candidates = 0;
  let rowsRead = 0;
  for await (const raw of source) {
    // Every row read counts, blank ones too: 4 million empty rows cost minutes of CPU.
    if (++rowsRead > MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS + 1) {
      throw new ImportFileError(
        `Berkas berisi lebih dari ${MAX_IMPORT_ROWS.toLocaleString("id-ID")} baris (baris kosong ikut dihitung). Hapus baris kosong di bawah data, atau bagi menjadi beberapa berkas.`,
      );
    }
    const blank = raw.cells.every((c) => !c.trim());
    if (!index) {
      if (blank && raw.cellErrors.size === 0) continue;
      // The header is the first non-empty row, or one of the next few after a title
      // ("DAFTAR KADER POSYANDU KECAMATAN …") as district spreadsheets often have.
      const header = mapHeader(kind, raw.cells);
      if (!header.ok) {
        headerProblem ??= `Baris ${raw.line}: ${header.message}`;
        if (++candidates >= HEADER_SEARCH_ROWS) throw new ImportFileError(headerProblem);
        continue;
      }
      index = header.index;
      out.headerLine = raw.line;
      out.ignoredColumns = header.ignored;
      columnOf = new Map(keys.filter((k) => k in header.index).map((k) => [header.index[k], k]));
      continue;
    }
    const cellProblems = [...raw.cellErrors].filter(([c]) => columnOf.has(c));
    if ((blank && cellProblems.length === 0) || isExampleRow(index, raw.cells)) {
      out.skipped++;
      continue;
    }
    out.dataRows++;
    if (out.dataRows > MAX_IMPORT_ROWS) {
      throw new ImportFileError(
        `Berkas berisi lebih dari ${MAX_IMPORT_ROWS.toLocaleString("id-ID")} baris data. Bagi menjadi beberapa berkas.`,
      );
    }
    if (cellProblems.length) {
      for (const [c, msg] of cellProblems) addError(out.errors, raw.line, `${msg} (kolom ${columnOf.get(c)})`);
      continue;
    }
    const parsed = schema.safeParse(rowObject(kind, index, raw.cells));
    if (!parsed.success) addError(out.errors, raw.line, issuesText(parsed.error));
    else out.rows.push({ line: raw.line, ...parsed.data } as KaderInput | PosyanduInput);
  }
  if (!index)
    throw new ImportFileError(
      headerProblem ?? `Berkas kosong: baris pertama harus berisi judul kolom (${keys.join(", ")}).`,
    );
  if (out.dataRows === 0) throw new ImportFileError("Berkas hanya berisi judul kolom, tanpa baris data.");
  return out;
}
