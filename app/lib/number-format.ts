/**
 * Numbers written the Indonesian way ("1.234", "15,2"), through Intl.NumberFormat objects made
 * once per pattern: `toLocaleString("id-ID", …)` builds a new formatter on every call, and on
 * the dashboard (thousands of numbers per view) that was 14% of the server's CPU
 * (bench:dashboard-http profile).
 */
const formats = new Map<string, Intl.NumberFormat>();

/** `v` in id-ID with between `min` and `max` fraction digits (default: as toLocaleString). */
export function formatNumber(v: number, min?: number, max?: number): string {
  const key = `${min ?? ""}|${max ?? ""}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat("id-ID", { minimumFractionDigits: min, maximumFractionDigits: max });
    formats.set(key, f);
  }
  return f.format(v);
}
