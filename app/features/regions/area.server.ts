/** Counts for a pembina's or DPMD's home page: their region and its child regions. */
import { sql } from "drizzle-orm";
import { db, rowsOf, sqlRows } from "~/db.server";
import { withinScope } from "~/db/scope";

export interface AreaRow {
  code: string;
  name: string;
  level: string;
  posyandu: number;
  kader: number;
}

/** Posyandu and active kader in each child region of `scope` (and the totals). */
export async function areaSummary(scope: string): Promise<{ children: AreaRow[]; posyandu: number; kader: number }> {
  const result = await db.execute(sql`
    with kids as (select code, name, level from regions where parent_code = ${scope})
    select k.code, k.name, k.level,
      (select count(*)::int from posyandu p where p.active and ${withinScope(sql`p.desa_code`, sql`k.code`)}) as posyandu,
      (select count(*)::int from users u where u.role = 'kader' and u.active and ${withinScope(sql`u.scope_code`, sql`k.code`)}) as kader
    from kids k order by k.code`);
  const children = rowsOf<AreaRow>(result).map((r) => ({ ...r, posyandu: Number(r.posyandu), kader: Number(r.kader) }));
  const totals = (
    await sqlRows<{ posyandu: number; kader: number }>(sql`select
      (select count(*)::int from posyandu p where p.active and ${withinScope(sql`p.desa_code`, scope)}) as posyandu,
      (select count(*)::int from users u where u.role = 'kader' and u.active and ${withinScope(sql`u.scope_code`, scope)}) as kader`)
  )[0];
  return { children, posyandu: Number(totals.posyandu), kader: Number(totals.kader) };
}
