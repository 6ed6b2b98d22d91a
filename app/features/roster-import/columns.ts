/**
 * Roster import (kader and posyandu from CSV/XLSX): the columns of each kind, header
 * matching, label parsing (bidang SPM, jenis kelamin) and the zod schema of one row.
 * Pure logic: reading files and the database live in the *.server.ts files beside this one.
 */
import { z } from "zod";
import { SPM_BIDANG, type SpmBidang } from "~/db/schema";
import { normalizePhone } from "~/lib/phone";
import { isRegionCode, levelOfCode } from "~/lib/region";
import { SPM_LABEL } from "~/lib/roles";

export const IMPORT_KINDS = ["kader", "posyandu"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_KIND_LABEL: Record<ImportKind, string> = {
  kader: "Kader",
  posyandu: "Posyandu",
};

/** Upload limit (bytes) and row limit of one file. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** Row errors shown on the preview page (the count covers all of them). */
export const SHOWN_ERRORS = 200;

export interface ColumnDef {
  key: string;
  /** Explanation for the template's instruction sheet. */
  help: string;
  aliases: string[];
}

export const KADER_COLUMNS: ColumnDef[] = [
  {
    key: "nama",
    help: "Nama lengkap kader (wajib).",
    aliases: ["nama lengkap", "nama kader"],
  },
  {
    key: "no_hp",
    help: "Nomor HP (wajib), misalnya 081234567890, +6281234567890 atau 6281234567890. Nomor ini dipakai untuk masuk.",
    aliases: [
      "nomor hp",
      "no hp",
      "hp",
      "nomor telepon",
      "no telp",
      "no telepon",
      "telepon",
      "nomor wa",
      "no wa",
      "whatsapp",
    ],
  },
  {
    key: "posyandu",
    help: "Nama posyandu tempat kader bertugas (isi ini bersama kode_desa, atau isi nomor_registrasi_posyandu).",
    aliases: ["nama posyandu"],
  },
  {
    key: "nomor_registrasi_posyandu",
    help: "Nomor registrasi posyandu dari Kemendagri (boleh kosong bila nama posyandu dan kode desa diisi).",
    aliases: ["no registrasi posyandu", "no reg posyandu", "nomor registrasi", "no registrasi", "no reg"],
  },
  {
    key: "kode_desa",
    help: "Kode Kemendagri desa/kelurahan posyandu, misalnya 64.08.01.2001.",
    aliases: ["kode desa kelurahan", "kode kelurahan", "kode wilayah"],
  },
  {
    key: "bidang_spm",
    help: `Bidang SPM yang dilayani kader (wajib): ${SPM_BIDANG.map((b) => SPM_LABEL[b]).join(", ")}.`,
    aliases: ["bidang", "spm", "bidang spm kader"],
  },
  {
    key: "jenis_kelamin",
    help: "L atau P (boleh juga Laki-laki atau Perempuan). Boleh kosong.",
    aliases: ["jk", "l p", "kelamin"],
  },
  {
    key: "tahun_lahir",
    help: "Tahun lahir, empat angka (misalnya 1985). Boleh kosong.",
    aliases: ["thn lahir", "tahun kelahiran"],
  },
];

export const POSYANDU_COLUMNS: ColumnDef[] = [
  {
    key: "nama",
    help: "Nama posyandu (wajib), misalnya Posyandu Melati 1.",
    aliases: ["nama posyandu"],
  },
  {
    key: "kode_desa",
    help: "Kode Kemendagri desa/kelurahan (wajib), misalnya 64.08.01.2001.",
    aliases: ["kode desa kelurahan", "kode kelurahan", "kode wilayah"],
  },
  {
    key: "nomor_registrasi",
    help: "Nomor registrasi posyandu dari Kemendagri (boleh kosong; bila diisi harus unik).",
    aliases: ["no registrasi", "no reg", "nomor registrasi posyandu", "no registrasi posyandu"],
  },
  {
    key: "alamat",
    help: "Alamat posyandu (boleh kosong).",
    aliases: ["alamat posyandu", "lokasi"],
  },
];

/**
 * The XLSX template's example row starts its name with this word; the import skips such
 * a row (counted with the blank rows), so a template sent back unchanged adds nobody.
 */
export const EXAMPLE_PREFIX = "Contoh:";

export function isExampleRow(index: Record<string, number>, cells: string[]): boolean {
  const name = "nama" in index ? (cells[index.nama] ?? "") : "";
  return name.trim().toLowerCase().startsWith(EXAMPLE_PREFIX.toLowerCase());
}

export function columnsOf(kind: ImportKind): ColumnDef[] {
  return kind === "kader" ? KADER_COLUMNS : POSYANDU_COLUMNS;
}

/** "No. HP", "no_hp", "NO HP " → "no_hp". */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export type HeaderResult =
  | { ok: true; index: Record<string, number>; ignored: string[] }
  | { ok: false; message: string };

/** Maps the header cells to column keys; reports missing or repeated columns in Indonesian. */
export function mapHeader(kind: ImportKind, header: string[]): HeaderResult {
  const defs = columnsOf(kind);
  const lookup = new Map<string, string>();
  for (const d of defs) {
    lookup.set(normalizeHeader(d.key), d.key);
    for (const a of d.aliases) lookup.set(normalizeHeader(a), d.key);
  }
  const index: Record<string, number> = {};
  const ignored: string[] = [];
  const repeated: string[] = [];
  header.forEach((cell, i) => {
    const norm = normalizeHeader(cell);
    if (!norm) return;
    const key = lookup.get(norm);
    if (!key) {
      ignored.push(cell.trim());
      return;
    }
    if (key in index) repeated.push(key);
    else index[key] = i;
  });
  const expected = defs.map((d) => d.key).join(", ");
  const required = kind === "kader" ? ["nama", "no_hp", "kode_desa", "bidang_spm"] : ["nama", "kode_desa"];
  const missing = required.filter((k) => !(k in index));
  if (kind === "kader" && !("posyandu" in index) && !("nomor_registrasi_posyandu" in index))
    missing.push("posyandu atau nomor_registrasi_posyandu");
  if (missing.length) {
    const found = header.map((h) => h.trim()).filter(Boolean);
    return {
      ok: false,
      message:
        `Kolom wajib tidak ditemukan: ${missing.join(", ")}. Baris pertama harus berisi judul kolom: ${expected}` +
        ` (ditemukan: ${found.length ? found.join(", ") : "kosong"}). Unduh templat ${kind} untuk contoh.`,
    };
  }
  if (repeated.length)
    return {
      ok: false,
      message: `Kolom muncul lebih dari sekali: ${[...new Set(repeated)].join(", ")}.`,
    };
  return { ok: true, index, ignored };
}

// ---------------------------------------------------------------- labels

const BIDANG_ALIASES: Record<string, SpmBidang> = {};
for (const b of SPM_BIDANG) {
  BIDANG_ALIASES[b.replace(/-/g, "")] = b;
  BIDANG_ALIASES[SPM_LABEL[b].toLowerCase().replace(/[^a-z]/g, "")] = b;
}
Object.assign(BIDANG_ALIASES, {
  pu: "pekerjaan-umum",
  perumahan: "perumahan-rakyat",
  perumahanrakyatdankawasanpermukiman: "perumahan-rakyat",
  trantibum: "trantibum-linmas",
  trantibumlinmaslinmas: "trantibum-linmas",
  ketenteramanketertibanumumdanperlindunganmasyarakat: "trantibum-linmas",
  ketentramanketertibanumumdanperlindunganmasyarakat: "trantibum-linmas",
  linmas: "trantibum-linmas",
} satisfies Record<string, SpmBidang>);

/** "Kesehatan", "Pekerjaan Umum", "trantibum linmas", "pekerjaan-umum" → the SPM bidang. */
export function parseBidang(value: string): SpmBidang | null {
  const key = value
    .toLowerCase()
    .replace(/^(bidang|spm)\s+/, "")
    .replace(/[^a-z]/g, "");
  return BIDANG_ALIASES[key] ?? null;
}

/** L/P, "Laki-laki"/"Perempuan", pria/wanita → L or P. */
export function parseGender(value: string): "L" | "P" | null {
  const v = value.toLowerCase().replace(/[^a-z]/g, "");
  if (["l", "lk", "laki", "lakilaki", "pria"].includes(v)) return "L";
  if (["p", "pr", "perempuan", "wanita"].includes(v)) return "P";
  return null;
}

/** Name comparison for matching a posyandu: case, spacing and a leading "Posyandu" do not matter. */
export function posyanduNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^posyandu\s+/, "");
}

export function cleanName(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------- rows

const text = (max: number, message: string) =>
  z
    .string()
    .transform(cleanName)
    .pipe(z.string().max(max, message))
    .transform((v) => (v ? v : null));

const desaCode = z
  .string()
  .transform((v) => v.trim())
  .refine(
    (v) => v === "" || (isRegionCode(v) && levelOfCode(v) === "desa"),
    "kode desa tidak valid (contoh: 64.08.01.2001)",
  )
  .transform((v) => (v ? v : null));

const registration = z
  .string()
  .trim()
  .max(40, "nomor registrasi terlalu panjang")
  .regex(
    /^[0-9A-Za-z.\-/]*$/,
    "nomor registrasi hanya boleh berisi angka, huruf, titik, garis miring atau tanda hubung",
  )
  .transform((v) => (v ? v : null));

/** Latest accepted birth year: kader are at least 15. */
export function maxBirthYear(now = new Date()): number {
  return now.getFullYear() - 15;
}
export const MIN_BIRTH_YEAR = 1940;

export function kaderRowSchema(now = new Date()) {
  const maxYear = maxBirthYear(now);
  return z
    .object({
      nama: z
        .string()
        .transform(cleanName)
        .pipe(
          z
            .string()
            .min(1, { error: "nama wajib diisi", abort: true })
            .min(2, "nama terlalu pendek")
            .max(120, "nama terlalu panjang (maksimal 120 karakter)"),
        ),
      no_hp: z.string().transform((v, ctx) => {
        if (!v.trim()) {
          ctx.addIssue({ code: "custom", message: "nomor HP wajib diisi" });
          return z.NEVER;
        }
        const p = normalizePhone(v);
        if (!p) {
          ctx.addIssue({
            code: "custom",
            message: `nomor HP tidak valid (${v.trim().slice(0, 30)})`,
          });
          return z.NEVER;
        }
        return p;
      }),
      posyandu: text(120, "nama posyandu terlalu panjang"),
      nomor_registrasi_posyandu: registration,
      kode_desa: desaCode,
      bidang_spm: z.string().transform((v, ctx) => {
        if (!v.trim()) {
          ctx.addIssue({ code: "custom", message: "bidang SPM wajib diisi" });
          return z.NEVER;
        }
        const b = parseBidang(v);
        if (!b) {
          ctx.addIssue({
            code: "custom",
            message: `bidang SPM "${v.trim().slice(0, 40)}" tidak dikenal (pilih: ${SPM_BIDANG.map((x) => SPM_LABEL[x]).join(", ")})`,
          });
          return z.NEVER;
        }
        return b;
      }),
      jenis_kelamin: z.string().transform((v, ctx) => {
        if (!v.trim()) return null;
        const g = parseGender(v);
        if (!g) {
          ctx.addIssue({
            code: "custom",
            message: "jenis kelamin harus L atau P",
          });
          return z.NEVER;
        }
        return g;
      }),
      tahun_lahir: z.string().transform((v, ctx) => {
        const t = v.trim();
        if (!t) return null;
        const n = /^\d{4}$/.test(t) ? Number(t) : NaN;
        if (!(n >= MIN_BIRTH_YEAR && n <= maxYear)) {
          ctx.addIssue({
            code: "custom",
            message: `tahun lahir harus antara ${MIN_BIRTH_YEAR} dan ${maxYear}`,
          });
          return z.NEVER;
        }
        return n;
      }),
    })
    .superRefine((row, ctx) => {
      if (!row.posyandu && !row.nomor_registrasi_posyandu) {
        ctx.addIssue({
          code: "custom",
          message: "isi nama posyandu atau nomor registrasinya",
        });
      } else if (!row.nomor_registrasi_posyandu && !row.kode_desa) {
        ctx.addIssue({
          code: "custom",
          message: "kode desa wajib diisi bila posyandu ditulis dengan nama",
        });
      }
    })
    .transform((r) => ({
      name: r.nama,
      phone: r.no_hp,
      posyanduName: r.posyandu,
      registrationNo: r.nomor_registrasi_posyandu,
      desaCode: r.kode_desa,
      spmBidang: r.bidang_spm,
      gender: r.jenis_kelamin,
      birthYear: r.tahun_lahir,
    }));
}

export const posyanduRowSchema = z
  .object({
    nama: z
      .string()
      .transform(cleanName)
      .pipe(
        z
          .string()
          .min(1, { error: "nama posyandu wajib diisi", abort: true })
          .min(3, "nama posyandu minimal 3 karakter")
          .max(120, "nama posyandu terlalu panjang"),
      ),
    kode_desa: desaCode.refine((v) => v !== null, "kode desa wajib diisi"),
    nomor_registrasi: registration,
    alamat: text(300, "alamat terlalu panjang (maksimal 300 karakter)"),
  })
  .transform((r) => ({
    name: r.nama,
    desaCode: r.kode_desa!,
    registrationNo: r.nomor_registrasi,
    address: r.alamat,
  }));

export type KaderValues = z.output<ReturnType<typeof kaderRowSchema>>;
export type PosyanduValues = z.output<typeof posyanduRowSchema>;

/** The cells of one data row keyed by column (missing columns are empty strings). */
export function rowObject(kind: ImportKind, index: Record<string, number>, cells: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of columnsOf(kind)) out[d.key] = d.key in index ? (cells[index[d.key]] ?? "") : "";
  return out;
}

/** zod issues of one row as one Indonesian line without the "Baris N:" prefix. */
export function issuesText(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.message))].join("; ");
}

export function rowMessage(line: number, messages: string[]): string {
  return `Baris ${line}: ${messages.join("; ")}`;
}
