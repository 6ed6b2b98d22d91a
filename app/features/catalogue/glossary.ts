/**
 * Glossary links in module HTML: the first use of each term in a module becomes
 * <a href="/istilah#id"><abbr title="gloss">term</abbr></a>, the gloss a short form of the
 * meaning (`glossOf`); the whole meaning is one tap away on /istilah. Works on the static HTML
 * of a module (rendered once per version), never inside headings, links, <abbr>, <dfn>
 * (the term being defined), figures (SVG text and captions) or the Sumber box.
 */
import type { GlossaryTerm } from "~/features/catalogue/content-schema";

const SKIP = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "dfn", "svg", "figure", "script", "style"]);

/** An element whose text is never linked: the tags above, and the Sumber box (<aside class="sumber">). */
function skips(name: string, tag: string): boolean {
  return SKIP.has(name) || (name === "aside" && /\bclass="[^"]*\bsumber\b/.test(tag));
}

interface Matcher {
  term: GlossaryTerm;
  /** All-caps spellings match exactly; the others ignore case. */
  res: RegExp[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * What `<abbr title>` says: the expansion before the meaning's colon ("Komunikasi, Informasi
 * dan Edukasi: cara kader…" → "Komunikasi, Informasi dan Edukasi"), or else the meaning's first
 * sentence. The title is read out by screen readers and shown on hover (a phone shows nothing),
 * and every module page carried each term's whole meaning in it: ~0.3 KB after compression on
 * a module page, for text that /istilah holds.
 */
export function glossOf(meaning: string): string {
  const colon = meaning.indexOf(": ");
  const head = colon > 0 ? meaning.slice(0, colon) : "";
  if (head.includes(" ")) return head;
  const rest = colon > 0 ? meaning.slice(colon + 2) : meaning;
  const stop = rest.search(/\.\s/);
  return stop > 0 ? rest.slice(0, stop + 1) : rest;
}

/** Regexes per term over its spellings (longest first), bounded by non-letters. */
export function matchersFor(terms: GlossaryTerm[]): Matcher[] {
  const re = (forms: string[], flags: string) =>
    new RegExp(
      `(?<![\\p{L}\\p{N}])(${[...forms]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join("|")})(?![\\p{L}\\p{N}])`,
      flags,
    );
  return terms.map((term) => {
    const forms = term.match ?? [term.term];
    const exact = forms.filter((f) => f === f.toUpperCase());
    const loose = forms.filter((f) => f !== f.toUpperCase());
    return { term, res: [...(exact.length ? [re(exact, "u")] : []), ...(loose.length ? [re(loose, "iu")] : [])] };
  });
}

/** Wraps the first use of each term (in document order) in a link to the glossary. */
export function linkGlossaryTerms(
  html: string,
  terms: GlossaryTerm[],
  href: (id: string) => string = (id) => `/istilah#${id}`,
): string {
  const pending = matchersFor(terms);
  const parts = html.split(/(<[^>]+>)/);
  let skipDepth = 0;
  const stack: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) continue;
    if (part.startsWith("<")) {
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)/.exec(part);
      if (!m) continue;
      const name = m[2].toLowerCase();
      if (m[1] ? !(stack.length && stack[stack.length - 1] === name) : !skips(name, part)) continue;
      if (m[1]) {
        if (stack.length && stack[stack.length - 1] === name) {
          stack.pop();
          skipDepth--;
        }
      } else if (!part.endsWith("/>")) {
        stack.push(name);
        skipDepth++;
      }
      continue;
    }
    if (skipDepth > 0 || !pending.length) continue;
    parts[i] = linkText(part, pending, href);
  }
  return parts.join("");
}

function linkText(text: string, pending: Matcher[], href: (id: string) => string): string {
  let out = "";
  let rest = text;
  for (;;) {
    let best: { index: number; length: number; k: number } | null = null;
    for (let k = 0; k < pending.length; k++) {
      for (const re of pending[k].res) {
        const m = re.exec(rest);
        if (m && (!best || m.index < best.index || (m.index === best.index && m[1].length > best.length)))
          best = { index: m.index, length: m[1].length, k };
      }
    }
    if (!best) return out + rest;
    const { term } = pending[best.k];
    const end = best.index + best.length;
    out +=
      rest.slice(0, best.index) +
      `<a href="${href(term.id)}" class="istilah"><abbr title="${escapeAttr(glossOf(term.meaning))}">${rest.slice(best.index, end)}</abbr></a>`;
    rest = rest.slice(end);
    pending.splice(best.k, 1);
  }
}
