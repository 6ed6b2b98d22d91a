/** The place shown in the header under a person's name: names, never a region code. */
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { posyandu, regions } from "~/db/schema";
import type { SessionUser } from "~/auth.server";

/** "Posyandu Melati · Desa Muara Ancalong" for a kader; the region's name for everyone else. */
export async function placeLabel(user: Pick<SessionUser, "role" | "scopeCode" | "posyanduId">): Promise<string> {
  if (user.posyanduId) {
    const [p] = await db
      .select({ name: posyandu.name, desa: regions.name })
      .from(posyandu)
      .innerJoin(regions, eq(regions.code, posyandu.desaCode))
      .where(eq(posyandu.id, user.posyanduId));
    if (p) return `${/^posyandu\b/i.test(p.name) ? p.name : `Posyandu ${p.name}`} · ${p.desa}`;
  }
  const [r] = await db.select({ name: regions.name }).from(regions).where(eq(regions.code, user.scopeCode));
  return r?.name ?? "";
}
