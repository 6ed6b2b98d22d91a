/** Workshop form validation, labels and status rules (pure). */
import { z } from "zod";
import {
  WORKSHOP_AUDIENCES,
  WORKSHOP_KINDS,
  type AttendanceMethod,
  type AttendanceStatus,
  type EnrolmentStatus,
  type WorkshopKind,
  type Role,
  type WorkshopStatus,
  type workshops,
} from "~/db/schema";
import { isRegionCode, isWithinScope, levelOfCode } from "~/lib/region";
import { PEMBINA_ROLES } from "~/lib/roles";
import { parseLocalDateTime, zoneForRegion } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";

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
    description: z
      .string()
      .trim()
      .max(2000, "Keterangan terlalu panjang.")
      .optional()
      .transform((v) => (v ? v : null)),
    startsAt: z.string({ error: "Isi waktu mulai." }).min(1, "Isi waktu mulai."),
    endsAt: z.string({ error: "Isi waktu selesai." }).min(1, "Isi waktu selesai."),
    capacity: z.coerce
      .number({ error: "Kapasitas harus berupa angka." })
      .int("Kapasitas harus bilangan bulat.")
      .min(1, "Kapasitas minimal 1 orang.")
      .max(MAX_CAPACITY, `Kapasitas maksimal ${MAX_CAPACITY} orang.`),
    graceMinutes: z.coerce
      .number({ error: "Batas terlambat harus berupa angka." })
      .int()
      .min(0, "Batas terlambat tidak boleh negatif.")
      .max(240, "Batas terlambat maksimal 240 menit.")
      .default(15),
    moduleSlugs: z.array(z.string().regex(/^[a-z0-9-]+$/, "Modul tidak valid.")).default([]),
  })
  .transform((v, ctx) => {
    const zone = zoneForRegion(isRegionCode(v.regionCode) ? v.regionCode : "64");
    const startsAt = parseLocalDateTime(v.startsAt, zone);
    const endsAt = parseLocalDateTime(v.endsAt, zone);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "Waktu mulai tidak valid." });
    if (!endsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Waktu selesai tidak valid." });
    if (startsAt && endsAt && endsAt <= startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Waktu selesai harus setelah waktu mulai." });
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

/** "https://wa.me/?text=…" with the session's details: a plain share link, no JS. */
export function whatsappShareUrl(details: { title: string; when: string; venue: string; url: string }): string {
  const text = `*${details.title}*\n${details.when}\nTempat: ${details.venue}\nDaftar & info: ${details.url}`;
  return `https://wa.me/?text=${encodeURIComponent(text)}`;
}

// ---------------------------------------------------------------- who may do what (pure)

type WorkshopRow = typeof workshops.$inferSelect;
type Actor = { role: Role; scopeCode: string };

export const SCHEDULER_ROLES: readonly Role[] = rolesFor("session-schedule");
export const ROSTER_ROLES: readonly Role[] = rolesFor("session-roster");

export function canSchedule(user: Actor, w: Pick<WorkshopRow, "regionCode">): boolean {
  return SCHEDULER_ROLES.includes(user.role) && isWithinScope(w.regionCode, user.scopeCode);
}

/** Roster and attendance: schedulers and pembina desa, for sessions inside their scope. */
export function canTakeAttendance(user: Actor, w: Pick<WorkshopRow, "regionCode">): boolean {
  return ROSTER_ROLES.includes(user.role) && isWithinScope(w.regionCode, user.scopeCode);
}

/** Pembina may enrol people of their own area into sessions of their area or above it. */
export function canEnrolInto(user: Actor, w: Pick<WorkshopRow, "regionCode" | "status">): boolean {
  if (!ROSTER_ROLES.includes(user.role) || w.status === "cancelled" || w.status === "completed") return false;
  return isWithinScope(w.regionCode, user.scopeCode) || isWithinScope(user.scopeCode, w.regionCode);
}

export function audienceOf(role: Role): "kader" | "pembina" | null {
  if (role === "kader") return "kader";
  if (PEMBINA_ROLES.includes(role)) return "pembina";
  return null;
}

/**
 * Why this person may not enrol themselves, or null when they may. One rule for the card,
 * the session page and the enrolment itself: a published session that has not ended, for
 * the person's audience (kader or pembina) inside their area, not already enrolled, and not
 * one the person organises (those who take attendance enrol others instead).
 */
export function selfEnrolProblem(
  user: Actor,
  w: Pick<WorkshopRow, "status" | "endsAt" | "audience" | "regionCode">,
  myEnrolment: EnrolmentStatus | null,
  now = new Date(),
): string | null {
  if (w.status !== "published") return "Pendaftaran hanya untuk kegiatan yang sedang dibuka.";
  if (w.endsAt <= now) return "Kegiatan ini sudah berakhir.";
  if (audienceOf(user.role) !== w.audience || !isWithinScope(user.scopeCode, w.regionCode)) {
    return "Kegiatan ini bukan untuk peran atau wilayah Anda.";
  }
  if (canTakeAttendance(user, w)) return "Anda penyelenggara kegiatan ini: daftarkan peserta dari halaman peserta.";
  if (myEnrolment === "enrolled" || myEnrolment === "waitlisted") return "Anda sudah terdaftar.";
  return null;
}

/**
 * Why an enrolment may not be cancelled, or null. Nobody cancels the enrolment of someone
 * recorded at the session (the funnel would show attendance without enrolment); a person
 * cancels her own only before the session ends. One rule for the page's button and the action.
 */
export function cancelProblem(input: {
  self: boolean;
  enrolment: EnrolmentStatus | null;
  attended: boolean;
  endsAt: Date;
  now?: Date;
}): string | null {
  if (input.enrolment !== "enrolled" && input.enrolment !== "waitlisted")
    return "Tidak ada pendaftaran untuk dibatalkan.";
  if (input.attended) return "Kehadiran sudah tercatat: pendaftaran tidak dapat dibatalkan.";
  if (input.self && input.endsAt <= (input.now ?? new Date()))
    return "Kegiatan ini sudah berakhir: pendaftaran tidak dapat dibatalkan lagi.";
  return null;
}

/**
 * Whether the session page offers "batalkan pendaftaran saya": the person has an enrolment
 * (`mine`, her participant row, or none) that `cancelProblem` lets her cancel herself.
 */
export function canSelfCancel(
  mine: { enrolment: EnrolmentStatus | null; attendance: AttendanceStatus | null } | null | undefined,
  w: Pick<WorkshopRow, "endsAt">,
  now = new Date(),
): boolean {
  if (!mine) return false;
  return (
    cancelProblem({ self: true, enrolment: mine.enrolment, attended: !!mine.attendance, endsAt: w.endsAt, now }) ===
    null
  );
}

/** What a kader is asked to bring when the pembina does not write anything else. */
export const DEFAULT_BRING =
  "ponsel yang sudah bisa masuk ke Akademi Posyandu (untuk absen QR), alat tulis dan buku catatan kader";

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
