/**
 * One key per create form (README, "Security and reliability"): the page puts a fresh random
 * `formKey` in a hidden field; the create function claims it in the same transaction as the
 * row it creates. A retry of a submit whose answer was lost (a 503 during a restart, a
 * dropped connection on a weak signal) finds the first try's row instead of creating a
 * second one. A concurrent duplicate waits on the key's unique index until the first commits.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "~/db.server";
import { formSubmissions } from "~/db/schema";

export const FORM_KEY_RE = /^[a-f0-9]{32}$/;

/** A fresh key for a form the page renders. */
export function newFormKey(): string {
  return randomBytes(16).toString("hex");
}

/** The form field: optional (a form without it simply gets no retry protection), never malformed. */
export const formKeyField = z
  .string()
  .regex(FORM_KEY_RE, "Formulir tidak valid. Muat ulang halaman lalu coba lagi.")
  .optional()
  .or(z.literal("").transform(() => undefined));

export type KeyedCreate<T extends string | number> =
  | { ok: true; id: T; repeated: boolean }
  | { ok: false; reason: "create-failed" | "other-form" };

/**
 * Runs `create` once per key inside `tx`. A repeated key answers the id its first (committed)
 * run created; a key used by another person or for another kind of form is refused.
 * `create` returning null (e.g. a unique conflict reported to the user) releases the key.
 */
export async function createOnce<T extends string | number>(
  tx: Tx,
  key: string | undefined,
  owner: { actorId: string; entity: string; decode: (stored: string) => T },
  create: () => Promise<T | null>,
): Promise<KeyedCreate<T>> {
  if (!key) {
    const id = await create();
    return id === null ? { ok: false, reason: "create-failed" } : { ok: true, id, repeated: false };
  }
  const claimed = await tx
    .insert(formSubmissions)
    .values({ key, actorId: owner.actorId, entity: owner.entity })
    .onConflictDoNothing()
    .returning({ key: formSubmissions.key });
  if (!claimed.length) {
    const [prev] = await tx.select().from(formSubmissions).where(eq(formSubmissions.key, key));
    if (!prev || prev.actorId !== owner.actorId || prev.entity !== owner.entity || prev.entityId === null)
      return { ok: false, reason: "other-form" };
    return { ok: true, id: owner.decode(prev.entityId), repeated: true };
  }
  const id = await create();
  if (id === null) {
    await tx
      .delete(formSubmissions)
      .where(and(eq(formSubmissions.key, key), eq(formSubmissions.actorId, owner.actorId)));
    return { ok: false, reason: "create-failed" };
  }
  await tx
    .update(formSubmissions)
    .set({ entityId: String(id) })
    .where(eq(formSubmissions.key, key));
  return { ok: true, id, repeated: false };
}
