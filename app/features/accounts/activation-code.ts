/**
 * Activation codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
 * shown as ABCD-EFGH. 31 symbols × 8 ≈ 40 bits; guessing is stopped by the rate limits
 * and the 30-day expiry.
 */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;

/**
 * Maps random bytes to code characters (rejection sampling, so every character is equally
 * likely). Null when the bytes ran out first (pass more).
 */
export function codeFromBytes(bytes: Uint8Array): string | null {
  const n = CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = "";
  for (const b of bytes) {
    if (b >= limit) continue;
    out += CODE_ALPHABET[b % n];
    if (out.length === CODE_LENGTH) return out;
  }
  return null;
}

/** What a person typed → the canonical code, or null. Spaces, dashes and case do not matter. */
export function normalizeCode(input: string): string | null {
  const v = input.toUpperCase().replace(/[\s\-.]/g, "");
  if (v.length !== CODE_LENGTH) return null;
  for (const ch of v) if (!CODE_ALPHABET.includes(ch)) return null;
  return v;
}

export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
