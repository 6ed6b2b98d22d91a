/**
 * "Kebutuhan pelatihan" (issue 20), the pure part: which module sections the kader of an
 * area miss most (quiz items and pre/post test items), ranked; the sections a pembina ticks;
 * the title, date and WhatsApp text of the session made from them. No database here.
 */
import { MIN_RESPONSES } from "~/features/reporting/item-analysis";

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The sums of one module section over the period (quiz attempts and session tests together). */
export interface NeedSums {
  slug: string;
  section: string;
  /** Answers behind the figure. */
  n: number;
  /** Answers wrong (ok = 0). */
  missed: number;
  /** Distinct kader with at least one wrong answer in this section. */
  kaderMissed: number;
}

export interface NeedRow extends NeedSums {
  moduleTitle: string;
  sectionTitle: string;
  /** Share answered wrong; null below MIN_RESPONSES ("data belum cukup"). */
  missRate: number | null;
}

/** Miss rates where the count allows one; most missed first, the rows without enough data last. */
export function rankNeeds(
  sums: NeedSums[],
  titles: (slug: string, section: string) => { moduleTitle: string; sectionTitle: string },
  min = MIN_RESPONSES,
): NeedRow[] {
  return sums
    .map((s) => ({ ...s, ...titles(s.slug, s.section), missRate: s.n >= min && s.n > 0 ? s.missed / s.n : null }))
    .sort(
      (a, b) =>
        (b.missRate ?? -1) - (a.missRate ?? -1) ||
        b.n - a.n ||
        a.slug.localeCompare(b.slug) ||
        a.section.localeCompare(b.section),
    );
}

/** The figure of a row as the page shows it: "35% salah" or "data belum cukup (12 jawaban)". */
export function needFigure(r: Pick<NeedRow, "n" | "missRate">): string {
  return r.missRate === null
    ? `data belum cukup (${r.n} jawaban)`
    : `${Math.round(r.missRate * 100)}% salah dari ${r.n} jawaban`;
}

/** A ticked section in the form: "slug#section". */
export function sectionKey(slug: string, section: string): string {
  return `${slug}#${section}`;
}

const KEY_RE = /^([a-z0-9-]{1,80})#([a-z0-9-]{1,80})$/;

export function parseSectionKey(key: string): { slug: string; section: string } | null {
  const m = KEY_RE.exec(key);
  return m ? { slug: m[1], section: m[2] } : null;
}

/** The modules of the ticked sections, each once, in the order first ticked. */
export function modulesOf(keys: { slug: string }[]): string[] {
  return [...new Set(keys.map((k) => k.slug))];
}

/** "Pelatihan penguatan: A, B" within the session form's 150 characters. */
export function trainingTitle(moduleTitles: string[], max = 150): string {
  const full = `Pelatihan penguatan: ${moduleTitles.join(", ")}`;
  return full.length <= max ? full : `${full.slice(0, max - 1).trimEnd()}…`;
}

/** The session's description: the sections it strengthens (within the form's 2000 characters). */
export function trainingDescription(sections: { moduleTitle: string; sectionTitle: string }[], max = 2000): string {
  const text = `Penguatan bagian modul yang paling sering salah dijawab kader: ${sections
    .map((s) => `${s.sectionTitle} (${s.moduleTitle})`)
    .join("; ")}.`;
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Start and end (datetime-local values, the area's wall clock) a week after `today` ("YYYY-MM-DD"): 09.00–12.00. */
export function defaultSchedule(today: string): { startsAt: string; endsAt: string } {
  const [y, m, d] = today.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d + 7)).toISOString().slice(0, 10);
  return { startsAt: `${day}T09:00`, endsAt: `${day}T12:00` };
}

/** The WhatsApp message to one kader naming the modules to review. */
export function needsReminder(name: string, moduleTitles: string[], url: string): string {
  return [
    `Halo ${name},`,
    `hasil kuis menunjukkan beberapa bagian modul perlu dipelajari lagi: *${moduleTitles.join(", ")}*.`,
    "Mohon baca ulang bagian tersebut dan kerjakan kuisnya kembali. Tim Pembina akan mengabari jadwal pelatihannya.",
    `Buka modul: ${url}`,
    "Terima kasih.",
  ].join("\n");
}

/** "2025-01" minus n months. */
export function monthsBack(ym: string, n: number): string {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
