import { z } from "zod";

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

export const INVALID_PHONE = "Nomor HP tidak valid. Contoh: 0812 3456 7890.";

/** A form field holding a phone number, normalised to 628…; Indonesian messages. */
export function phoneField(requiredMessage: string) {
  return z
    .string({ error: requiredMessage })
    .trim()
    .min(1, requiredMessage)
    .max(30, INVALID_PHONE)
    .transform((v, ctx) => {
      const p = normalizePhone(v);
      if (!p) {
        ctx.addIssue({ code: "custom", message: INVALID_PHONE });
        return z.NEVER;
      }
      return p;
    });
}
