/**
 * Indonesian time zones by province code. Times are stored as timestamptz and shown in
 * the zone of the session's region (Kalimantan Timur: WITA, Asia/Makassar, UTC+8, no DST).
 */
const WIB = { iana: "Asia/Jakarta", label: "WIB", offsetMinutes: 7 * 60 };
const WITA = { iana: "Asia/Makassar", label: "WITA", offsetMinutes: 8 * 60 };
const WIT = { iana: "Asia/Jayapura", label: "WIT", offsetMinutes: 9 * 60 };
export type Zone = typeof WIB;

/**
 * The one zone in which the whole deployment counts calendar days: a certificate is valid
 * through its expiry date, and the dashboard's days, months and years (rollup triggers in
 * drizzle/0010 and the queries in features/reporting) are dates in this zone. Kalimantan
 * Timur is WITA; a deployment for another province changes it here (and in that migration).
 * Times of day are still shown in each session's own zone (zoneForRegion).
 */
export const REPORTING_ZONE: Zone = WITA;

/** "1 Januari 2025" for a date string "2025-01-01" (a calendar date: no zone, no ICU data needed). */
export function formatIsoDay(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${BULAN[m - 1]} ${y}`;
}

export const BULAN = [
  "Januari",
  "Februari",
  "Maret",
  "April",
  "Mei",
  "Juni",
  "Juli",
  "Agustus",
  "September",
  "Oktober",
  "November",
  "Desember",
];

const WITA_PROVINCES = new Set(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"]);
const WIT_PROVINCES = new Set(["81", "82", "91", "92", "93", "94", "95", "96", "97"]);

export function zoneForRegion(code: string): Zone {
  const province = code.slice(0, 2);
  if (WITA_PROVINCES.has(province)) return WITA;
  if (WIT_PROVINCES.has(province)) return WIT;
  return WIB;
}

/** "2026-12-03T08:30" (a datetime-local value, wall time in the zone) to a UTC Date; null when malformed. */
export function parseLocalDateTime(value: string, zone: Zone): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi) - zone.offsetMinutes * 60_000;
  const check = new Date(utc + zone.offsetMinutes * 60_000);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59)
    return null;
  return new Date(utc);
}

/** The datetime-local value of a Date in the zone. */
export function toLocalInput(date: Date, zone: Zone): string {
  return new Date(date.getTime() + zone.offsetMinutes * 60_000).toISOString().slice(0, 16);
}

/** "Rabu, 3 Desember 2026" */
export function formatDate(date: Date, zone: Zone): string {
  return new Intl.DateTimeFormat("id-ID", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: zone.iana,
  }).format(date);
}

/** "3 Desember 2026" (no weekday: letters, exports) */
export function formatDay(date: Date, zone: Zone): string {
  return new Intl.DateTimeFormat("id-ID", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: zone.iana,
  }).format(date);
}

/** "3 Desember 2026 08.30 WITA": one moment in the zone, for exports. */
export function formatMoment(date: Date, zone: Zone): string {
  return `${formatDay(date, zone)} ${formatTime(date, zone)} ${zone.label}`;
}

/**
 * The wall time in the zone as a Date whose UTC fields carry it: what spreadsheet
 * libraries (which write UTC fields as the cell's date) need to show local time.
 */
export function wallClock(date: Date, zone: Zone): Date {
  return new Date(date.getTime() + zone.offsetMinutes * 60_000);
}

/** "08.30" */
export function formatTime(date: Date, zone: Zone): string {
  return new Intl.DateTimeFormat("id-ID", {
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: zone.iana,
  }).format(date);
}

/** "Rabu, 3 Desember 2026, 08.30–12.00 WITA" */
export function formatRange(start: Date, end: Date, zone: Zone): string {
  const sameDay = toLocalInput(start, zone).slice(0, 10) === toLocalInput(end, zone).slice(0, 10);
  return sameDay
    ? `${formatDate(start, zone)}, ${formatTime(start, zone)}–${formatTime(end, zone)} ${zone.label}`
    : `${formatDate(start, zone)} ${formatTime(start, zone)} – ${formatDate(end, zone)} ${formatTime(end, zone)} ${zone.label}`;
}

/** Year and month (1-12) of a date in the zone. */
export function localYearMonth(date: Date, zone: Zone): { year: number; month: number } {
  const local = new Date(date.getTime() + zone.offsetMinutes * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

/** UTC bounds of a calendar month in the zone. */
export function monthBounds(year: number, month: number, zone: Zone): { from: Date; to: Date } {
  const from = new Date(Date.UTC(year, month - 1, 1) - zone.offsetMinutes * 60_000);
  const to = new Date(Date.UTC(year, month, 1) - zone.offsetMinutes * 60_000);
  return { from, to };
}

// ---------------------------------------------------------------- WITA (the reporting zone)

/** REPORTING_ZONE (WITA, no daylight saving): certificates expire at the end of a date there. */
const WITA_OFFSET_MS = REPORTING_ZONE.offsetMinutes * 60_000;

/**
 * The same WITA wall-clock time `months` later; the day is clamped to the month's end
 * (31 January + 1 month = 28/29 February).
 */
export function addMonthsWita(date: Date, months: number): Date {
  const w = new Date(date.getTime() + WITA_OFFSET_MS);
  const y = w.getUTCFullYear();
  const m = w.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(w.getUTCDate(), lastDay);
  const shifted = Date.UTC(y, m, day, w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds(), w.getUTCMilliseconds());
  return new Date(shifted - WITA_OFFSET_MS);
}

/** The last millisecond of the date (WITA) of `date`. */
export function endOfDayWita(date: Date): Date {
  const w = new Date(date.getTime() + WITA_OFFSET_MS);
  return new Date(Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), 23, 59, 59, 999) - WITA_OFFSET_MS);
}

/** "12 Maret 2025" in WITA, without depending on the runtime's ICU data. */
export function tanggalWita(date: Date): string {
  const w = new Date(date.getTime() + WITA_OFFSET_MS);
  return `${w.getUTCDate()} ${BULAN[w.getUTCMonth()]} ${w.getUTCFullYear()}`;
}

/** Today's date in WITA (the reporting zone), "2026-12-05". */
export function todayWita(now = new Date()): string {
  return new Date(now.getTime() + REPORTING_ZONE.offsetMinutes * 60_000).toISOString().slice(0, 10);
}
