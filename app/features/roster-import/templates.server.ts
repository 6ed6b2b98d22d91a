/** Roster import: the downloadable CSV and XLSX templates. */
import { stringify } from "csv-stringify/sync";
import { and, asc, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { db } from "~/db.server";
import { posyandu, regions, SPM_BIDANG } from "~/db/schema";
import { SPM_LABEL } from "~/lib/roles";
import { columnsOf, MIN_BIRTH_YEAR, maxBirthYear, type ImportKind } from "~/features/roster-import/columns";
import { withinScope } from "~/features/regions/regions.server";

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

/**
 * XLSX template: sheet "Data" (the header; text-formatted phone and code columns so Excel
 * keeps leading zeros), "Petunjuk" (each column explained) and a reference sheet with the
 * desa (for posyandu) or posyandu (for kader) inside the actor's scope.
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
    keterangan: `Isi data mulai baris 2 lembar "Data". Baris kosong dilewati. Semua baris disimpan sekaligus atau tidak sama sekali.`,
  });
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
