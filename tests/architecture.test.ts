/**
 * docs/ARCHITECTURE.md stays true: its data-model picture is the one generated from the
 * schema (scripts/schema-diagram.ts), in Mermaid syntax, and every section a comment in the
 * code points to exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { is } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "~/db/schema";
import { FEATURE_ORDER } from "../scripts/check-boundaries";
import { DOC, diagramIn, mermaidType, schemaDiagram } from "../scripts/schema-diagram";

const doc = readFileSync(DOC, "utf8");

describe("docs/ARCHITECTURE.md: layers", () => {
  it("states the feature order the boundary check enforces (FEATURE_ORDER), in the line and in the table", () => {
    const line = doc.split("\n").find((l) => /^`[a-z-]+`(?: → `[a-z-]+`)+$/.test(l));
    expect(line?.replaceAll("`", "").split(" → ")).toEqual([...FEATURE_ORDER]);
    const rows = [...doc.matchAll(/^\| \d+ +\| `([a-z-]+)` +\|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...FEATURE_ORDER]);
  });

  it("names only files that exist", () => {
    const all = [...sources("app"), ...sources("scripts"), ...sources("tests"), ...sources("drizzle")].concat(
      ...sources("content"),
      ...sources("public"),
      ...sources("patches"),
    );
    const names = new Set(all.map((f) => path.basename(f)));
    const named = [...doc.matchAll(/`([\w.$+[\]/-]+\.(?:tsx?|js|sql|ya?ml|patch))`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(50);
    const missing = named.filter((n) =>
      n.includes("/")
        ? !["", "app/", "app/features/", "app/routes/", "drizzle/"].some((dir) => existsSync(dir + n))
        : !names.has(n),
    );
    expect(missing).toEqual([]);
  });
});

describe("docs/ARCHITECTURE.md: the data model", () => {
  it("holds the diagram generated from app/db/schema.ts (npx tsx scripts/schema-diagram.ts --write)", () => {
    expect(diagramIn(doc)).toBe(schemaDiagram());
  });

  it("names every table of the schema once", () => {
    const tables = Object.values(schema as Record<string, unknown>)
      .filter((v): v is PgTable => is(v, PgTable))
      .map((t) => getTableConfig(t).name);
    const block = diagramIn(doc) ?? "";
    const declared = block
      .split("\n")
      .map((l) => /^ {2}([a-z_0-9]+)(?: \{.*\})?$/.exec(l)?.[1])
      .filter(Boolean);
    expect(declared.sort()).toEqual([...tables].sort());
  });

  it("is Mermaid erDiagram syntax: one-word attribute types and names, key marks, relationship lines", () => {
    // Mermaid's erDiagram grammar: an attribute is "type name [PK|FK|UK[,…]]"; type and name are one word.
    const word = "[A-Za-z_][A-Za-z0-9_()[\\]]*";
    const attribute = `${word} ${word}(?: (?:PK|FK|UK)(?:,(?:PK|FK|UK))*)?`;
    const entity = new RegExp(`^ {2}[a-z_][a-z_0-9]*(?: \\{(?: ${attribute})+ \\})?$`);
    const relation = /^ {2}[a-z_][a-z_0-9]* (?:\|\||\|o)--o\{ [a-z_][a-z_0-9]* : "[a-z_0-9, ]+"$/;
    const lines = schemaDiagram().split("\n");
    expect(lines.slice(0, 2)).toEqual(["```mermaid", "erDiagram"]);
    expect(lines.at(-1)).toBe("```");
    const bad = lines.slice(2, -1).filter((l) => !entity.test(l) && !relation.test(l));
    expect(bad).toEqual([]);
  });

  it("writes PostgreSQL types as one word", () => {
    expect(mermaidType("timestamp with time zone")).toBe("timestamptz");
    expect(mermaidType("timestamp(3) with time zone")).toBe("timestamptz(3)");
    expect(mermaidType("text[]")).toBe("text[]");
    expect(mermaidType("numeric(10, 2)")).toBe("numeric(10__2)");
  });
});

/** Source files whose comments may point to the document. */
function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(tsx?|js|mjs|ya?ml|md|sql|patch)$/.test(name)) yield p;
  }
}

describe("docs/ARCHITECTURE.md: the comments point to it", () => {
  const files = ["app", "content", "scripts", "public", "drizzle"].flatMap((d) => [...sources(d)]).concat("server.ts");
  const headings = new Set(
    doc
      .split("\n")
      .filter((l) => /^#{1,4} /.test(l))
      .map((l) => l.replace(/^#+ /, "").trim()),
  );

  it("no comment names the DESIGN.md that is not in the repository", () => {
    const stale = files.filter((f) => readFileSync(f, "utf8").includes("DESIGN.md"));
    expect(stale).toEqual([]);
  });

  it('every section a comment cites (docs/ARCHITECTURE.md, "…") is a heading of the document', () => {
    const cited: string[] = [];
    for (const f of files) {
      // A citation may run over two comment lines: join them first.
      const text = readFileSync(f, "utf8").replace(/\s*\n\s*(?:\*|#|\/\/)?\s*/g, " ");
      for (const m of text.matchAll(/docs\/ARCHITECTURE\.md,? "([^"]+)"/g)) cited.push(`${f}: ${m[1]}`);
    }
    expect(cited.length).toBeGreaterThan(0);
    // A citation names a heading, or its first words ("Layers" for "Layers and the order of the features").
    const isHeading = (title: string) => [...headings].some((h) => h === title || h.startsWith(`${title} `));
    const missing = cited.filter((c) => !isHeading(c.slice(c.indexOf(": ") + 2)));
    expect(missing).toEqual([]);
  });
});
