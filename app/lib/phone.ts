/**
 * Indonesian mobile numbers: 08…, +628…, 628… (spaces, dashes, dots allowed) are one
 * number. Stored canonically as 628…; shown as 08….
 */
export function normalizePhone(input: string): string | null {
  const cleaned = input.trim().replace(/[\s.\-()]/g, "");
  let digits: string;
  if (cleaned.startsWith("+62")) digits = "62" + cleaned.slice(3);
  else if (cleaned.startsWith("62")) digits = cleaned;
  else if (cleaned.startsWith("0")) digits = "62" + cleaned.slice(1);
  else if (cleaned.startsWith("8")) digits = "62" + cleaned;
  else return null;
  // 62 + 8 + 8..11 more digits (08xx numbers are 10 to 13 digits long)
  return /^628\d{8,11}$/.test(digits) ? digits : null;
}

export function formatPhone(canonical: string): string {
  return canonical.startsWith("62") ? "0" + canonical.slice(2) : canonical;
}
