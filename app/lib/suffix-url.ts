/**
 * URLs whose last segment is a param with a file suffix (/sesi/12.ics, /dasbor/64.08.csv).
 * A route param cannot carry a suffix, so the server rewrites them, by this one table,
 * to a route with the suffix as a segment of its own (/sesi/12/ics, /dasbor/64.08/csv).
 * The query string is kept. Routes whose suffix is static use an escaped file name
 * instead (sesi.$id.absensi[.csv].ts): no rewrite is needed there.
 */
const REWRITES: { pattern: RegExp; suffixes: readonly string[] }[] = [
  { pattern: /^\/(sesi\/\d{1,9})\.([a-z]+)$/, suffixes: ["ics"] },
  { pattern: /^\/(dasbor\/[\d.]{2,13})\.([a-z]+)$/, suffixes: ["csv", "xlsx"] },
  { pattern: /^\/(analisis-soal\/[a-z0-9-]{1,80})\.([a-z]+)$/, suffixes: ["csv"] },
  { pattern: /^\/(sertifikat\/AP-[A-Z0-9]{4}-[A-Z0-9]{4})\.([a-z]+)$/, suffixes: ["pdf", "jwt"] },
  // The personal calendar feed: /kalender/<userId>.<signature>.ics
  { pattern: /^\/(kalender\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.([a-z]+)$/, suffixes: ["ics"] },
];

/** The rewritten URL, or null when the URL is not one of the suffix URLs. */
export function rewriteSuffixUrl(url: string): string | null {
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  for (const { pattern, suffixes } of REWRITES) {
    const m = pattern.exec(pathname);
    if (m && suffixes.includes(m[2])) return `/${m[1]}/${m[2]}${q < 0 ? "" : url.slice(q)}`;
  }
  return null;
}

/**
 * Whether a path may name a public file (favicon.svg, sw.js): only those reach the disk. A
 * region code's last part (/dasbor/64.02.14) is no file extension: it starts with a digit.
 */
export function isPublicFilePath(path: string): boolean {
  return /\.[a-z][a-z0-9]*$/i.test(path);
}
