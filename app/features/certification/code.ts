/**
 * Certificate codes: AP-XXXX-XXXX. Seven random characters and one check character
 * from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L). The check character
 * makes Σ (i+1)·value(cᵢ) ≡ 0 (mod 31) over the eight characters: 31 is prime and the
 * weights 1..8 are distinct, so every single mistyped character and every swap of two
 * neighbouring characters is caught before the database is asked.
 * 31⁷ ≈ 2.7·10¹⁰ possible codes: not guessable through a rate-limited page.
 */

export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const BASE = CODE_ALPHABET.length; // 31, prime
/** Inverse of the check weight 8 modulo 31 (8·4 = 32 ≡ 1). */
const INV_CHECK_WEIGHT = 4;

export const CODE_RE = /^AP-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;

function symbolValue(ch: string): number {
  return CODE_ALPHABET.indexOf(ch);
}

function checkChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * symbolValue(body[i]);
  const v = (((-sum * INV_CHECK_WEIGHT) % BASE) + BASE) % BASE;
  return CODE_ALPHABET[v];
}

/** Eight characters (no prefix, no dashes) pass the check? */
function checksumOk(chars: string): boolean {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) {
    const v = symbolValue(chars[i]);
    if (v < 0) return false;
    sum += (i + 1) * v;
  }
  return sum % BASE === 0;
}

/** A new code from a source of random bytes (node:crypto randomBytes, or getRandomValues). */
export function generateCertificateCode(randomBytes: (n: number) => Uint8Array): string {
  let body = "";
  while (body.length < 7) {
    // Rejection sampling: 248 = 8·31, so every letter is equally likely.
    for (const b of randomBytes(16)) {
      if (b < 248 && body.length < 7) body += CODE_ALPHABET[b % BASE];
    }
  }
  const all = body + checkChar(body);
  return `AP-${all.slice(0, 4)}-${all.slice(4)}`;
}

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: "format" | "check" };

/**
 * Reads a typed or scanned code: any case, spaces, dots or missing dashes, with or
 * without the "AP" prefix. `check` = well formed but the check character does not
 * match (a typo).
 */
export function parseCertificateCode(input: string | null | undefined): ParsedCode {
  if (!input) return { ok: false, reason: "format" };
  let s = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-–—._/]+/g, "");
  if (s.length === 10 && s.startsWith("AP")) s = s.slice(2);
  if (s.length !== 8 || ![...s].every((c) => CODE_ALPHABET.includes(c))) return { ok: false, reason: "format" };
  if (!checksumOk(s)) return { ok: false, reason: "check" };
  return { ok: true, code: `AP-${s.slice(0, 4)}-${s.slice(4)}` };
}

export function isCanonicalCode(code: string): boolean {
  return CODE_RE.test(code) && checksumOk(code.slice(3, 7) + code.slice(8));
}
