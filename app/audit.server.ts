import { db, type Tx } from "~/db.server";
import { auditLog } from "~/db/schema";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  regionCode?: string | null;
  detail?: Record<string, unknown>;
}

/** Records a change; pass the transaction so the entry commits with the change. */
export async function audit(entry: AuditEntry, tx: Tx | typeof db = db): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === null ? null : String(entry.entityId),
    regionCode: entry.regionCode ?? null,
    detail: entry.detail ?? null,
  });
}
