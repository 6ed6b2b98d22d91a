/** Section anchors of a module: `## Heading` and `### Heading` lines, slugified the same way the page renders them. */

/** "Kerja kader: sebelum, saat, dan sesudah" -> "kerja-kader-sebelum-saat-dan-sesudah". */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

/** Markdown emphasis and code markers removed: the text a reader sees. */
export function plainHeading(markdown: string): string {
  return markdown.replace(/[*_`]/g, "").trim();
}

export interface Heading {
  level: 2 | 3;
  text: string;
  id: string;
}

/** The ## and ### headings of an MDX body, in order. */
export function headingsOf(body: string): Heading[] {
  const out: Heading[] = [];
  for (const m of body.matchAll(/^(#{2,3})\s+(.+?)\s*$/gm)) {
    const text = plainHeading(m[2]);
    out.push({ level: m[1].length as 2 | 3, text, id: slugify(text) });
  }
  return out;
}
