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
  return `${(rate * 100).toLocaleString("id-ID", { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;
}
