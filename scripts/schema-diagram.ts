/**
 * Writes the data model as a Mermaid ER diagram, generated from the drizzle schema itself
 * (app/db/schema.ts): every table with its key columns (PK, FK), one table per line, and
 * every foreign key as a line between tables (`|o` when the key column may be null). The
 * other columns are left to app/db/schema.ts, so the picture stays readable.
 *   npx tsx scripts/schema-diagram.ts            prints the diagram
 *   npx tsx scripts/schema-diagram.ts --write    replaces the block between the markers in docs/ARCHITECTURE.md
 * A test (tests/architecture.test.ts) checks that the document's block is up to date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import * as schema from "~/db/schema";

export const DOC = "docs/ARCHITECTURE.md";
export const BEGIN = "<!-- schema-diagram:begin (generated: npx tsx scripts/schema-diagram.ts --write) -->";
export const END = "<!-- schema-diagram:end -->";

/**
 * A Mermaid erDiagram attribute type is one word (letters, digits, _ [ ] ( )):
 * "timestamp with time zone" becomes PostgreSQL's own short name, anything else odd an "_".
 */
export function mermaidType(sqlType: string): string {
  return sqlType
    .replace(/^timestamp(\(\d+\))? with time zone$/, "timestamptz$1")
    .replace(/^timestamp(\(\d+\))? without time zone$/, "timestamp$1")
    .replace(/[^A-Za-z0-9_[\]()]/g, "_");
}

export function schemaDiagram(): string {
  const tables = Object.values(schema as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));
  const configs = tables.map((t) => getTableConfig(t)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines = ["```mermaid", "erDiagram"];
  for (const c of configs) {
    const pk = new Set([
      ...c.columns.filter((col) => col.primary).map((col) => col.name),
      ...c.primaryKeys.flatMap((p) => p.columns.map((col) => col.name)),
    ]);
    const fk = new Set(c.foreignKeys.flatMap((f) => f.reference().columns.map((col) => col.name)));
    const keys = c.columns
      .filter((col) => pk.has(col.name) || fk.has(col.name))
      .map((col) => {
        const marks = [pk.has(col.name) ? "PK" : "", fk.has(col.name) ? "FK" : ""].filter(Boolean).join(",");
        return `${mermaidType(col.getSQLType())} ${col.name} ${marks}`;
      });
    lines.push(keys.length ? `  ${c.name} { ${keys.join(" ")} }` : `  ${c.name}`);
  }
  for (const c of configs)
    for (const f of c.foreignKeys) {
      const ref = f.reference();
      const target = getTableConfig(ref.foreignTable).name;
      const optional = ref.columns.some((col) => !col.notNull);
      const cols = ref.columns.map((col) => col.name).join(", ");
      lines.push(`  ${target} ${optional ? "|o" : "||"}--o{ ${c.name} : "${cols}"`);
    }
  lines.push("```");
  return lines.join("\n");
}

/** The generated block of a document (between the markers), or null without markers. */
export function diagramIn(doc: string): string | null {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) return null;
  return doc.slice(a + BEGIN.length, b).trim();
}

export function withDiagram(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${DOC}: markers ${BEGIN} … ${END} missing`);
  return `${doc.slice(0, a + BEGIN.length)}\n${schemaDiagram()}\n${doc.slice(b)}`;
}

if (process.argv[1]?.endsWith("schema-diagram.ts")) {
  if (process.argv.includes("--write")) {
    writeFileSync(DOC, withDiagram(readFileSync(DOC, "utf8")));
    console.log(`${DOC}: diagram updated`);
  } else console.log(schemaDiagram());
}
