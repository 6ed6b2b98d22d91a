/** Account administration within the actor's scope. Every change is audited. */
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { generateIdFromEntropySize } from "lucia";
import { z } from "zod";
import { MAX_INT4 } from "~/lib/query";
import { audit } from "~/audit.server";
import { createOnce } from "~/form-key.server";
import { hashPassword, lucia, passwordSchema, type SessionUser } from "~/auth.server";
import { type Conn, db } from "~/db.server";
import { posyandu, regions, ROLES, SPM_BIDANG, users, type Role } from "~/db/schema";
import { forbidden, notFound } from "~/lib/http";
import { normalizePhone, phoneField } from "~/lib/phone";
import { isScopeCode, isWithinScope } from "~/lib/region";
import { canManageAccount, ROLE_LABEL, ROLE_SCOPE_LEVEL, scopeLevelMatches } from "~/lib/roles";
import { LEVEL_LABEL } from "~/lib/region";
import { escapeLike } from "~/features/regions/posyandu.server";
import { withinScope } from "~/db/scope";
import { kaderInputsChanged } from "~/features/certification/evaluate.server";

export function newUserId(): string {
  return generateIdFromEntropySize(10);
}

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : null));

const accountFields = {
  name: z
    .string({ error: "Nama wajib diisi." })
    .trim()
    .min(2, "Nama minimal 2 karakter.")
    .max(120, "Nama terlalu panjang."),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "Email terlalu panjang.")
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.email().safeParse(v).success, "Email tidak valid."),
  role: z.enum(ROLES, { error: "Pilih peran." }),
  scopeCode: optionalText(20, "Wilayah tidak valid.").refine(
    (v) => v === null || isScopeCode(v),
    "Wilayah tidak valid.",
  ),
  posyanduId: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || (Number.isInteger(v) && v > 0 && v <= MAX_INT4), "Posyandu tidak valid."),
  spmBidang: z
    .enum(SPM_BIDANG, { error: "Bidang SPM tidak valid." })
    .optional()
    .or(z.literal("").transform(() => undefined))
    .transform((v) => v ?? null),
};

export const createUserSchema = z.object({
  ...accountFields,
  phone: phoneField("Nomor HP wajib diisi."),
  password: passwordSchema,
});

export const updateUserSchema = z.object({
  ...accountFields,
  active: z
    .enum(["on", "off"])
    .optional()
    .transform((v) => v !== "off"),
});

export type CreateUserForm = z.infer<typeof createUserSchema>;
export type UpdateUserForm = z.infer<typeof updateUserSchema>;
export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Resolves the scope of an account: a kader's scope is the desa of their posyandu;
 * other roles give a region at the level their role needs. Returns field errors
 * for anything that is not allowed for this actor.
 */
async function resolveScope(
  actor: SessionUser,
  form: { role: Role; scopeCode: string | null; posyanduId: number | null; spmBidang: string | null },
): Promise<{ ok: true; scopeCode: string; posyanduId: number | null } | { ok: false; errors: FieldErrors }> {
  if (form.role === "kader") {
    if (!form.posyanduId) return { ok: false, errors: { posyanduId: "Kader harus terdaftar di sebuah posyandu." } };
    const [p] = await db.select({ desaCode: posyandu.desaCode }).from(posyandu).where(eq(posyandu.id, form.posyanduId));
    if (!p) return { ok: false, errors: { posyanduId: "Posyandu tidak ditemukan." } };
    if (!isWithinScope(p.desaCode, actor.scopeCode)) throw forbidden("Posyandu ini berada di luar wilayah tugas Anda.");
    if (!form.spmBidang) return { ok: false, errors: { spmBidang: "Pilih bidang SPM yang dilayani kader." } };
    return { ok: true, scopeCode: p.desaCode, posyanduId: form.posyanduId };
  }
  if (!form.scopeCode) return { ok: false, errors: { scopeCode: "Pilih wilayah tugas." } };
  if (!isWithinScope(form.scopeCode, actor.scopeCode))
    throw forbidden("Wilayah ini berada di luar wilayah tugas Anda.");
  if (!scopeLevelMatches(form.role, form.scopeCode)) {
    return {
      ok: false,
      errors: {
        scopeCode: `${ROLE_LABEL[form.role]} harus bertugas di tingkat ${LEVEL_LABEL[ROLE_SCOPE_LEVEL[form.role]].toLowerCase()}.`,
      },
    };
  }
  const [r] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, form.scopeCode));
  if (!r) return { ok: false, errors: { scopeCode: "Wilayah tidak ditemukan." } };
  return { ok: true, scopeCode: form.scopeCode, posyanduId: null };
}

async function uniqueErrors(
  phone: string | null,
  email: string | null,
  exceptId?: string,
  conn: Conn = db,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const conds = [phone ? eq(users.phone, phone) : undefined, email ? eq(users.email, email) : undefined].filter(
    Boolean,
  );
  if (!conds.length) return errors;
  const rows = await conn
    .select({ id: users.id, phone: users.phone, email: users.email })
    .from(users)
    .where(or(...conds));
  for (const row of rows) {
    if (row.id === exceptId) continue;
    if (phone && row.phone === phone) errors.phone = "Nomor HP ini sudah terdaftar.";
    if (email && row.email === email) errors.email = "Email ini sudah terdaftar.";
  }
  return errors;
}

type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

export async function createUser(actor: SessionUser, form: CreateUserForm, formKey?: string): Promise<SaveResult> {
  const scope = await resolveScope(actor, form);
  if (!scope.ok) return scope;
  if (!canManageAccount(actor, { role: form.role, scopeCode: scope.scopeCode })) {
    throw forbidden("Anda tidak berhak membuat akun dengan peran ini.");
  }
  // A retried submit (same form key) answers the account its first try created.
  const newId = newUserId();
  const passwordHash = await hashPassword(form.password);
  // A double submit (or two admins at once) meets the unique indexes: on conflict do
  // nothing, and the loser is told the number (or email) is taken; never a 500.
  const created = await db.transaction((tx) =>
    createOnce(tx, formKey, { actorId: actor.id, entity: "user", decode: String }, async () => {
      if (Object.keys(await uniqueErrors(form.phone, form.email, undefined, tx)).length) return null;
      const id = newId;
      const [row] = await tx
        .insert(users)
        .values({
          id,
          name: form.name,
          phone: form.phone,
          email: form.email,
          passwordHash,
          role: form.role,
          scopeCode: scope.scopeCode,
          posyanduId: scope.posyanduId,
          spmBidang: form.role === "kader" ? (form.spmBidang as never) : null,
        })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (!row) return null;
      await audit(
        {
          actorId: actor.id,
          action: "user.create",
          entity: "user",
          entityId: id,
          regionCode: scope.scopeCode,
          detail: { name: form.name, role: form.role, scopeCode: scope.scopeCode, posyanduId: scope.posyanduId },
        },
        tx,
      );
      await kaderInputsChanged(tx, [id]);
      return id;
    }),
  );
  if (created.ok) return { ok: true, id: created.id };
  if (created.reason === "other-form")
    return { ok: false, errors: { form: "Formulir tidak valid. Muat ulang halaman lalu coba lagi." } };
  const taken = await uniqueErrors(form.phone, form.email);
  return { ok: false, errors: Object.keys(taken).length ? taken : { phone: "Nomor HP ini sudah terdaftar." } };
}

/** The account, or 404 when missing and 403 when outside the actor's scope. */
export async function getUserInScope(actor: Pick<SessionUser, "scopeCode">, id: string) {
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      phone: users.phone,
      email: users.email,
      role: users.role,
      scopeCode: users.scopeCode,
      scopeName: regions.name,
      posyanduId: users.posyanduId,
      posyanduName: posyandu.name,
      spmBidang: users.spmBidang,
      active: users.active,
      createdAt: users.createdAt,
    })
    .from(users)
    .innerJoin(regions, eq(regions.code, users.scopeCode))
    .leftJoin(posyandu, eq(posyandu.id, users.posyanduId))
    .where(eq(users.id, id));
  if (!row) throw notFound("Pengguna tidak ditemukan.");
  if (!isWithinScope(row.scopeCode, actor.scopeCode))
    throw forbidden("Pengguna ini berada di luar wilayah tugas Anda.");
  return row;
}

export async function updateUser(actor: SessionUser, id: string, form: UpdateUserForm): Promise<SaveResult> {
  const before = await getUserInScope(actor, id);
  if (before.id === actor.id) throw forbidden("Ubah akun Anda sendiri lewat halaman Akun.");
  if (!canManageAccount(actor, before)) throw forbidden("Anda tidak berhak mengubah akun dengan peran ini.");
  const scope = await resolveScope(actor, form);
  if (!scope.ok) return scope;
  if (!canManageAccount(actor, { role: form.role, scopeCode: scope.scopeCode })) {
    throw forbidden("Anda tidak berhak memberi peran ini.");
  }
  const dup = await uniqueErrors(null, form.email, id);
  if (Object.keys(dup).length) return { ok: false, errors: dup };
  const after = {
    name: form.name,
    email: form.email,
    role: form.role,
    scopeCode: scope.scopeCode,
    posyanduId: scope.posyanduId,
    spmBidang: form.role === "kader" ? (form.spmBidang as never) : null,
    active: form.active,
  };
  await db.transaction(async (tx) => {
    await tx.update(users).set(after).where(eq(users.id, id));
    await kaderInputsChanged(tx, [id]);
    await audit(
      {
        actorId: actor.id,
        action:
          before.active && !form.active
            ? "user.deactivate"
            : !before.active && form.active
              ? "user.reactivate"
              : "user.update",
        entity: "user",
        entityId: id,
        regionCode: scope.scopeCode,
        detail: {
          before: {
            name: before.name,
            email: before.email,
            role: before.role,
            scopeCode: before.scopeCode,
            posyanduId: before.posyanduId,
            spmBidang: before.spmBidang,
            active: before.active,
          },
          after,
        },
      },
      tx,
    );
  });
  if (!form.active || before.role !== form.role || before.scopeCode !== scope.scopeCode) {
    await lucia().invalidateUserSessions(id);
  }
  return { ok: true, id };
}

/**
 * Deactivates or reactivates an account (explicit buttons on the account page). Only a real
 * change is written and audited, so a double submit is one change. Deactivation ends sessions.
 */
export async function setUserActive(actor: SessionUser, id: string, active: boolean): Promise<{ changed: boolean }> {
  const before = await getUserInScope(actor, id);
  if (before.id === actor.id) throw forbidden("Anda tidak dapat menonaktifkan akun Anda sendiri.");
  if (!canManageAccount(actor, before)) throw forbidden("Anda tidak berhak mengubah akun dengan peran ini.");
  const changed = await db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ active })
      .where(and(eq(users.id, id), sql`${users.active} <> ${active}`))
      .returning({ id: users.id });
    if (!rows.length) return false;
    await kaderInputsChanged(tx, [id]);
    await audit(
      {
        actorId: actor.id,
        action: active ? "user.reactivate" : "user.deactivate",
        entity: "user",
        entityId: id,
        regionCode: before.scopeCode,
        detail: { before: { active: !active }, after: { active } },
      },
      tx,
    );
    return true;
  });
  if (!active) await lucia().invalidateUserSessions(id);
  return { changed };
}

export interface UserListItem {
  id: string;
  name: string;
  phone: string;
  role: Role;
  scopeCode: string;
  scopeName: string;
  posyanduName: string | null;
  active: boolean;
  /** Has a password (false: waiting for activation with a code). */
  activated: boolean;
}

export async function listUsers(
  scope: string,
  opts: { q?: string; role?: Role; limit?: number; offset?: number } = {},
): Promise<{ items: UserListItem[]; total: number }> {
  const q = opts.q?.trim();
  const phoneQ = q ? normalizePhone(q) : null;
  const where = and(
    withinScope(users.scopeCode, scope),
    opts.role ? eq(users.role, opts.role) : undefined,
    q ? or(ilike(users.name, `%${escapeLike(q)}%`), phoneQ ? eq(users.phone, phoneQ) : undefined) : undefined,
  );
  const items = await db
    .select({
      id: users.id,
      name: users.name,
      phone: users.phone,
      role: users.role,
      scopeCode: users.scopeCode,
      scopeName: regions.name,
      posyanduName: posyandu.name,
      active: users.active,
      activated: sql<boolean>`${users.passwordHash} is not null`,
    })
    .from(users)
    .innerJoin(regions, eq(regions.code, users.scopeCode))
    .leftJoin(posyandu, eq(posyandu.id, users.posyanduId))
    .where(where)
    .orderBy(asc(users.name), asc(users.id))
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(users).where(where);
  return { items, total };
}

/** Posyandu in scope for the kader picker (id, name, desa). */
export async function posyanduOptions(scope: string) {
  return db
    .select({ id: posyandu.id, name: posyandu.name, desaName: regions.name })
    .from(posyandu)
    .innerJoin(regions, eq(regions.code, posyandu.desaCode))
    .where(and(withinScope(posyandu.desaCode, scope), eq(posyandu.active, true)))
    .orderBy(asc(regions.name), asc(posyandu.name))
    .limit(2000);
}
