/** Parsing and validation of the region CSV format: code,name,level,parent_code. */
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { REGION_LEVELS } from "~/db/schema";
import { isRegionCode, levelOfCode, parentOfCode } from "~/lib/region";

/** Largest region CSV upload. */
export const MAX_REGION_CSV_BYTES = 20 * 1024 * 1024;

export const regionRowSchema = z
  .object({
    code: z.string().trim().refine(isRegionCode, "kode wilayah tidak valid (contoh: 64.08.01.2001)"),
    name: z.string().trim().min(1, "nama wajib diisi").max(200, "nama terlalu panjang"),
    level: z.enum(REGION_LEVELS, { error: "level harus provinsi, kabupaten, kecamatan atau desa" }),
    parent_code: z.string().trim(),
  })
  .superRefine((row, ctx) => {
    if (!isRegionCode(row.code)) return;
    if (levelOfCode(row.code) !== row.level) {
      ctx.addIssue({ code: "custom", message: `level "${row.level}" tidak cocok dengan kode ${row.code}` });
    }
    const expectedParent = parentOfCode(row.code) ?? "";
    if (row.parent_code !== expectedParent) {
      ctx.addIssue({ code: "custom", message: `parent_code harus "${expectedParent}"` });
    }
  });

export interface RegionRow {
  code: string;
  name: string;
  level: (typeof REGION_LEVELS)[number];
  parentCode: string | null;
}

export interface RegionCsvResult {
  rows: RegionRow[];
  errors: string[];
}

const HEADER = ["code", "name", "level", "parent_code"];

/** Validates every row; `errors` holds one Indonesian message per bad row ("Baris 14: …"). */
export function parseRegionCsv(text: string): RegionCsvResult {
  const errors: string[] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    return { rows: [], errors: [`Berkas CSV tidak dapat dibaca: ${(e as Error).message}`] };
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  if (HEADER.some((h, i) => header[i] !== h)) {
    return {
      rows: [],
      errors: [`Baris 1: kolom harus ${HEADER.join(",")} (ditemukan: ${header.join(",") || "kosong"}).`],
    };
  }
  const rows: RegionRow[] = [];
  const seen = new Set<string>();
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const parsed = regionRowSchema.safeParse({
      code: rec[0] ?? "",
      name: rec[1] ?? "",
      level: rec[2] ?? "",
      parent_code: rec[3] ?? "",
    });
    if (!parsed.success) {
      errors.push(`Baris ${line}: ${parsed.error.issues.map((x) => x.message).join("; ")}.`);
      return;
    }
    if (seen.has(parsed.data.code)) {
      errors.push(`Baris ${line}: kode ${parsed.data.code} muncul lebih dari sekali.`);
      return;
    }
    seen.add(parsed.data.code);
    rows.push({
      code: parsed.data.code,
      name: parsed.data.name,
      level: parsed.data.level,
      parentCode: parsed.data.parent_code || null,
    });
  });
  return { rows, errors };
}
