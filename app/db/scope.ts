/**
 * The region scope in SQL, next to the database: every feature filters by it, so it sits
 * below all of them (docs/ARCHITECTURE.md, "Layers").
 */
import { eq, like, or, SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { NATIONAL_CODE } from "~/lib/region";

/**
 * SQL condition "code is inside scope" (docs/ARCHITECTURE.md, "Where each rule lives":
 * X = S or X LIKE S || '.%'; the code columns have text_pattern_ops indexes). The one
 * spelling of the rule in SQL, as isWithinScope (app/lib/region.ts) is in TypeScript.
 * The scope is a code or, in raw SQL, another column (sql`k.code`).
 */
export function withinScope(column: AnyPgColumn | SQL, scope: string | SQL): SQL {
  // Everything is inside the nation (NATIONAL_CODE, app/lib/region.ts).
  if (scope === NATIONAL_CODE) return sql`true`;
  if (typeof scope === "string" && !(column instanceof SQL)) return or(eq(column, scope), like(column, `${scope}.%`))!;
  // A code as scope: the pattern is one parameter ("64.08.%"), so a prefix index can serve it.
  if (typeof scope === "string") return sql`(${column} = ${scope} or ${column} like ${`${scope}.%`})`;
  return sql`(${column} = ${scope} or ${column} like ${scope} || '.%')`;
}
