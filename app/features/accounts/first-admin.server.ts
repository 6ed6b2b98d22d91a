/**
 * The first admin of a pilot or production instance (`npm run setup -- --admin 08…`): made
 * once, with the password the operator types, never a default one. The demo has its own
 * published accounts and no first admin. Further accounts are made by that admin
 * (/admin/pengguna) or by importing the roster.
 */
import { NATIONAL_CODE } from "~/lib/region";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit.server";
import { hashPassword, passwordSchema } from "~/auth.server";
import { db } from "~/db.server";
import { regions, users } from "~/db/schema";
import { DEMO_PASSWORD } from "~/demo/demo.server";
import { newUserId } from "~/features/accounts/users.server";
import { phoneField } from "~/lib/phone";

/** Whether an active admin with a password exists (otherwise nobody can sign in to manage anything). */
export async function hasActiveAdmin(): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.active, true), isNotNull(users.passwordHash)))
    .limit(1);
  return Boolean(row);
}

export const NO_ADMIN_MESSAGE =
  "Belum ada admin: buat admin pertama dengan `npm run setup -- --admin 08xxxxxxxxxx` (kata sandi ditanyakan).";

export const firstAdminSchema = z.object({
  phone: phoneField("Nomor HP admin wajib diisi (--admin 08…)."),
  name: z.string().trim().min(2, "Nama minimal 2 karakter.").max(120, "Nama terlalu panjang.").default("Admin"),
  // An account that can see and change everything: longer than a kader's, never the demo's.
  password: passwordSchema
    .min(12, "Kata sandi admin minimal 12 karakter.")
    .refine((p) => p !== DEMO_PASSWORD, "Kata sandi demo sudah diumumkan: pilih kata sandi lain."),
  scopeCode: z.string().trim().optional(),
});

export type FirstAdminResult =
  | { ok: true; id: string; phone: string; scopeCode: string }
  | { ok: false; error: string };

/**
 * Creates the first admin: the root of the instance, whose scope is the nation (every
 * province) unless --wilayah names one province (or the regions hold only one).
 */
export async function createFirstAdmin(input: z.input<typeof firstAdminSchema>): Promise<FirstAdminResult> {
  const parsed = firstAdminSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const form = parsed.data;
  const provinces = await db
    .select({ code: regions.code })
    .from(regions)
    .where(eq(regions.level, "provinsi"))
    .orderBy(asc(regions.code));
  const scopeCode = form.scopeCode ?? (provinces.length === 1 ? provinces[0].code : NATIONAL_CODE);
  if (scopeCode !== NATIONAL_CODE && !provinces.some((p) => p.code === scopeCode)) {
    return {
      ok: false,
      error: `Wilayah admin tidak dikenal: sebutkan ${NATIONAL_CODE} (seluruh Indonesia) atau kode provinsi dengan --wilayah (${provinces.map((p) => p.code).join(", ") || "belum ada wilayah"}).`,
    };
  }
  const passwordHash = await hashPassword(form.password);
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.active, true)))
      .limit(1);
    if (admin)
      return { ok: false, error: "Admin sudah ada: admin lain dibuat dari halaman Pengguna (/admin/pengguna)." };
    const id = newUserId();
    const [row] = await tx
      .insert(users)
      .values({ id, name: form.name, phone: form.phone, passwordHash, role: "admin", scopeCode })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!row) return { ok: false, error: "Nomor HP ini sudah terdaftar untuk akun lain." };
    await audit(
      { actorId: null, action: "setup.first_admin", entity: "user", entityId: id, regionCode: scopeCode },
      tx,
    );
    return { ok: true, id, phone: form.phone, scopeCode };
  });
}
