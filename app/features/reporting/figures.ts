/**
 * The dashboard figures: one definition each, used by every level, table, chart and
 * export (implemented in app/features/reporting/reports.server.ts).
 *
 * All figures count kader (role kader) who are ACTIVE, in the region (their desa is the
 * region or inside it), for the chosen programme, optionally of one SPM bidang.
 * - activeKader: active kader.
 * - enrolled: has a current enrolment (status "enrolled") in a non-cancelled session of
 *   the programme's attendance kind (pelatihan).
 * - attended: has attendance with a qualifying status (hadir, terlambat) at a published or
 *   completed session of that kind (as the certification rule counts it).
 * - modulesPassed: every required module completed (read) and its quiz passed.
 * - issued: their current (latest, not revoked) certificate of the programme was issued
 *   (it may have expired since).
 * - certified: holds a certificate of the programme that is not revoked and not expired
 *   (a certificate is valid through its expiry date, WITA).
 * - rate: certified / activeKader (0 when there are no active kader).
 * - expiring60: certified, and the certificate expires within the next 60 days.
 * A period (a year) filters the funnel: enrolled, attended, modulesPassed and issued then
 * count kader whose event (first enrolment, first qualifying attendance, completion of the
 * last module, issue of the certificate) fell in that year (WITA). certified, rate and
 * expiring60 always describe today.
 */
import { formatNumber } from "~/lib/number-format";
import { BULAN } from "~/lib/timezone";
export interface Figures {
  activeKader: number;
  enrolled: number;
  attended: number;
  modulesPassed: number;
  issued: number;
  certified: number;
  expiring60: number;
  rate: number;
}

export const FIGURE_LABEL: Record<keyof Figures, string> = {
  activeKader: "Kader aktif",
  enrolled: "Terdaftar pelatihan",
  attended: "Hadir pelatihan",
  modulesPassed: "Lulus semua modul",
  issued: "Sertifikat terbit",
  certified: "Bersertifikat (berlaku)",
  expiring60: "Kedaluwarsa ≤ 60 hari",
  rate: "Tingkat sertifikasi",
};

export function withRate(f: Omit<Figures, "rate">): Figures {
  return { ...f, rate: f.activeKader ? f.certified / f.activeKader : 0 };
}

export function formatRate(rate: number): string {
  return `${formatNumber(rate * 100, 1, 1)}%`;
}

/** Child regions drawn as SVG paths (app/features/reporting/map.server.ts). */
export interface MapShape {
  width: number;
  height: number;
  areas: { code: string; d: string }[];
}

const MONTHS = BULAN;
const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];

/** "2026-12-01" → "1 Desember 2026" (a calendar date, no time zone involved). */
export function formatDay(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "2026-12" → "Des 2026" */
export function formatMonthShort(ym: string): string {
  const [y, m] = ym.split("-").map(Number);
  return `${MONTHS_SHORT[m - 1]} ${y}`;
}

/** "2026-12" → "Desember 2026" */
export function formatMonth(ym: string): string {
  const [y, m] = ym.split("-").map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

/** A change in percentage points: "+2,5 poin", "−1,0 poin", "0,0 poin". */
export function formatPointChange(delta: number): string {
  const v = Math.round(delta * 1000) / 10;
  const abs = formatNumber(Math.abs(v), 1, 1);
  return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${abs} poin`;
}

/** The funnel's steps in order (one entry per step: a new step is one more line here). */
export const FUNNEL_STEPS: { field: keyof Figures; label: string }[] = [
  { field: "enrolled", label: "Terdaftar" },
  { field: "attended", label: "Hadir" },
  { field: "modulesPassed", label: "Lulus modul" },
  { field: "issued", label: "Sertifikat terbit" },
];
