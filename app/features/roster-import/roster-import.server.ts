/**
 * Roster import: kader and posyandu from CSV or XLSX.
 *
 * upload (streamed to DATA_DIR/imports, 10 MB limit, sha256) → parse (csv-parse or the
 * exceljs streaming reader; non-UTF-8 CSV decoded as windows-1252) → validate every row
 * with zod → resolve against the database within the importer's scope (new, updated,
 * unchanged, error) → staged as DATA_DIR/imports/<token>.json for an hour → commit in one
 * transaction with multi-row upserts, one import_batches row and one audit entry.
 * The stage lives on disk, not in process memory, so any app process can commit it, and
 * a commit of the same token twice is one import (advisory lock + the token in the audit entry).
 */
import { refreshKaderProgress } from "~/features/reporting/reports.server";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parse as parseCsv } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { db, type Tx } from "~/db.server";
import { importBatches, posyandu, regions, SPM_BIDANG, users, type Role, type SpmBidang } from "~/db/schema";
import { env } from "~/env.server";
import { notFound } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { isWithinScope } from "~/lib/region";
import { canManageAccount, ROLE_LABEL, SPM_LABEL } from "~/lib/roles";
import {
  columnsOf,
  issuesText,
  kaderRowSchema,
  mapHeader,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  MIN_BIRTH_YEAR,
  maxBirthYear,
  posyanduNameKey,
  posyanduRowSchema,
  rowMessage,
  rowObject,
  SHOWN_ERRORS,
  type ImportKind,
  type KaderValues,
  type PosyanduValues,
} from "~/features/roster-import/columns";
import { rowsOf } from "~/rate-limit.server";
import { withinScope } from "~/features/regions/regions.server";
import { newUserId } from "~/features/accounts/users.server";

type Conn = typeof db | Tx;
type Actor = Pick<SessionUser, "id" | "role" | "scopeCode">;

/** Preview lifetime: the stage file and the token expire after an hour. */
export const STAGE_TTL_MS = 60 * 60 * 1000;
const UPSERT_CHUNK = 1000;
const TOKEN_RE = /^[a-f0-9]{32}$/;
/** Non-empty rows searched for the header (titles above it are skipped). */
const HEADER_SEARCH_ROWS = 10;

/** A problem with the whole file (size, format, columns): nothing is staged. */
export class ImportFileError extends Error {}

export function importsDir(): string {
  return path.resolve(env().DATA_DIR, "imports");
}

// ---------------------------------------------------------------- upload

export interface UploadedFile {
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
}

export type UploadResult =
  | { ok: true; file: UploadedFile; fields: Record<string, string> }
  | { ok: false; message: string; fields: Record<string, string> };

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
export const TOO_BIG_MESSAGE = `Berkas terlalu besar: ukuran maksimal ${mb(MAX_IMPORT_BYTES)}. Bagi data menjadi beberapa berkas (misalnya per kecamatan).`;

/**
 * Reads a multipart upload with the file in the field `berkas`: streamed to a temporary
 * file (never held whole in memory), hashed on the way, cut off past the size limit.
 */
export async function receiveImportUpload(request: Request): Promise<UploadResult> {
  const dir = importsDir();
  await mkdir(dir, { recursive: true });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  let tooBig = declared > MAX_IMPORT_BYTES + 64 * 1024;
  let file: UploadedFile | null = null;
  const fileHandler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== "berkas" || filename === undefined) return undefined;
    const tmp = path.join(dir, `${randomBytes(16).toString("hex")}.upload`);
    const hash = createHash("sha256");
    let bytes = 0;
    const out = createWriteStream(tmp, { mode: 0o600 });
    try {
      await pipeline(async function* () {
        for await (const chunk of data) {
          bytes += chunk.byteLength;
          if (tooBig || bytes > MAX_IMPORT_BYTES) {
            tooBig = true;
            // Keep reading (so the browser gets our answer) but stop storing; give up on absurd sizes.
            if (bytes > 8 * MAX_IMPORT_BYTES) throw new ImportFileError(TOO_BIG_MESSAGE);
            continue;
          }
          hash.update(chunk);
          yield chunk;
        }
      }, out);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    if (tooBig) {
      await rm(tmp, { force: true });
      return "";
    }
    file = { path: tmp, fileName: path.basename(filename.replace(/\\/g, "/")).slice(0, 200) || "berkas", bytes, sha256: hash.digest("hex") };
    return "uploaded";
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 10_000 })),
    );
  } catch (e) {
    const f = file as UploadedFile | null;
    if (f) await rm(f.path, { force: true });
    if (e instanceof ImportFileError) return { ok: false, message: e.message, fields: {} };
    return { ok: false, message: tooBig ? TOO_BIG_MESSAGE : "Unggahan tidak dapat dibaca. Pilih berkas CSV atau XLSX lalu coba lagi.", fields: {} };
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && k !== "berkas") fields[k] = v.slice(0, 100);
  const f = file as UploadedFile | null;
  if (tooBig) {
    if (f) await rm(f.path, { force: true });
    return { ok: false, message: TOO_BIG_MESSAGE, fields };
  }
  if (!f) return { ok: false, message: "Pilih berkas CSV atau XLSX.", fields };
  if (f.bytes === 0) {
    await rm(f.path, { force: true });
    return { ok: false, message: "Berkas kosong. Pilih berkas CSV atau XLSX yang berisi data.", fields };
  }
  return { ok: true, file: f, fields };
}

// ---------------------------------------------------------------- reading rows

interface RawRow {
  line: number;
  cells: string[];
  /** Column index → problem (a formula without a cached result, an error value). */
  cellErrors: Map<number, string>;
}

type Encoding = "utf8" | "utf16" | "windows-1252";
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
    throw new ImportFileError("Format .xls (Excel 97-2003) atau berkas Excel berkata sandi tidak didukung. Simpan ulang sebagai .xlsx atau CSV.");
  }
  if (/\.xlsx$/i.test(fileName)) throw new ImportFileError("Berkas .xlsx ini rusak atau bukan berkas Excel. Simpan ulang dari Excel sebagai .xlsx atau CSV.");
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

/**
 * Sums the uncompressed sizes in the zip's central directory, so a small file that
 * unpacks to gigabytes (a zip bomb) is refused before it is read.
 */
async function checkZipSize(filePath: string): Promise<void> {
  const broken = () => new ImportFileError("Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX). Simpan ulang dari Excel sebagai .xlsx atau CSV.");
  const fh = await open(filePath, "r");
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
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 16 * 1024 * 1024) throw broken();
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    let total = 0;
    let p = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw broken();
      const unpacked = cd.readUInt32LE(p + 24);
      if (unpacked === 0xffffffff) total = Infinity; // ZIP64: far beyond any roster
      else total += unpacked;
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    if (total > MAX_XLSX_UNPACKED) {
      throw new ImportFileError(`Isi berkas XLSX terlalu besar setelah dibuka (lebih dari ${Math.round(MAX_XLSX_UNPACKED / 1024 / 1024)} MB). Bagi data menjadi beberapa berkas.`);
    }
  } finally {
    await fh.close();
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
      const complete = text.split(/\r?\n/).slice(0, -1).find((l) => l.trim());
      if (complete !== undefined) return complete;
    }
  } finally {
    input.destroy();
  }
  return text.split(/\r?\n/).find((l) => l.trim()) ?? "";
}

async function* csvRows(filePath: string, encoding: Encoding): AsyncGenerator<RawRow> {
  const delimiter = detectDelimiter(await firstLineOf(filePath, encoding));
  const input = createReadStream(filePath);
  const parser = input.pipe(iconv.decodeStream(encoding)).pipe(
    parseCsv({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }),
  );
  const noErrors = new Map<number, string>();
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: rec.info.lines, cells: rec.record, cellErrors: noErrors };
    }
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new ImportFileError(`Berkas CSV tidak dapat dibaca${err.lines ? ` (baris ${err.lines})` : ""}: periksa tanda kutip dan pemisah kolom.`);
  } finally {
    input.destroy();
  }
}

/** One XLSX cell as text, or a problem to report on its row. */
export function cellText(v: unknown): { text: string } | { error: string } {
  if (v === null || v === undefined) return { text: "" };
  if (typeof v === "string") return { text: v };
  if (typeof v === "number") return Number.isFinite(v) ? { text: String(v) } : { error: "sel berisi nilai yang bukan angka" };
  if (typeof v === "boolean") return { text: v ? "TRUE" : "FALSE" };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10) };
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("formula" in o || "sharedFormula" in o) {
      const r = o.result;
      if (r === undefined || r === null || r === "") return { error: "sel berisi rumus tanpa hasil tersimpan; ganti rumus dengan nilainya" };
      if (typeof r === "number" && !Number.isFinite(r)) return { error: "sel berisi rumus yang hasilnya galat" };
      if (typeof r === "object" && r && "error" in r) return { error: `sel berisi rumus yang hasilnya galat ${(r as { error: string }).error}` };
      return cellText(r);
    }
    if (Array.isArray(o.richText)) return { text: (o.richText as { text?: string }[]).map((t) => t.text ?? "").join("") };
    if ("error" in o) return { error: `sel berisi galat ${String(o.error)}` };
    if ("text" in o) return cellText(o.text);
  }
  return { text: String(v) };
}

async function* xlsxRows(filePath: string): AsyncGenerator<RawRow> {
  const input = createReadStream(filePath);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
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
      break;
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError("Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX). Simpan ulang dari Excel sebagai .xlsx atau CSV.");
  } finally {
    input.destroy();
  }
}

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

function addError(errors: Map<number, string[]>, line: number, message: string) {
  const list = errors.get(line);
  if (list) list.push(message);
  else errors.set(line, [message]);
}

/** Reads and validates every row (no database). Whole-file problems throw ImportFileError. */
export async function parseImportFile(kind: "kader", filePath: string, fileName: string, now?: Date): Promise<ParsedFile<KaderInput>>;
export async function parseImportFile(kind: "posyandu", filePath: string, fileName: string, now?: Date): Promise<ParsedFile<PosyanduInput>>;
export async function parseImportFile(kind: ImportKind, filePath: string, fileName: string, now?: Date): Promise<ParsedFile<KaderInput | PosyanduInput>>;
export async function parseImportFile(kind: ImportKind, filePath: string, fileName: string, now = new Date()): Promise<ParsedFile<KaderInput | PosyanduInput>> {
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
  for await (const raw of source) {
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
    if (blank && cellProblems.length === 0) {
      out.skipped++;
      continue;
    }
    out.dataRows++;
    if (out.dataRows > MAX_IMPORT_ROWS) {
      throw new ImportFileError(`Berkas berisi lebih dari ${MAX_IMPORT_ROWS.toLocaleString("id-ID")} baris data. Bagi menjadi beberapa berkas.`);
    }
    if (cellProblems.length) {
      for (const [c, msg] of cellProblems) addError(out.errors, raw.line, `${msg} (kolom ${columnOf.get(c)})`);
      continue;
    }
    const parsed = schema.safeParse(rowObject(kind, index, raw.cells));
    if (!parsed.success) addError(out.errors, raw.line, issuesText(parsed.error));
    else out.rows.push({ line: raw.line, ...parsed.data } as KaderInput | PosyanduInput);
  }
  if (!index) throw new ImportFileError(headerProblem ?? `Berkas kosong: baris pertama harus berisi judul kolom (${keys.join(", ")}).`);
  if (out.dataRows === 0) throw new ImportFileError("Berkas hanya berisi judul kolom, tanpa baris data.");
  return out;
}

// ---------------------------------------------------------------- resolving against the database

export type RowStatus = "baru" | "diperbarui" | "sama";

export interface KaderPlan {
  line: number;
  status: RowStatus;
  userId: string | null;
  name: string;
  phone: string;
  posyanduId: number;
  posyanduName: string;
  desaCode: string;
  spmBidang: SpmBidang;
  gender: "L" | "P" | null;
  birthYear: number | null;
}

export interface PosyanduPlan {
  line: number;
  status: RowStatus;
  id: number | null;
  name: string;
  desaCode: string;
  registrationNo: string | null;
  address: string | null;
}

interface Plan<T> {
  plans: T[];
  errors: Map<number, string[]>;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

async function desaInScope(conn: Conn, scope: string): Promise<Set<string>> {
  const rows = await conn
    .select({ code: regions.code })
    .from(regions)
    .where(and(eq(regions.level, "desa"), withinScope(regions.code, scope)));
  return new Set(rows.map((r) => r.code));
}

interface PosyanduRef {
  id: number;
  name: string;
  desaCode: string;
  registrationNo: string | null;
  address: string | null;
  active: boolean;
}

async function posyanduIndex(conn: Conn, scope: string) {
  const rows: PosyanduRef[] = await conn
    .select({
      id: posyandu.id,
      name: posyandu.name,
      desaCode: posyandu.desaCode,
      registrationNo: posyandu.registrationNo,
      address: posyandu.address,
      active: posyandu.active,
    })
    .from(posyandu)
    .where(withinScope(posyandu.desaCode, scope));
  const byReg = new Map<string, PosyanduRef>();
  const byName = new Map<string, PosyanduRef[]>();
  for (const p of rows) {
    if (p.registrationNo) byReg.set(p.registrationNo, p);
    const k = `${p.desaCode}|${posyanduNameKey(p.name)}`;
    const list = byName.get(k);
    if (list) list.push(p);
    else byName.set(k, [p]);
  }
  return { byReg, byName };
}

/** Registration numbers that exist anywhere (used to tell "outside your area" from "unknown"). */
async function registrationsAnywhere(conn: Conn, regs: string[]): Promise<Set<string>> {
  const rows = rowsOf<{ r: string }>(
    await conn.execute(sql`
      select registration_no as r from posyandu
      where registration_no in (select json_array_elements_text(${JSON.stringify(regs)}::json))`),
  );
  return new Set(rows.map((r) => r.r));
}

function desaProblem(code: string, scope: string, desa: Set<string>): string | null {
  if (!isWithinScope(code, scope)) return `kode desa ${code} berada di luar wilayah Anda (${scope})`;
  if (!desa.has(code)) return `kode desa ${code} tidak ditemukan`;
  return null;
}

export async function planKader(conn: Conn, actor: Actor, rows: KaderInput[]): Promise<Plan<KaderPlan>> {
  const scope = actor.scopeCode;
  const errors = new Map<number, string[]>();
  const desa = await desaInScope(conn, scope);
  const { byReg, byName } = await posyanduIndex(conn, scope);
  const missingRegs = [...new Set(rows.map((r) => r.registrationNo).filter((r): r is string => !!r && !byReg.has(r)))];
  const elsewhere = missingRegs.length ? await registrationsAnywhere(conn, missingRegs) : new Set<string>();

  const existing = new Map<string, { id: string; name: string; role: Role; scopeCode: string; posyanduId: number | null; spmBidang: SpmBidang | null; gender: "L" | "P" | null; birthYear: number | null }>();
  // One JSON parameter instead of tens of thousands of bind parameters.
  const phones = JSON.stringify([...new Set(rows.map((r) => r.phone))]);
  const found = rowsOf<{
    id: string;
    phone: string;
    name: string;
    role: Role;
    scope_code: string;
    posyandu_id: number | null;
    spm_bidang: SpmBidang | null;
    gender: "L" | "P" | null;
    birth_year: number | null;
  }>(
    await conn.execute(sql`
      select id, phone, name, role, scope_code, posyandu_id, spm_bidang, gender, birth_year from users
      where phone in (select json_array_elements_text(${phones}::json))`),
  );
  for (const u of found) {
    existing.set(u.phone, {
      id: u.id,
      name: u.name,
      role: u.role,
      scopeCode: u.scope_code,
      posyanduId: u.posyandu_id === null ? null : Number(u.posyandu_id),
      spmBidang: u.spm_bidang,
      gender: u.gender,
      birthYear: u.birth_year === null ? null : Number(u.birth_year),
    });
  }

  const firstLine = new Map<string, number>();
  const plans: KaderPlan[] = [];
  for (const r of rows) {
    const problems: string[] = [];
    const seen = firstLine.get(r.phone);
    if (seen !== undefined) problems.push(`nomor HP ${formatPhone(r.phone)} sudah ada di baris ${seen}`);
    else firstLine.set(r.phone, r.line);

    let p: PosyanduRef | undefined;
    if (r.desaCode) {
      const d = desaProblem(r.desaCode, scope, desa);
      if (d) problems.push(d);
    }
    if (r.registrationNo) {
      p = byReg.get(r.registrationNo);
      if (!p) {
        problems.push(
          elsewhere.has(r.registrationNo)
            ? `posyandu dengan nomor registrasi ${r.registrationNo} berada di luar wilayah Anda`
            : `posyandu dengan nomor registrasi ${r.registrationNo} tidak ditemukan`,
        );
      } else if (r.desaCode && p.desaCode !== r.desaCode) {
        problems.push(`nomor registrasi ${r.registrationNo} milik ${p.name} di desa ${p.desaCode}, bukan ${r.desaCode}`);
        p = undefined;
      }
    } else if (r.posyanduName && r.desaCode && !problems.length) {
      const candidates = byName.get(`${r.desaCode}|${posyanduNameKey(r.posyanduName)}`) ?? [];
      if (candidates.length === 1) p = candidates[0];
      else if (candidates.length === 0) {
        problems.push(`posyandu "${r.posyanduName}" tidak ditemukan di desa ${r.desaCode} (tambahkan atau impor posyandu terlebih dahulu)`);
      } else {
        problems.push(`ada ${candidates.length} posyandu bernama "${r.posyanduName}" di desa ${r.desaCode}: isi nomor registrasi posyandu`);
      }
    }
    if (p && !p.active) problems.push(`${p.name} sudah nonaktif`);

    const u = existing.get(r.phone);
    if (u) {
      if (!isWithinScope(u.scopeCode, scope)) {
        problems.push(`nomor HP ${formatPhone(r.phone)} sudah terdaftar untuk akun di luar wilayah Anda`);
      } else if (u.role !== "kader") {
        problems.push(`nomor HP ${formatPhone(r.phone)} sudah dipakai akun ${ROLE_LABEL[u.role]}, bukan kader`);
      } else if (!canManageAccount(actor, u)) {
        problems.push(`Anda tidak berhak mengubah akun dengan nomor HP ${formatPhone(r.phone)}`);
      }
    }
    if (problems.length || !p) {
      if (!problems.length) problems.push("posyandu tidak dapat ditentukan");
      for (const m of problems) addError(errors, r.line, m);
      continue;
    }
    let status: RowStatus = "baru";
    if (u) {
      const same =
        u.name === r.name &&
        u.posyanduId === p.id &&
        u.scopeCode === p.desaCode &&
        u.spmBidang === r.spmBidang &&
        (r.gender === null || u.gender === r.gender) &&
        (r.birthYear === null || u.birthYear === r.birthYear);
      status = same ? "sama" : "diperbarui";
    }
    plans.push({
      line: r.line,
      status,
      userId: u?.id ?? null,
      name: r.name,
      phone: r.phone,
      posyanduId: p.id,
      posyanduName: p.name,
      desaCode: p.desaCode,
      spmBidang: r.spmBidang,
      gender: r.gender,
      birthYear: r.birthYear,
    });
  }
  return { plans, errors };
}

export async function planPosyandu(conn: Conn, actor: Actor, rows: PosyanduInput[]): Promise<Plan<PosyanduPlan>> {
  const scope = actor.scopeCode;
  const errors = new Map<number, string[]>();
  const desa = await desaInScope(conn, scope);
  const { byReg, byName } = await posyanduIndex(conn, scope);
  const missingRegs = [...new Set(rows.map((r) => r.registrationNo).filter((r): r is string => !!r && !byReg.has(r)))];
  const elsewhere = missingRegs.length ? await registrationsAnywhere(conn, missingRegs) : new Set<string>();
  const regLine = new Map<string, number>();
  const nameLine = new Map<string, number>();
  const plans: PosyanduPlan[] = [];
  for (const r of rows) {
    const problems: string[] = [];
    const nameKey = `${r.desaCode}|${posyanduNameKey(r.name)}`;
    if (r.registrationNo) {
      const seen = regLine.get(r.registrationNo);
      if (seen !== undefined) problems.push(`nomor registrasi ${r.registrationNo} sudah ada di baris ${seen}`);
      else regLine.set(r.registrationNo, r.line);
    }
    const seenName = nameLine.get(nameKey);
    if (seenName !== undefined) problems.push(`posyandu "${r.name}" di desa ${r.desaCode} sudah ada di baris ${seenName}`);
    else nameLine.set(nameKey, r.line);
    const d = desaProblem(r.desaCode, scope, desa);
    if (d) problems.push(d);

    let match: PosyanduRef | undefined;
    if (!problems.length) {
      if (r.registrationNo && byReg.has(r.registrationNo)) {
        match = byReg.get(r.registrationNo)!;
        if (match.desaCode !== r.desaCode) {
          problems.push(`nomor registrasi ${r.registrationNo} milik ${match.name} di desa ${match.desaCode}; pindah desa lewat halaman posyandu`);
        }
      } else if (r.registrationNo && elsewhere.has(r.registrationNo)) {
        problems.push(`nomor registrasi ${r.registrationNo} sudah dipakai posyandu di luar wilayah Anda`);
      } else {
        const candidates = byName.get(nameKey) ?? [];
        if (candidates.length > 1) {
          problems.push(`ada ${candidates.length} posyandu bernama "${r.name}" di desa ${r.desaCode}: isi nomor registrasinya`);
        } else if (candidates.length === 1) {
          match = candidates[0];
          if (r.registrationNo && match.registrationNo && match.registrationNo !== r.registrationNo) {
            problems.push(`${match.name} di desa ${r.desaCode} sudah terdaftar dengan nomor registrasi ${match.registrationNo}`);
          }
        }
      }
    }
    if (problems.length) {
      for (const m of problems) addError(errors, r.line, m);
      continue;
    }
    let status: RowStatus = "baru";
    if (match) {
      const same =
        match.name === r.name &&
        match.desaCode === r.desaCode &&
        (r.registrationNo === null || match.registrationNo === r.registrationNo) &&
        (r.address === null || match.address === r.address);
      status = same ? "sama" : "diperbarui";
    }
    plans.push({ line: r.line, status, id: match?.id ?? null, name: r.name, desaCode: r.desaCode, registrationNo: r.registrationNo, address: r.address });
  }
  return { plans, errors };
}

// ---------------------------------------------------------------- staging

export interface ImportCounts {
  baru: number;
  diperbarui: number;
  sama: number;
  error: number;
}

export interface SampleRow {
  line: number;
  status: RowStatus;
  name: string;
  detail: string;
}

export interface StagedImport {
  v: 1;
  token: string;
  kind: ImportKind;
  actorId: string;
  scopeCode: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  encoding: string;
  createdAt: string;
  expiresAt: string;
  dataRows: number;
  skipped: number;
  headerLine: number;
  ignoredColumns: string[];
  counts: ImportCounts;
  /** The first SHOWN_ERRORS row errors, in line order. */
  errors: string[];
  /** The first changes, for a look before saving. */
  sample: SampleRow[];
  /** Validated rows, kept only when there is no error (a file with errors cannot be saved). */
  rows: (KaderInput | PosyanduInput)[];
}

function stagePath(token: string): string {
  if (!TOKEN_RE.test(token)) throw notFound("Pratinjau impor tidak ditemukan.");
  return path.join(importsDir(), `${token}.json`);
}

/** Removes stage and upload files older than the preview lifetime. */
export async function sweepImports(now = Date.now()): Promise<number> {
  const dir = importsDir();
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/\.(json|upload|tmp)$/.test(name)) continue;
    const p = path.join(dir, name);
    try {
      const s = await stat(p);
      if (now - s.mtimeMs > STAGE_TTL_MS) {
        await rm(p, { force: true });
        removed++;
      }
    } catch {
      // removed by another process meanwhile
    }
  }
  return removed;
}

function mergeErrors(...maps: Map<number, string[]>[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of maps) for (const [line, msgs] of m) for (const msg of msgs) addError(out, line, msg);
  return out;
}

function errorLines(errors: Map<number, string[]>, limit: number): string[] {
  return [...errors.keys()]
    .sort((a, b) => a - b)
    .slice(0, limit)
    .map((line) => rowMessage(line, errors.get(line)!));
}

function countStatuses(plans: { status: RowStatus }[], errorRows: number): ImportCounts {
  const c: ImportCounts = { baru: 0, diperbarui: 0, sama: 0, error: errorRows };
  for (const p of plans) c[p.status]++;
  return c;
}

export type StageResult = { ok: true; token: string; staged: StagedImport } | { ok: false; message: string };

/**
 * Parses, validates and resolves an uploaded file and stages it for an hour. The upload
 * file is removed either way.
 */
export async function stageImport(actor: Actor, kind: ImportKind, file: UploadedFile, now = new Date()): Promise<StageResult> {
  try {
    await sweepImports(now.getTime());
    const parsed = await parseImportFile(kind, file.path, file.fileName, now);
    const plan =
      kind === "kader"
        ? await planKader(db, actor, parsed.rows as KaderInput[])
        : await planPosyandu(db, actor, parsed.rows as PosyanduInput[]);
    const errors = mergeErrors(parsed.errors, plan.errors);
    const counts = countStatuses(plan.plans, errors.size);
    const sample: SampleRow[] = [];
    for (const p of plan.plans as (KaderPlan | PosyanduPlan)[]) {
      if (p.status === "sama") continue;
      sample.push({
        line: p.line,
        status: p.status,
        name: p.name,
        detail:
          "phone" in p
            ? `${formatPhone(p.phone)} · ${p.posyanduName} · ${SPM_LABEL[p.spmBidang]}`
            : `${p.desaCode}${p.registrationNo ? ` · No. reg ${p.registrationNo}` : ""}`,
      });
      if (sample.length >= 20) break;
    }
    const token = randomBytes(16).toString("hex");
    const staged: StagedImport = {
      v: 1,
      token,
      kind,
      actorId: actor.id,
      scopeCode: actor.scopeCode,
      fileName: file.fileName,
      fileSha256: file.sha256,
      fileBytes: file.bytes,
      encoding: parsed.encoding,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + STAGE_TTL_MS).toISOString(),
      dataRows: parsed.dataRows,
      skipped: parsed.skipped,
      headerLine: parsed.headerLine,
      ignoredColumns: parsed.ignoredColumns,
      counts,
      errors: errorLines(errors, SHOWN_ERRORS),
      sample,
      rows: errors.size ? [] : parsed.rows,
    };
    const target = stagePath(token);
    await writeFile(target + ".tmp", JSON.stringify(staged), { mode: 0o600 });
    await rename(target + ".tmp", target);
    return { ok: true, token, staged };
  } catch (e) {
    if (e instanceof ImportFileError) return { ok: false, message: e.message };
    throw e;
  } finally {
    await rm(file.path, { force: true });
  }
}

/** The staged preview of this actor (404 for unknown tokens and for other people's). */
export async function readStaged(actor: Pick<SessionUser, "id">, token: string): Promise<StagedImport> {
  let text: string;
  try {
    text = await readFile(stagePath(token), "utf8");
  } catch (e) {
    if (e instanceof Response) throw e;
    throw notFound("Pratinjau impor tidak ditemukan atau sudah dihapus. Unggah ulang berkas.");
  }
  const staged = JSON.parse(text) as StagedImport;
  if (staged.v !== 1 || staged.actorId !== actor.id) throw notFound("Pratinjau impor tidak ditemukan.");
  return staged;
}

export function isExpired(staged: StagedImport, now = new Date()): boolean {
  return new Date(staged.expiresAt).getTime() <= now.getTime();
}

// ---------------------------------------------------------------- commit

export interface CommittedImport {
  batchId: number;
  kind: ImportKind;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  fileName: string;
}

/** The batch already committed from this token by this actor, if any. */
export async function findCommitted(conn: Conn, actorId: string, token: string): Promise<CommittedImport | null> {
  const rows = rowsOf<{ detail: Record<string, unknown> | string; entity_id: string }>(
    await conn.execute(sql`
      select entity_id, detail from audit_log
      where entity = 'import_batch' and actor_id = ${actorId} and detail->>'token' = ${token}
      limit 1`),
  );
  if (!rows[0]) return null;
  const d = (typeof rows[0].detail === "string" ? JSON.parse(rows[0].detail) : rows[0].detail) as Record<string, unknown>;
  return {
    batchId: Number(rows[0].entity_id),
    kind: d.kind as ImportKind,
    rows: Number(d.rows),
    inserted: Number(d.inserted),
    updated: Number(d.updated),
    unchanged: Number(d.unchanged),
    fileName: String(d.fileName ?? ""),
  };
}

/** For the preview page: the saved batch of this token, if it was saved. */
export function committedImport(actor: Pick<SessionUser, "id">, token: string): Promise<CommittedImport | null> {
  return findCommitted(db, actor.id, token);
}

export type CommitResult =
  | { ok: true; committed: CommittedImport; repeated: boolean }
  | { ok: false; message: string; errors: string[] };

class ConcurrentChange extends Error {}

/**
 * Saves a staged import in one transaction: all rows or none. Idempotent per token.
 */
export async function commitImport(actor: SessionUser, token: string, now = new Date()): Promise<CommitResult> {
  const done = await findCommitted(db, actor.id, token);
  if (done) return { ok: true, committed: done, repeated: true };
  let staged: StagedImport;
  try {
    staged = await readStaged(actor, token);
  } catch (e) {
    // A concurrent commit of the same token may have saved it and removed the stage.
    const saved = await findCommitted(db, actor.id, token);
    if (saved) return { ok: true, committed: saved, repeated: true };
    throw e;
  }
  if (isExpired(staged, now)) {
    return { ok: false, message: "Pratinjau ini sudah kedaluwarsa (lebih dari 1 jam). Unggah ulang berkas.", errors: [] };
  }
  if (staged.counts.error > 0) {
    return { ok: false, message: "Berkas masih berisi baris yang salah. Perbaiki berkas lalu unggah ulang; tidak ada data yang disimpan.", errors: staged.errors };
  }
  try {
    const result = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"roster-import:" + token}))`);
      const again = await findCommitted(tx, actor.id, token);
      if (again) return { ok: true as const, committed: again, repeated: true };
      const result =
        staged.kind === "kader"
          ? await applyKader(tx, actor, staged.rows as KaderInput[])
          : await applyPosyandu(tx, actor, staged.rows as PosyanduInput[]);
      if ("errors" in result) {
        return {
          ok: false as const,
          message: "Data berubah sejak pratinjau dibuat, sehingga beberapa baris kini salah. Tidak ada data yang disimpan; unggah ulang berkas.",
          errors: result.errors,
        };
      }
      const [batch] = await tx
        .insert(importBatches)
        .values({
          kind: staged.kind,
          actorId: actor.id,
          scopeCode: actor.scopeCode,
          fileName: staged.fileName,
          fileSha256: staged.fileSha256,
          rows: staged.dataRows,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
        })
        .returning({ id: importBatches.id });
      const committed: CommittedImport = {
        batchId: batch.id,
        kind: staged.kind,
        rows: staged.dataRows,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        fileName: staged.fileName,
      };
      await audit(
        {
          actorId: actor.id,
          action: `import.${staged.kind}`,
          entity: "import_batch",
          entityId: batch.id,
          regionCode: actor.scopeCode,
          detail: { token, kind: staged.kind, fileName: staged.fileName, fileSha256: staged.fileSha256, rows: staged.dataRows, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged },
        },
        tx,
      );
      return { ok: true as const, committed, repeated: false };
    });
    // The rows (names and phone numbers) need not stay on disk once saved.
    if (result.ok) await rm(stagePath(token), { force: true });
    return result;
  } catch (e) {
    if (e instanceof ConcurrentChange) {
      return { ok: false, message: "Data berubah bersamaan dengan impor ini. Tidak ada data yang disimpan; unggah ulang berkas.", errors: [] };
    }
    throw e;
  }
}

type Applied = { inserted: number; updated: number; unchanged: number } | { errors: string[] };

async function applyKader(tx: Tx, actor: Actor, rows: KaderInput[]): Promise<Applied> {
  const { plans, errors } = await planKader(tx, actor, rows);
  if (errors.size) return { errors: errorLines(errors, SHOWN_ERRORS) };
  const changed = plans.filter((p) => p.status !== "sama");
  const scope = actor.scopeCode;
  // One JSON parameter per chunk (json_to_recordset): far cheaper than thousands of bind
  // parameters, on PGlite and on PostgreSQL alike.
  for (const part of chunks(changed, UPSERT_CHUNK)) {
    const json = JSON.stringify(
      part.map((p) => ({
        id: p.userId ?? newUserId(),
        name: p.name,
        phone: p.phone,
        scope_code: p.desaCode,
        posyandu_id: p.posyanduId,
        spm_bidang: p.spmBidang,
        gender: p.gender,
        birth_year: p.birthYear,
      })),
    );
    const written = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into users (id, name, phone, role, scope_code, posyandu_id, spm_bidang, gender, birth_year)
        select t.id, t.name, t.phone, 'kader', t.scope_code, t.posyandu_id, t.spm_bidang, t.gender, t.birth_year
        from json_to_recordset(${json}::json)
          as t(id text, name text, phone text, scope_code text, posyandu_id int, spm_bidang text, gender text, birth_year smallint)
        on conflict (phone) do update set
          name = excluded.name,
          scope_code = excluded.scope_code,
          posyandu_id = excluded.posyandu_id,
          spm_bidang = excluded.spm_bidang,
          gender = coalesce(excluded.gender, users.gender),
          birth_year = coalesce(excluded.birth_year, users.birth_year)
        where users.role = 'kader' and (users.scope_code = ${scope} or users.scope_code like ${scope + ".%"})
        returning users.id`),
    );
    // A row skipped by the guard means someone changed that account meanwhile: roll back.
    if (written.length !== part.length) throw new ConcurrentChange();
    await refreshKaderProgress(written.map((w) => w.id), tx);
  }
  const inserted = changed.filter((p) => p.status === "baru").length;
  return { inserted, updated: changed.length - inserted, unchanged: plans.length - changed.length };
}

async function applyPosyandu(tx: Tx, actor: Actor, rows: PosyanduInput[]): Promise<Applied> {
  const { plans, errors } = await planPosyandu(tx, actor, rows);
  if (errors.size) return { errors: errorLines(errors, SHOWN_ERRORS) };
  const fresh = plans.filter((p) => p.status === "baru");
  const changed = plans.filter((p) => p.status === "diperbarui");
  for (const part of chunks(fresh, UPSERT_CHUNK)) {
    const json = JSON.stringify(part.map((p) => ({ name: p.name, desa_code: p.desaCode, registration_no: p.registrationNo, address: p.address })));
    await tx.execute(sql`
      insert into posyandu (name, desa_code, registration_no, address)
      select t.name, t.desa_code, t.registration_no, t.address
      from json_to_recordset(${json}::json) as t(name text, desa_code text, registration_no text, address text)`);
  }
  for (const part of chunks(changed, 500)) {
    const values = sql.join(
      part.map((p) => sql`(${p.id}::int, ${p.name}::text, ${p.registrationNo}::text, ${p.address}::text)`),
      sql`, `,
    );
    const updated = rowsOf<{ id: number }>(
      await tx.execute(sql`
        update posyandu p set name = v.name,
          registration_no = coalesce(v.reg, p.registration_no),
          address = coalesce(v.address, p.address)
        from (values ${values}) as v(id, name, reg, address)
        where p.id = v.id and (p.desa_code = ${actor.scopeCode} or p.desa_code like ${actor.scopeCode + ".%"})
        returning p.id`),
    );
    if (updated.length !== part.length) throw new ConcurrentChange();
  }
  return { inserted: fresh.length, updated: changed.length, unchanged: plans.length - fresh.length - changed.length };
}

// ---------------------------------------------------------------- history

export async function recentBatches(scope: string, limit = 10) {
  return db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      fileName: importBatches.fileName,
      rows: importBatches.rows,
      inserted: importBatches.inserted,
      updated: importBatches.updated,
      unchanged: importBatches.unchanged,
      at: importBatches.at,
      actorName: users.name,
    })
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.actorId))
    .where(withinScope(importBatches.scopeCode, scope))
    .orderBy(desc(importBatches.at), desc(importBatches.id))
    .limit(limit);
}

// ---------------------------------------------------------------- templates

export const TEMPLATE_FILES = ["templat-kader.csv", "templat-kader.xlsx", "templat-posyandu.csv", "templat-posyandu.xlsx"] as const;
export type TemplateFile = (typeof TEMPLATE_FILES)[number];

export function parseTemplateName(name: string | undefined): { kind: ImportKind; format: "csv" | "xlsx" } | null {
  const m = /^templat-(kader|posyandu)\.(csv|xlsx)$/.exec(name ?? "");
  return m ? { kind: m[1] as ImportKind, format: m[2] as "csv" | "xlsx" } : null;
}

/** The header row only (UTF-8 with BOM, so Excel shows names with accents correctly). */
export function templateCsv(kind: ImportKind): string {
  return "\uFEFF" + stringify([columnsOf(kind).map((c) => c.key)]);
}

/**
 * XLSX template: sheet "Data" (the header; text-formatted phone and code columns so Excel
 * keeps leading zeros), "Petunjuk" (each column explained) and a reference sheet with the
 * desa (for posyandu) or posyandu (for kader) inside the actor's scope.
 */
export async function templateXlsx(kind: ImportKind, scope: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Akademi Posyandu";
  const cols = columnsOf(kind);
  const data = wb.addWorksheet("Data", { views: [{ state: "frozen", ySplit: 1 }] });
  data.columns = cols.map((c) => ({ header: c.key, key: c.key, width: Math.max(14, c.key.length + 4), style: { numFmt: "@" } }));
  data.getRow(1).font = { bold: true };

  const help = wb.addWorksheet("Petunjuk");
  help.columns = [
    { header: "kolom", key: "kolom", width: 28 },
    { header: "keterangan", key: "keterangan", width: 100 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of cols) help.addRow({ kolom: c.key, keterangan: c.help });
  help.addRow({});
  help.addRow({ kolom: "Catatan", keterangan: `Isi data mulai baris 2 lembar "Data". Baris kosong dilewati. Semua baris disimpan sekaligus atau tidak sama sekali.` });
  if (kind === "kader") {
    help.addRow({ kolom: "", keterangan: `Bidang SPM: ${SPM_BIDANG.map((b) => SPM_LABEL[b]).join(", ")}. Tahun lahir ${MIN_BIRTH_YEAR}–${maxBirthYear()}.` });
    help.addRow({ kolom: "", keterangan: "Kader yang nomor HP-nya sudah terdaftar diperbarui, tidak digandakan. Kader baru masuk dengan kode aktivasi dari Tim Pembina." });
    const ref = wb.addWorksheet("Daftar posyandu");
    ref.columns = [
      { header: "posyandu", key: "name", width: 32 },
      { header: "nomor_registrasi_posyandu", key: "reg", width: 26 },
      { header: "kode_desa", key: "desa", width: 16 },
      { header: "desa", key: "desaName", width: 28 },
    ];
    ref.getRow(1).font = { bold: true };
    const list = await db
      .select({ name: posyandu.name, reg: posyandu.registrationNo, desa: posyandu.desaCode, desaName: regions.name })
      .from(posyandu)
      .innerJoin(regions, eq(regions.code, posyandu.desaCode))
      .where(and(withinScope(posyandu.desaCode, scope), eq(posyandu.active, true)))
      .orderBy(asc(posyandu.desaCode), asc(posyandu.name))
      .limit(50_000);
    for (const p of list) ref.addRow(p);
  } else {
    const ref = wb.addWorksheet("Daftar desa");
    ref.columns = [
      { header: "kode_desa", key: "code", width: 16 },
      { header: "desa", key: "name", width: 32 },
    ];
    ref.getRow(1).font = { bold: true };
    const list = await db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(and(eq(regions.level, "desa"), withinScope(regions.code, scope)))
      .orderBy(asc(regions.code));
    for (const d of list) ref.addRow(d);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
