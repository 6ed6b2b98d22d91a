/**
 * The region scope in SQL, next to the database: every feature filters by it, so it sits
 * below all of them (docs/ARCHITECTURE.md, "Layers").
 */
import { eq, like, or, SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * SQL condition "code is inside scope" (docs/ARCHITECTURE.md, "Where each rule lives":
 * X = S or X LIKE S || '.%'; the code columns have text_pattern_ops indexes). The one
 * spelling of the rule in SQL, as isWithinScope (app/lib/region.ts) is in TypeScript.
 * The scope is a code or, in raw SQL, another column (sql`k.code`).
 */
export function withinScope(column: AnyPgColumn | SQL, scope: string | SQL): SQL {
  if (typeof scope === "string" && !(column instanceof SQL)) return or(eq(column, scope), like(column, `${scope}.%`))!;
  const s = typeof scope === "string" ? sql`${scope}` : scope;
  return sql`(${column} = ${s} or ${column} like ${s} || '.%')`;
}
