/** Query-string schemas: nothing from the URL reaches SQL unvalidated. */
import { z } from "zod";
import { ROLES } from "~/db/schema";
import { isRegionCode } from "~/lib/region";

export const PAGE_SIZE = 50;

export const listQuerySchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  wilayah: z.string().trim().refine(isRegionCode).optional().catch(undefined),
  peran: z.enum(ROLES).optional().catch(undefined),
  halaman: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});

export function parseListQuery(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return listQuerySchema.parse(params);
}

/** Route param ids: positive integers only, otherwise 404. */
export function parseIntId(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}
