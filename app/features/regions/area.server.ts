/** Counts for a pembina's or DPMD's home page: their region and its child regions. */
import { sql } from "drizzle-orm";
import { db } from "~/db.server";
import { rowsOf } from "~/rate-limit.server";

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
      (select count(*)::int from posyandu p where p.active and (p.desa_code = k.code or p.desa_code like k.code || '.%')) as posyandu,
      (select count(*)::int from users u where u.role = 'kader' and u.active and (u.scope_code = k.code or u.scope_code like k.code || '.%')) as kader
    from kids k order by k.code`);
  const children = rowsOf<AreaRow>(result).map((r) => ({ ...r, posyandu: Number(r.posyandu), kader: Number(r.kader) }));
  const totals = rowsOf<{ posyandu: number; kader: number }>(
    await db.execute(sql`select
      (select count(*)::int from posyandu p where p.active and (p.desa_code = ${scope} or p.desa_code like ${scope} || '.%')) as posyandu,
      (select count(*)::int from users u where u.role = 'kader' and u.active and (u.scope_code = ${scope} or u.scope_code like ${scope} || '.%')) as kader`),
  )[0];
  return { children, posyandu: Number(totals.posyandu), kader: Number(totals.kader) };
}
