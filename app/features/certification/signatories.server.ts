/**
 * Who signs the certificates of a kabupaten: name, title, optional NIP and logo, set by
 * DPMD (their kabupaten) or admin (any kabupaten in scope). A certificate copies the
 * signatory at issue (name, title and NIP into its signed payload, the logo into its
 * row), so a later change never alters a certificate already issued.
 */
import { eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { db, rowsOf, type Conn } from "~/db.server";
import { certificateSignatories, type Role } from "~/db/schema";
import { withinScope } from "~/db/scope";
import { regionsInScope } from "~/features/regions/regions.server";
import { forbidden } from "~/lib/http";
import { codeLineage, isWithinScope, scopeLevelOf } from "~/lib/region";
import { rolesFor } from "~/lib/permissions";

export const SIGNATORY_EDITORS: readonly Role[] = rolesFor("signatories");
export const LOGO_MAX_BYTES = 200 * 1024;

export interface Signatory {
  name: string;
  title: string;
  nip: string | null;
  logo: string | null;
}

export async function signatoryFor(kabupatenCode: string, conn: Conn = db): Promise<Signatory | null> {
  const [row] = await conn
    .select({
      name: certificateSignatories.name,
      title: certificateSignatories.title,
      nip: certificateSignatories.nip,
      logo: certificateSignatories.logo,
    })
    .from(certificateSignatories)
    .where(eq(certificateSignatories.kabupatenCode, kabupatenCode));
  return row ?? null;
}

/** The kabupaten in the actor's scope with their signatory. */
export async function signatoriesInScope(actor: Pick<SessionUser, "scopeCode">) {
  const list = (await regionsInScope(actor.scopeCode, ["kabupaten"])).filter((k) =>
    isWithinScope(k.code, actor.scopeCode),
  );
  const rows = list.length
    ? await db
        .select()
        .from(certificateSignatories)
        .where(
          inArray(
            certificateSignatories.kabupatenCode,
            list.map((k) => k.code),
          ),
        )
    : [];
  const byCode = new Map(rows.map((r) => [r.kabupatenCode, r]));
  return list.map((k) => {
    const s = byCode.get(k.code);
    return {
      code: k.code,
      name: k.name,
      signatory: s ? { name: s.name, title: s.title, nip: s.nip, hasLogo: !!s.logo, updatedAt: s.updatedAt } : null,
    };
  });
}

export interface UnsignedIssuance {
  /** Kabupaten code and name. */
  code: string;
  name: string;
  /** Certificates issued there (not revoked) that print no signatory. */
  unsigned: number;
}

/** The kabupaten of a region whose warnings count: the region's own above a kecamatan or desa. */
function unsignedScope(regionCode: string): SQL {
  const level = scopeLevelOf(regionCode);
  const kab = level === "kabupaten" || level === "kecamatan" || level === "desa" ? codeLineage(regionCode)[1] : null;
  return kab ? sql`r.code = ${kab}` : withinScope(sql`r.code`, regionCode);
}

/** A certificate issued at r (not revoked) that prints no signatory: certificates_unsigned_idx. */
const issuedUnsigned = sql`c.issuing_region = r.code and c.revoked_at is null
  and coalesce(c.payload->>'signatoryName', '') = ''`;
const withoutSignatory = sql`not exists (select 1 from certificate_signatories s where s.kabupaten_code = r.code)`;

/**
 * Kabupaten of a region (the region itself, those under a province or the nation, the one
 * above a kecamatan or desa) that have no signatory while certificates are issued there: each
 * with the number of certificates (not revoked) already issued without a signer. Empty
 * when every such kabupaten has its signatory. For /admin/penandatangan.
 */
export async function unsignedIssuance(regionCode: string): Promise<UnsignedIssuance[]> {
  const rows = rowsOf<{ code: string; name: string; unsigned: number }>(
    await db.execute(sql`
      select r.code, r.name, count(c.id)::int as unsigned
      from regions r join certificates c on ${issuedUnsigned}
      where r.level = 'kabupaten' and ${unsignedScope(regionCode)} and ${withoutSignatory}
      group by r.code, r.name
      order by r.code`),
  );
  return rows.map((r) => ({ code: r.code, name: r.name, unsigned: Number(r.unsigned) }));
}

/**
 * The same warning for the dashboard, bounded: which kabupaten have any such certificate (one
 * index probe each), counted for the first `shown` only: a province or the nation has hundreds
 * of kabupaten and counting all their certificates took 250 ms at 1.41 M kader.
 */
export async function unsignedSummary(
  regionCode: string,
  shown: number,
): Promise<{ shown: UnsignedIssuance[]; more: number }> {
  const kabupaten = rowsOf<{ code: string; name: string }>(
    await db.execute(sql`
      select r.code, r.name from regions r
      where r.level = 'kabupaten' and ${unsignedScope(regionCode)} and ${withoutSignatory}
        and exists (select 1 from certificates c where ${issuedUnsigned})
      order by r.code`),
  );
  const first = kabupaten.slice(0, shown);
  const counts = first.length
    ? rowsOf<{ code: string; unsigned: number }>(
        await db.execute(sql`
          select r.code, (select count(*) from certificates c where ${issuedUnsigned})::int as unsigned
          from regions r where r.code in ${sql`(${sql.join(
            first.map((k) => sql`${k.code}`),
            sql`, `,
          )})`}`),
      )
    : [];
  const byCode = new Map(counts.map((c) => [c.code, Number(c.unsigned)]));
  return {
    shown: first.map((k) => ({ code: k.code, name: k.name, unsigned: byCode.get(k.code) ?? 0 })),
    more: kabupaten.length - first.length,
  };
}

/** "Kabupaten Kutai Timur belum punya penandatangan: 12 sertifikat terbit tanpa penandatangan." */
export function unsignedWarning(u: UnsignedIssuance): string {
  return `${u.name} belum punya penandatangan sertifikat: ${u.unsigned.toLocaleString("id-ID")} sertifikat sudah terbit tanpa nama penandatangan, dan sertifikat berikutnya juga terbit tanpa penandatangan sampai penandatangan diisi.`;
}

export const signatorySchema = z.object({
  kabupatenCode: z.string({ error: "Pilih kabupaten/kota." }).regex(/^\d{2}\.\d{2}$/, "Pilih kabupaten/kota."),
  name: z
    .string({ error: "Isi nama penandatangan." })
    .trim()
    .min(3, "Isi nama penandatangan (minimal 3 huruf).")
    .max(120, "Nama terlalu panjang (maksimal 120 huruf)."),
  title: z
    .string({ error: "Isi jabatan." })
    .trim()
    .min(5, "Isi jabatan (minimal 5 huruf).")
    .max(160, "Jabatan terlalu panjang (maksimal 160 huruf)."),
  nip: z
    .string()
    .trim()
    .transform((v) => v.replace(/\s+/g, ""))
    .refine((v) => v === "" || /^\d{18}$/.test(v), "NIP terdiri dari 18 angka (boleh dikosongkan).")
    .optional(),
  removeLogo: z.string().optional(),
});

/** PNG or JPEG by its magic bytes, as a data: URL; a message when it is neither or too big. */
export async function readLogo(
  file: FormDataEntryValue | null,
): Promise<{ ok: true; logo: string | null } | { ok: false; message: string }> {
  if (!file || typeof file === "string" || file.size === 0) return { ok: true, logo: null };
  if (file.size > LOGO_MAX_BYTES) return { ok: false, message: "Logo terlalu besar (maksimal 200 KB)." };
  const bytes = Buffer.from(await file.arrayBuffer());
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!png && !jpeg) return { ok: false, message: "Logo harus berkas PNG atau JPEG." };
  return { ok: true, logo: `data:image/${png ? "png" : "jpeg"};base64,${bytes.toString("base64")}` };
}

export type SaveSignatoryResult = { ok: true } | { ok: false; errors: Record<string, string> };

export async function saveSignatory(actor: SessionUser, form: FormData): Promise<SaveSignatoryResult> {
  const parsed = signatorySchema.safeParse(
    Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")),
  );
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
    return { ok: false, errors };
  }
  const v = parsed.data;
  if (!(await signatoriesInScope(actor)).some((k) => k.code === v.kabupatenCode))
    throw forbidden("Kabupaten/kota ini berada di luar wilayah tugas Anda.");
  const logo = await readLogo(form.get("logo"));
  if (!logo.ok) return { ok: false, errors: { logo: logo.message } };
  await db.transaction(async (tx) => {
    const before = await signatoryFor(v.kabupatenCode, tx);
    const nextLogo = v.removeLogo ? null : (logo.logo ?? before?.logo ?? null);
    const values = {
      name: v.name,
      title: v.title,
      nip: v.nip || null,
      logo: nextLogo,
      updatedBy: actor.id,
      updatedAt: new Date(),
    };
    await tx
      .insert(certificateSignatories)
      .values({ kabupatenCode: v.kabupatenCode, ...values })
      .onConflictDoUpdate({ target: certificateSignatories.kabupatenCode, set: values });
    await audit(
      {
        actorId: actor.id,
        action: before ? "signatory.update" : "signatory.create",
        entity: "certificate_signatory",
        entityId: v.kabupatenCode,
        regionCode: v.kabupatenCode,
        detail: {
          before: before ? { name: before.name, title: before.title, nip: before.nip, logo: !!before.logo } : null,
          after: { name: values.name, title: values.title, nip: values.nip, logo: !!values.logo },
        },
      },
      tx,
    );
  });
  return { ok: true };
}
