/**
 * The narasumber of a session (issue 20): person, dinas/organisation and topic. Those who
 * may schedule the session add and remove them (schedulableOr404).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { workshopSpeakers } from "~/db/schema";
import { audit } from "~/audit.server";
import { lockWorkshop } from "./enrolment.server";
import { schedulableOr404 } from "./measure-access.server";

export const MAX_SPEAKERS = 20;

const text = (label: string) =>
  z
    .string({ error: `${label} wajib diisi.` })
    .trim()
    .min(2, `${label} minimal 2 karakter.`)
    .max(120, `${label} terlalu panjang (maksimal 120 karakter).`);

export const speakerSchema = z.object({
  name: text("Nama narasumber"),
  organisation: text("Dinas/organisasi"),
  topic: text("Topik"),
});

export interface Speaker {
  id: number;
  name: string;
  organisation: string;
  topic: string;
}

export async function listSpeakers(workshopId: number): Promise<Speaker[]> {
  return db
    .select({
      id: workshopSpeakers.id,
      name: workshopSpeakers.name,
      organisation: workshopSpeakers.organisation,
      topic: workshopSpeakers.topic,
    })
    .from(workshopSpeakers)
    .where(eq(workshopSpeakers.workshopId, workshopId))
    .orderBy(asc(workshopSpeakers.position), asc(workshopSpeakers.id));
}

export type SpeakerResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * Adds a narasumber. The same person with the same organisation and topic is stored once
 * (a double submit adds nothing), under the session's row lock.
 */
export async function addSpeaker(
  actor: SessionUser,
  workshopId: number,
  input: Record<string, unknown>,
): Promise<SpeakerResult> {
  const w = await schedulableOr404(actor, workshopId);
  const parsed = speakerSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  const v = parsed.data;
  return db.transaction(async (tx) => {
    await lockWorkshop(tx, w.id);
    const existing = await tx
      .select({
        id: workshopSpeakers.id,
        name: workshopSpeakers.name,
        organisation: workshopSpeakers.organisation,
        topic: workshopSpeakers.topic,
      })
      .from(workshopSpeakers)
      .where(eq(workshopSpeakers.workshopId, w.id));
    if (existing.some((s) => s.name === v.name && s.organisation === v.organisation && s.topic === v.topic))
      return { ok: true } as const;
    if (existing.length >= MAX_SPEAKERS)
      return { ok: false, errors: { name: `Paling banyak ${MAX_SPEAKERS} narasumber per kegiatan.` } } as const;
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${workshopSpeakers.position}), -1)::int + 1` })
      .from(workshopSpeakers)
      .where(eq(workshopSpeakers.workshopId, w.id));
    const [row] = await tx
      .insert(workshopSpeakers)
      .values({ workshopId: w.id, ...v, position: Number(next) })
      .returning({ id: workshopSpeakers.id });
    await audit(
      {
        actorId: actor.id,
        action: "session.speaker-add",
        entity: "workshop",
        entityId: w.id,
        regionCode: w.regionCode,
        detail: { speakerId: row.id, ...v },
      },
      tx,
    );
    return { ok: true } as const;
  });
}

/** Removes a narasumber of this session (an unknown id or one of another session changes nothing). */
export async function removeSpeaker(actor: SessionUser, workshopId: number, speakerId: number): Promise<void> {
  const w = await schedulableOr404(actor, workshopId);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(workshopSpeakers)
      .where(and(eq(workshopSpeakers.workshopId, w.id), eq(workshopSpeakers.id, speakerId)))
      .returning({ name: workshopSpeakers.name });
    if (gone.length)
      await audit(
        {
          actorId: actor.id,
          action: "session.speaker-remove",
          entity: "workshop",
          entityId: w.id,
          regionCode: w.regionCode,
          detail: { speakerId, name: gone[0].name },
        },
        tx,
      );
  });
}
