/** Reading the audit log within a scope. */
import { desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "~/db.server";
import { auditLog, posyandu, users } from "~/db/schema";
import { withinScope } from "~/db/scope";

export async function listAudit(scope: string, opts: { limit: number; offset: number }) {
  const actor = alias(users, "actor");
  const target = alias(users, "target");
  const where = withinScope(auditLog.regionCode, scope);
  const items = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      actorName: actor.name,
      detail: auditLog.detail,
      entityName: sql<string | null>`coalesce(${target.name}, ${posyandu.name})`,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .leftJoin(target, sql`${auditLog.entity} = 'user' and ${target.id} = ${auditLog.entityId}`)
    .leftJoin(posyandu, sql`${auditLog.entity} = 'posyandu' and ${posyandu.id}::text = ${auditLog.entityId}`)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(opts.limit)
    .offset(opts.offset);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where);
  return { items, total };
}
