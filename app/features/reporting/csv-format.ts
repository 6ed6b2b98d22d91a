/**
 * The one convention of the dashboard CSV exports (/dasbor/:region.csv,
 * /analisis-soal/:slug.csv), chosen for the people who open them: DPMD and Tim Pembina
 * double-click the file into Excel set to Indonesian (id-ID), where the comma is the decimal
 * mark and ";" the list separator. A file written the international way ("," and "15.18")
 * opens there as one column per line, or with 15.18 read as a date or as 1518. So:
 * - separator ";" (what Excel id-ID splits on; LibreOffice asks and accepts it),
 * - decimal comma ("15,18"), no thousands separator (a number stays one token),
 * - dates DD/MM/YYYY (how Excel id-ID shows and reads a date), months MM/YYYY,
 * - a UTF-8 BOM (without it Excel reads the names as Windows-1252),
 * - RFC 4180 quoting and formula neutralising (' before = + - @ tab CR) as before.
 * A program still reads it: any CSV reader with delimiter ";" and a comma decimal. For
 * figures to compute with, the XLSX export keeps numeric cells (same table, real numbers).
 */
import type { Options } from "csv-stringify";

/** 15.18 → "15,18"; integers unchanged. */
export function csvNumber(n: number): string {
  return String(n).replace(".", ",");
}

/** "2026-12-01" → "01/12/2026"; "2026-12" → "12/2026"; anything else unchanged. */
export function csvDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  if (!m) return iso;
  return m[3] ? `${m[3]}/${m[2]}/${m[1]}` : `${m[2]}/${m[1]}`;
}

/** csv-stringify options of every dashboard CSV. */
export const DASHBOARD_CSV: Options = {
  bom: true,
  delimiter: ";",
  escape_formulas: true,
  cast: { number: (n) => csvNumber(n) },
};
