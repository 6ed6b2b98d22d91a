/**
 * Stylesheets by area (issue 23, page weights): kader.css and dasbor.css are built by Tailwind
 * only from their @source lists, so a class used by a file their pages render but missing
 * from the list would silently have no style. Every file a kader or dashboard route imports
 * (transitively, from root.tsx too) that writes class names must be one of its sources.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DASBOR_ROUTES, KADER_ROUTES, MODUL_ROUTES, styleArea } from "~/styles/areas";

const APP = path.resolve("app");
const STYLES = path.join(APP, "styles");

/** A stylesheet with the sheets of app/styles it imports written in (kader-lain.css imports kader.css). */
function sheetText(file: string): string {
  return readFileSync(path.join(STYLES, file), "utf8").replace(/^@import "\.\/([\w-]+\.css)";$/gm, (_, f) =>
    sheetText(f),
  );
}

/** The @source entries of a stylesheet (and of the sheets it imports) as absolute paths (a `*` in a name is a wildcard). */
function sourcesOf(file: string): string[] {
  return [...sheetText(file).matchAll(/^@source "([^"]+)";/gm)].map((m) => path.resolve(STYLES, m[1]));
}

function covered(file: string, sources: string[]): boolean {
  return sources.some((s) => {
    if (s.includes("*")) {
      const re = new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
      return re.test(file);
    }
    if (file === s) return true;
    return existsSync(s) && statSync(s).isDirectory() && file.startsWith(s + path.sep);
  });
}

function resolveImport(from: string, spec: string): string | null {
  const bare = spec.replace(/\?.*$/, "");
  let base: string;
  if (bare.startsWith("~/")) base = path.join(APP, bare.slice(2));
  else if (bare.startsWith(".")) base = path.resolve(path.dirname(from), bare);
  else return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")])
    if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Every app file reachable by imports from `entries`. */
function closure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!/\.(tsx?|jsx?)$/.test(f)) continue;
    const src = readFileSync(f, "utf8");
    for (const m of src.matchAll(/(?:from\s+|import\s*\(?\s*)"([^"]+)"/g)) {
      const r = resolveImport(f, m[1]);
      if (r) stack.push(r);
    }
  }
  return seen;
}

const writesClasses = (f: string) =>
  /\.(tsx|jsx?)$/.test(f) || (/\.ts$/.test(f) && !f.endsWith(".server.ts"))
    ? /className|class=|classList/.test(readFileSync(f, "utf8"))
    : false;

const routeFile = (r: string) => path.join(APP, "routes", `${r}.tsx`);

describe.each([
  // kader.css: what a module page renders; kader-lain.css (kader.css with more sources): every kader page.
  { area: "modul", css: "kader.css", routes: MODUL_ROUTES as readonly string[] },
  { area: "kader", css: "kader-lain.css", routes: KADER_ROUTES as readonly string[] },
  { area: "dasbor", css: "dasbor.css", routes: DASBOR_ROUTES as readonly string[] },
])("$css", ({ css, routes }) => {
  it("has a source for every file its routes render that writes class names", () => {
    for (const r of routes) expect(existsSync(routeFile(r)), `app/routes/${r}.tsx`).toBe(true);
    const sources = sourcesOf(css);
    const files = [...closure([path.join(APP, "root.tsx"), ...routes.map(routeFile)])].filter(writesClasses);
    expect(files.length).toBeGreaterThan(routes.length);
    const missing = files.filter((f) => !covered(f, sources)).map((f) => path.relative(APP, f));
    expect(missing, `add to app/styles/${css}: @source "../<file>"`).toEqual([]);
  });

  it("is built from its sources only (no automatic scan of the whole project)", () => {
    expect(sheetText(css)).toMatch(/@import "tailwindcss\/utilities\.css" layer\(utilities\) source\(none\);/);
  });

  it("takes the lean Preflight, and its pages render none of the elements that leaves out", () => {
    const sheet = sheetText(css);
    expect(sheet).toContain('@import "./preflight-lean.css" layer(base);');
    expect(sheet).not.toMatch(/tailwindcss\/preflight|@import "tailwindcss"[ ;]/);
    const files = [...closure([path.join(APP, "root.tsx"), ...routes.map(routeFile)])].filter((f) =>
      /\.(tsx|jsx?)$/.test(f),
    );
    for (const f of files) {
      const src = readFileSync(f, "utf8");
      expect(src.match(LEFT_OUT_ELEMENT), path.relative(APP, f)).toBeNull();
      expect(src.match(LEFT_OUT_INPUT), path.relative(APP, f)).toBeNull();
    }
  });
});

/** What app/styles/preflight-lean.css has no rules for. */
const LEFT_OUT_ELEMENT = /<(sub|sup|kbd|samp|pre|optgroup|menu|hr|iframe|video|audio|canvas|embed|object)\b/;
const LEFT_OUT_INPUT = /type[=:]\s*["'](date|time|datetime-local|month|week|number|search)["']/;

describe("module text (kader pages)", () => {
  it("renders none of the elements the lean Preflight leaves out", async () => {
    const { content } = await import("~/features/catalogue/content.server");
    const { moduleHtml } = await import("~/features/catalogue/mdx.server");
    const modules = content().modules;
    expect(modules.length).toBeGreaterThanOrEqual(12);
    for (const m of modules) {
      const html = await moduleHtml(m);
      expect(html.match(LEFT_OUT_ELEMENT), m.slug).toBeNull();
    }
  });
});

describe("styleArea", () => {
  it("gives a module page kader.css, other kader pages kader.css and kader-lain.css, dashboards dasbor.css, other staff pages staff.css", () => {
    expect(styleArea(["root", "routes/modul.$slug._index"])).toBe("modul");
    expect(styleArea(["root", "routes/modul._index"])).toBe("kader");
    expect(styleArea(["root", "routes/modul.$slug.kuis.$attemptId"])).toBe("kader");
    expect(styleArea(["root", "routes/_index"])).toBe("kader");
    expect(styleArea(["root", "routes/masuk"])).toBe("kader");
    expect(styleArea(["root"])).toBe("kader"); // a 404 outside every route
    expect(styleArea(["root", "routes/dasbor.$region._index"])).toBe("dasbor");
    expect(styleArea(["root", "routes/admin.audit"])).toBe("staff");
    expect(styleArea(["root", "routes/sesi.$id.absensi"])).toBe("staff");
  });

  it("staff.css scans the whole app, so every staff page has its utilities", () => {
    expect(sourcesOf("staff.css")).toEqual([APP]);
  });
});
