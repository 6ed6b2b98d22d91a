/** Workshop form validation, labels and status rules (pure). */
import { z } from "zod";
import {
  ATTENDANCE_STATUSES,
  WORKSHOP_AUDIENCES,
  WORKSHOP_KINDS,
  type AttendanceMethod,
  type AttendanceStatus,
  type EnrolmentStatus,
  type WorkshopKind,
  type WorkshopStatus,
} from "~/db/schema";
import { isRegionCode, levelOfCode } from "~/lib/region";
import { parseLocalDateTime, zoneForRegion } from "~/lib/timezone";

export const KIND_LABEL: Record<WorkshopKind, string> = {
  sosialisasi: "Sosialisasi",
  pelatihan: "Pelatihan",
  pendampingan: "Pendampingan",
};

export const STATUS_LABEL: Record<WorkshopStatus, string> = {
  draft: "Draf",
  published: "Dibuka",
  cancelled: "Dibatalkan",
  completed: "Selesai",
};

export const ENROLMENT_LABEL: Record<EnrolmentStatus, string> = {
  enrolled: "Terdaftar",
  waitlisted: "Daftar tunggu",
  cancelled: "Batal",
};

export const ATTENDANCE_LABEL: Record<AttendanceStatus, string> = {
  hadir: "Hadir",
  terlambat: "Terlambat",
  izin: "Izin",
  alpa: "Alpa",
};

/** How an attendance record was made, for exports and the roster. */
export const METHOD_LABEL: Record<AttendanceMethod, string> = {
  roster: "Daftar hadir",
  qr: "Pindai QR",
  kode: "Kode absen",
  import: "Impor",
  walkin: "Datang langsung",
};

export const AUDIENCE_LABEL = { pembina: "Tim Pembina", kader: "Kader" } as const;

export const MAX_CAPACITY = 5000;

const text = (min: number, max: number, label: string) =>
  z
    .string({ error: `${label} wajib diisi.` })
    .trim()
    .min(min, min > 1 ? `${label} minimal ${min} karakter.` : `${label} wajib diisi.`)
    .max(max, `${label} terlalu panjang (maksimal ${max} karakter).`);

/**
 * The session form. Start and end are datetime-local values in the zone of the
 * session's region; they become UTC instants here.
 */
export const workshopFormSchema = z
  .object({
    title: text(5, 150, "Judul"),
    kind: z.enum(WORKSHOP_KINDS, { error: "Pilih jenis kegiatan." }),
    audience: z.enum(WORKSHOP_AUDIENCES, { error: "Pilih peserta." }),
    regionCode: z
      .string({ error: "Pilih wilayah." })
      .trim()
      .refine((v) => isRegionCode(v) && levelOfCode(v) !== "provinsi", "Pilih wilayah kabupaten, kecamatan atau desa."),
    venue: text(3, 200, "Tempat"),
    description: z.string().trim().max(2000, "Keterangan terlalu panjang.").optional().transform((v) => (v ? v : null)),
    startsAt: z.string({ error: "Isi waktu mulai." }).min(1, "Isi waktu mulai."),
    endsAt: z.string({ error: "Isi waktu selesai." }).min(1, "Isi waktu selesai."),
    capacity: z.coerce
      .number({ error: "Kapasitas harus berupa angka." })
      .int("Kapasitas harus bilangan bulat.")
      .min(1, "Kapasitas minimal 1 orang.")
      .max(MAX_CAPACITY, `Kapasitas maksimal ${MAX_CAPACITY} orang.`),
    graceMinutes: z.coerce.number({ error: "Batas terlambat harus berupa angka." }).int().min(0, "Batas terlambat tidak boleh negatif.").max(240, "Batas terlambat maksimal 240 menit.").default(15),
    moduleSlugs: z.array(z.string().regex(/^[a-z0-9-]+$/, "Modul tidak valid.")).default([]),
  })
  .transform((v, ctx) => {
    const zone = zoneForRegion(isRegionCode(v.regionCode) ? v.regionCode : "64");
    const startsAt = parseLocalDateTime(v.startsAt, zone);
    const endsAt = parseLocalDateTime(v.endsAt, zone);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "Waktu mulai tidak valid." });
    if (!endsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Waktu selesai tidak valid." });
    if (startsAt && endsAt && endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Waktu selesai harus setelah waktu mulai." });
    if (startsAt && endsAt && endsAt.getTime() - startsAt.getTime() > 14 * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Satu kegiatan paling lama 14 hari." });
    }
    // Follow-up modules are assigned to those who attend a pelatihan only (afterAttendance).
    const moduleSlugs = v.kind === "pelatihan" ? v.moduleSlugs : [];
    return { ...v, moduleSlugs, startsAt: startsAt!, endsAt: endsAt! };
  });
export type WorkshopForm = z.infer<typeof workshopFormSchema>;

/** FormData to the shape the schema reads (module checkboxes are repeated fields). */
export function workshopFormInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = Object.fromEntries(form);
  input.moduleSlugs = form.getAll("moduleSlugs").map(String);
  return input;
}

export const ALLOWED_TRANSITIONS: Record<WorkshopStatus, WorkshopStatus[]> = {
  draft: ["published", "cancelled"],
  published: ["completed", "cancelled"],
  cancelled: [],
  completed: [],
};

export const attendanceStatusSchema = z.enum(ATTENDANCE_STATUSES);

/** "https://wa.me/?text=…" with the session's details: a plain share link, no JS. */
export function whatsappShareUrl(details: { title: string; when: string; venue: string; url: string }): string {
  const text = `*${details.title}*\n${details.when}\nTempat: ${details.venue}\nDaftar & info: ${details.url}`;
  return `https://wa.me/?text=${encodeURIComponent(text)}`;
}

/** What a kader is asked to bring when the pembina does not write anything else. */
export const DEFAULT_BRING = "ponsel yang sudah bisa masuk ke Akademi Posyandu (untuk absen QR), alat tulis dan buku catatan kader";

/** The prepared reminder for one participant (WhatsApp formatting: *bold*). */
export function reminderMessage(d: {
  name: string;
  kind: string;
  title: string;
  day: string;
  time: string;
  venue: string;
  bring: string;
  url: string;
}): string {
  return [
    `Halo ${d.name},`,
    `mengingatkan ${d.kind.toLowerCase()} *${d.title}*:`,
    `Hari/tanggal: ${d.day}`,
    `Pukul: ${d.time}`,
    `Tempat: ${d.venue}`,
    `Yang perlu dibawa: ${d.bring}`,
    `Info & simpan ke kalender: ${d.url}`,
    "Terima kasih.",
  ].join("\n");
}

/** WhatsApp click-to-chat with one person ("https://wa.me/628…?text=…"); phone is canonical 628…. */
export function whatsappChatUrl(phone: string, text: string): string {
  return `https://wa.me/${phone.replace(/\D/g, "")}?text=${encodeURIComponent(text)}`;
}
