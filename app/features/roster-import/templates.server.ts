/** Roster import: the downloadable CSV and XLSX templates. */
import { stringify } from "csv-stringify/sync";
import { and, asc, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { db } from "~/db.server";
import { posyandu, regions, SPM_BIDANG } from "~/db/schema";
import { SPM_LABEL } from "~/lib/roles";
import {
  columnsOf,
  EXAMPLE_PREFIX,
  MIN_BIRTH_YEAR,
  maxBirthYear,
  type ImportKind,
} from "~/features/roster-import/columns";
import { withinScope } from "~/db/scope";

// ---------------------------------------------------------------- templates

export const TEMPLATE_FILES = [
  "templat-kader.csv",
  "templat-kader.xlsx",
  "templat-posyandu.csv",
  "templat-posyandu.xlsx",
] as const;
export type TemplateFile = (typeof TEMPLATE_FILES)[number];

export function parseTemplateName(name: string | undefined): { kind: ImportKind; format: "csv" | "xlsx" } | null {
  const m = /^templat-(kader|posyandu)\.(csv|xlsx)$/.exec(name ?? "");
  return m ? { kind: m[1] as ImportKind, format: m[2] as "csv" | "xlsx" } : null;
}

/** The header row only (UTF-8 with BOM, so Excel shows names with accents correctly). */
export function templateCsv(kind: ImportKind): string {
  return "\uFEFF" + stringify([columnsOf(kind).map((c) => c.key)]);
}

/** Rows of the Data sheet that carry the dropdowns (the import accepts up to 100,000; few files reach this). */
const VALIDATED_ROWS = 20_000;

type ListValidation = { list: string; strict: boolean; prompt: string };

/** A dropdown on a column of the Data sheet: a literal list ("L,P") or a range of a reference sheet. */
function addDropdown(ws: ExcelJS.Worksheet, col: number, v: ListValidation): void {
  const letter = ws.getColumn(col).letter;
  // exceljs keeps sheet-level validations in `dataValidations` (not in its type definitions).
  (
    ws as unknown as { dataValidations: { add(address: string, dv: ExcelJS.DataValidation): void } }
  ).dataValidations.add(`${letter}2:${letter}${VALIDATED_ROWS + 1}`, {
    type: "list",
    allowBlank: true,
    formulae: [v.list],
    showErrorMessage: true,
    errorStyle: v.strict ? "stop" : "warning",
    errorTitle: "Nilai tidak ada di daftar",
    error: v.strict
      ? "Pilih salah satu nilai dari daftar."
      : "Nilai ini tidak ada di daftar wilayah Anda. Periksa lagi sebelum mengimpor.",
    showInputMessage: true,
    prompt: v.prompt,
  });
}

const sheetRange = (sheet: string, col: string, rows: number) => `'${sheet}'!$${col}$2:$${col}$${rows + 1}`;

/**
 * XLSX template: sheet "Data" (the header, one example row that the import skips, text-
 * formatted phone and code columns so Excel keeps leading zeros, and dropdowns for the
 * coded columns: bidang SPM, jenis kelamin, kode desa, posyandu), "Petunjuk" (each column
 * explained) and reference sheets with the desa (and, for kader, the posyandu) inside the
 * actor's scope, which the dropdowns read.
 */
export async function templateXlsx(kind: ImportKind, scope: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Akademi Posyandu";
  const cols = columnsOf(kind);
  const data = wb.addWorksheet("Data", {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  data.columns = cols.map((c) => ({
    header: c.key,
    key: c.key,
    width: Math.max(14, c.key.length + 4),
    style: { numFmt: "@" },
  }));
  data.getRow(1).font = { bold: true };
  const colOf = (key: string) => cols.findIndex((c) => c.key === key) + 1;

  const help = wb.addWorksheet("Petunjuk");
  help.columns = [
    { header: "kolom", key: "kolom", width: 28 },
    { header: "keterangan", key: "keterangan", width: 100 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of cols) help.addRow({ kolom: c.key, keterangan: c.help });
  help.addRow({});
  help.addRow({
    kolom: "Catatan",
    keterangan: `Isi data mulai baris 2 lembar "Data". Baris 2 adalah contoh (nama diawali "${EXAMPLE_PREFIX}") dan tidak ikut diimpor: timpa atau hapus. Kolom berkode punya daftar pilihan. Baris kosong dilewati. Semua baris disimpan sekaligus atau tidak sama sekali.`,
  });

  const desaList = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.level, "desa"), withinScope(regions.code, scope)))
    .orderBy(asc(regions.code));
  const desaSheet = (title: string) => {
    const ref = wb.addWorksheet(title);
    ref.columns = [
      { header: "kode_desa", key: "code", width: 16 },
      { header: "desa", key: "name", width: 32 },
    ];
    ref.getRow(1).font = { bold: true };
    for (const d of desaList) ref.addRow(d);
  };
  const example = (cells: Record<string, string>) => {
    const row = data.addRow(cells);
    row.font = { italic: true, color: { argb: "FF78716C" } };
  };

  if (kind === "kader") {
    help.addRow({
      kolom: "",
      keterangan: `Bidang SPM: ${SPM_BIDANG.map((b) => SPM_LABEL[b]).join(", ")}. Tahun lahir ${MIN_BIRTH_YEAR}–${maxBirthYear()}.`,
    });
    help.addRow({
      kolom: "",
      keterangan:
        "Kader yang nomor HP-nya sudah terdaftar diperbarui, tidak digandakan. Kader baru masuk dengan kode aktivasi dari Tim Pembina.",
    });
    const ref = wb.addWorksheet("Daftar posyandu");
    ref.columns = [
      { header: "posyandu", key: "name", width: 32 },
      { header: "nomor_registrasi_posyandu", key: "reg", width: 26 },
      { header: "kode_desa", key: "desa", width: 16 },
      { header: "desa", key: "desaName", width: 28 },
    ];
    ref.getRow(1).font = { bold: true };
    const list = await db
      .select({
        name: posyandu.name,
        reg: posyandu.registrationNo,
        desa: posyandu.desaCode,
        desaName: regions.name,
      })
      .from(posyandu)
      .innerJoin(regions, eq(regions.code, posyandu.desaCode))
      .where(and(withinScope(posyandu.desaCode, scope), eq(posyandu.active, true)))
      .orderBy(asc(posyandu.desaCode), asc(posyandu.name))
      .limit(50_000);
    for (const p of list) ref.addRow(p);
    desaSheet("Daftar desa");
    const first = list[0];
    example({
      nama: `${EXAMPLE_PREFIX} Siti Aminah`,
      no_hp: "081234567890",
      posyandu: first?.name ?? "Posyandu Melati 1",
      nomor_registrasi_posyandu: "",
      kode_desa: first?.desa ?? desaList[0]?.code ?? "64.08.01.2001",
      bidang_spm: SPM_LABEL.kesehatan,
      jenis_kelamin: "P",
      tahun_lahir: "1985",
    });
    addDropdown(data, colOf("bidang_spm"), {
      list: `"${SPM_BIDANG.map((b) => SPM_LABEL[b]).join(",")}"`,
      strict: true,
      prompt: "Pilih bidang SPM.",
    });
    addDropdown(data, colOf("jenis_kelamin"), { list: `"L,P"`, strict: true, prompt: "L atau P (boleh kosong)." });
    if (list.length) {
      addDropdown(data, colOf("posyandu"), {
        list: sheetRange("Daftar posyandu", "A", list.length),
        strict: false,
        prompt: "Pilih posyandu dari lembar Daftar posyandu.",
      });
      addDropdown(data, colOf("nomor_registrasi_posyandu"), {
        list: sheetRange("Daftar posyandu", "B", list.length),
        strict: false,
        prompt: "Boleh kosong bila nama posyandu dan kode desa diisi.",
      });
    }
  } else {
    desaSheet("Daftar desa");
    example({
      nama: `${EXAMPLE_PREFIX} Posyandu Melati 1`,
      kode_desa: desaList[0]?.code ?? "64.08.01.2001",
      nomor_registrasi: "",
      alamat: "RT 03, Dusun I",
    });
  }
  // Both kinds have the sheet "Daftar desa" for the kode_desa dropdown.
  if (desaList.length) {
    addDropdown(data, colOf("kode_desa"), {
      list: sheetRange("Daftar desa", "A", desaList.length),
      strict: true,
      prompt: "Pilih kode desa dari lembar Daftar desa.",
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
