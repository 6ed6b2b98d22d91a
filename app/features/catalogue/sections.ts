/**
 * A module's reading sections, derived from the rendered HTML at render time: every
 * `<h2>` starts a section, so progress works for any module without extra frontmatter.
 * Text before the first heading is the introduction and is not counted.
 */

export interface ModuleSection {
  /** Stable anchor from the heading text, e.g. "bagian-studi-kasus". */
  id: string;
  title: string;
  /** HTML of the section, its heading included (with the id set). */
  html: string;
}

export interface SplitModule {
  intro: string;
  sections: ModuleSection[];
}

const H2 = /<h2(\s[^>]*)?>([\s\S]*?)<\/h2>/g;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " };

export function headingText(inner: string): string {
  return inner
    .replace(/<[^>]+>/g, "")
    .replace(/&(#?[a-z0-9]+);/gi, (m, e: string) => ENTITIES[e.toLowerCase()] ?? m)
    .replace(/\s+/g, " ")
    .trim();
}

export function sectionId(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `bagian-${base || "x"}`;
}

export function splitSections(html: string): SplitModule {
  // Only headings of the module's own flow start a section: an <h2> inside a box (the
  // Sumber aside) stays with the section that holds the box.
  const inBox = (at: number) => {
    const before = html.slice(0, at);
    return (before.match(/<aside\b/g)?.length ?? 0) > (before.match(/<\/aside>/g)?.length ?? 0);
  };
  const matches = [...html.matchAll(H2)].filter((m) => !inBox(m.index!));
  if (!matches.length) return { intro: html, sections: [] };
  const seen = new Map<string, number>();
  const sections: ModuleSection[] = [];
  matches.forEach((m, i) => {
    const start = m.index!;
    const end = i + 1 < matches.length ? matches[i + 1].index! : html.length;
    const title = headingText(m[2]);
    // A heading that already has an anchor (content headings do: quiz reviews link to it) keeps it.
    const own = /\sid="([^"]+)"/.exec(m[1] ?? "")?.[1];
    let id = own ?? sectionId(title);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (n > 1) id = `${id}-${n}`;
    const attrs = (m[1] ?? "").replace(/\sid="[^"]*"/, "");
    const heading = `<h2 id="${id}"${attrs}>${m[2]}</h2>`;
    sections.push({ id, title, html: heading + html.slice(start + m[0].length, end) });
  });
  return { intro: html.slice(0, matches[0].index!), sections };
}

/** How many sections are read when `lastSection` is the furthest one finished (0 when unknown, e.g. after an edit removed it). */
export function sectionsRead(sections: Pick<ModuleSection, "id">[], lastSection: string | null | undefined): number {
  if (!lastSection) return 0;
  return sections.findIndex((s) => s.id === lastSection) + 1;
}

/** Where to resume: the section after the furthest one finished, or the first. */
export function resumeSection(
  sections: Pick<ModuleSection, "id">[],
  lastSection: string | null | undefined,
): string | null {
  const read = sectionsRead(sections, lastSection);
  return sections[Math.min(read, sections.length - 1)]?.id ?? null;
}
