/**
 * Workshops (sosialisasi, pelatihan, pendampingan): who may see and schedule which session,
 * listing, scheduling and status changes. Enrolment, attendance and check-in live beside this file.
 */
import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import { audit } from "~/audit.server";
import { createOnce } from "~/form-key.server";
import type { SessionUser } from "~/auth.server";
import { content } from "~/features/catalogue/content.server";
import { db, type Tx, rowsOf } from "~/db.server";
import { regions, workshops, type WorkshopStatus } from "~/db/schema";
import { forbidden, notFound } from "~/lib/http";
import { parseIntId } from "~/lib/query";
import { isWithinScope } from "~/lib/region";
import { kaderInputsChanged } from "~/features/certification/evaluate.server";
import { countEnrolled, lockWorkshop, promoteWaitlist } from "~/features/workshops/enrolment.server";
import { requireSchedulable, visibleWhere, type Workshop } from "~/features/workshops/access.server";
export type { Workshop };
import { ALLOWED_TRANSITIONS, SCHEDULER_ROLES, STATUS_LABEL, type WorkshopForm } from "~/features/workshops/rules";

/**
 * Everyone in a session after it changed (same transaction): a session completed may make
 * its attendance count towards a certificate, and the dashboard inputs stay exact.
 */
async function refreshParticipants(tx: Tx, workshopId: number): Promise<void> {
  const rows = rowsOf<{ user_id: string }>(
    await tx.execute(
      sql`select user_id from enrolments where workshop_id = ${workshopId} union select user_id from attendance where workshop_id = ${workshopId}`,
    ),
  );
  await kaderInputsChanged(
    tx,
    rows.map((r) => r.user_id),
  );
}

// ---------------------------------------------------------------- listing

export interface WorkshopListItem {
  id: number;
  title: string;
  kind: Workshop["kind"];
  audience: Workshop["audience"];
  regionCode: string;
  regionName: string;
  venue: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  status: WorkshopStatus;
  enrolled: number;
  waitlisted: number;
  myEnrolment: "enrolled" | "waitlisted" | "cancelled" | null;
}

export async function listWorkshops(
  user: SessionUser,
  opts: { from?: Date; to?: Date; past?: boolean; limit?: number; offset?: number },
): Promise<WorkshopListItem[]> {
  const now = new Date();
  const rows = await db
    .select({
      id: workshops.id,
      title: workshops.title,
      kind: workshops.kind,
      audience: workshops.audience,
      regionCode: workshops.regionCode,
      regionName: regions.name,
      venue: workshops.venue,
      startsAt: workshops.startsAt,
      endsAt: workshops.endsAt,
      capacity: workshops.capacity,
      status: workshops.status,
      enrolled: sql<number>`(select count(*)::int from enrolments e where e.workshop_id = ${workshops.id} and e.status = 'enrolled')`,
      waitlisted: sql<number>`(select count(*)::int from enrolments e where e.workshop_id = ${workshops.id} and e.status = 'waitlisted')`,
      myEnrolment: sql<
        WorkshopListItem["myEnrolment"]
      >`(select e.status from enrolments e where e.workshop_id = ${workshops.id} and e.user_id = ${user.id})`,
    })
    .from(workshops)
    .innerJoin(regions, eq(regions.code, workshops.regionCode))
    .where(
      and(
        visibleWhere(user),
        opts.from ? gte(workshops.endsAt, opts.from) : undefined,
        opts.to ? lt(workshops.startsAt, opts.to) : undefined,
        opts.past === true ? lt(workshops.endsAt, now) : opts.past === false ? gte(workshops.endsAt, now) : undefined,
      ),
    )
    .orderBy(opts.past ? desc(workshops.startsAt) : asc(workshops.startsAt))
    .limit(opts.limit ?? 100)
    .offset(opts.offset ?? 0);
  return rows.map((r) => ({ ...r, enrolled: Number(r.enrolled), waitlisted: Number(r.waitlisted) }));
}

// ---------------------------------------------------------------- scheduling

type SaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

function unknownModules(slugs: string[]): string[] {
  const known = content().bySlug;
  return slugs.filter((s) => !known.has(s));
}

export async function createWorkshop(actor: SessionUser, form: WorkshopForm, formKey?: string): Promise<SaveResult> {
  if (!SCHEDULER_ROLES.includes(actor.role)) throw forbidden("Peran Anda tidak dapat menjadwalkan kegiatan.");
  if (!isWithinScope(form.regionCode, actor.scopeCode))
    throw forbidden("Wilayah ini berada di luar wilayah tugas Anda.");
  const bad = unknownModules(form.moduleSlugs);
  if (bad.length) return { ok: false, errors: { moduleSlugs: `Modul tidak dikenal: ${bad.join(", ")}.` } };
  const [region] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, form.regionCode));
  if (!region) return { ok: false, errors: { regionCode: "Wilayah tidak ditemukan." } };
  // A retried submit (same form key) answers the session its first try created.
  const r = await db.transaction((tx) =>
    createOnce(tx, formKey, { actorId: actor.id, entity: "workshop", decode: Number }, async () => {
      const [row] = await tx
        .insert(workshops)
        .values({ ...form, createdBy: actor.id, status: "draft" })
        .returning({ id: workshops.id });
      await audit(
        {
          actorId: actor.id,
          action: "workshop.create",
          entity: "workshop",
          entityId: row.id,
          regionCode: form.regionCode,
          detail: { title: form.title, kind: form.kind },
        },
        tx,
      );
      return row.id;
    }),
  );
  if (!r.ok) return { ok: false, errors: { form: "Formulir tidak valid. Muat ulang halaman lalu coba lagi." } };
  return { ok: true, id: r.id };
}

export async function updateWorkshop(actor: SessionUser, id: number, form: WorkshopForm): Promise<SaveResult> {
  const before = await requireSchedulable(actor, id);
  if (before.status === "cancelled" || before.status === "completed") {
    return {
      ok: false,
      errors: { form: `Kegiatan yang sudah ${STATUS_LABEL[before.status].toLowerCase()} tidak dapat diubah.` },
    };
  }
  if (!isWithinScope(form.regionCode, actor.scopeCode))
    throw forbidden("Wilayah ini berada di luar wilayah tugas Anda.");
  const bad = unknownModules(form.moduleSlugs);
  if (bad.length) return { ok: false, errors: { moduleSlugs: `Modul tidak dikenal: ${bad.join(", ")}.` } };
  return db.transaction(async (tx) => {
    await lockWorkshop(tx, id);
    const enrolled = await countEnrolled(tx, id);
    if (form.capacity < enrolled) {
      return {
        ok: false as const,
        errors: { capacity: `Kapasitas tidak boleh kurang dari jumlah peserta terdaftar (${enrolled} orang).` },
      };
    }
    await tx
      .update(workshops)
      .set({ ...form, updatedAt: new Date() })
      .where(eq(workshops.id, id));
    await promoteWaitlist(tx, id, form.capacity);
    await refreshParticipants(tx, id);
    await audit(
      {
        actorId: actor.id,
        action: "workshop.update",
        entity: "workshop",
        entityId: id,
        regionCode: form.regionCode,
        detail: {
          before: {
            title: before.title,
            startsAt: before.startsAt,
            endsAt: before.endsAt,
            capacity: before.capacity,
            venue: before.venue,
          },
          after: form,
        },
      },
      tx,
    );
    return { ok: true as const, id };
  });
}

export async function transitionWorkshop(
  actor: SessionUser,
  id: number,
  to: WorkshopStatus,
  reason?: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const w = await requireSchedulable(actor, id);
  if (w.status === to) return { ok: true }; // double submit
  if (!ALLOWED_TRANSITIONS[w.status].includes(to)) {
    return {
      ok: false,
      message: `Kegiatan berstatus ${STATUS_LABEL[w.status].toLowerCase()} tidak dapat diubah menjadi ${STATUS_LABEL[to].toLowerCase()}.`,
    };
  }
  if (to === "cancelled" && (!reason || reason.trim().length < 5))
    return { ok: false, message: "Tuliskan alasan pembatalan (minimal 5 karakter)." };
  if (to === "completed" && w.startsAt > new Date())
    return { ok: false, message: "Kegiatan belum dimulai, belum dapat ditandai selesai." };
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(workshops)
      .set({
        status: to,
        cancelledReason: to === "cancelled" ? reason!.trim() : w.cancelledReason,
        updatedAt: new Date(),
      })
      .where(and(eq(workshops.id, id), eq(workshops.status, w.status)))
      .returning({ id: workshops.id });
    if (rows.length) {
      await refreshParticipants(tx, id);
      await audit(
        {
          actorId: actor.id,
          action: `workshop.${to}`,
          entity: "workshop",
          entityId: id,
          regionCode: w.regionCode,
          detail: { from: w.status, to, reason },
        },
        tx,
      );
    }
    return rows.length > 0;
  });
  return updated
    ? { ok: true }
    : { ok: false, message: "Status kegiatan baru saja diubah orang lain. Muat ulang halaman." };
}

export function workshopIdParam(params: { id?: string }): number {
  const id = parseIntId(params.id);
  if (!id) throw notFound("Kegiatan tidak ditemukan.");
  return id;
}
