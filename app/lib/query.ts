/** Query-string schemas: nothing from the URL reaches SQL unvalidated. */
import { z } from "zod";
import { ROLES } from "~/db/schema";
import { hasControlChars } from "~/lib/http";
import { isRegionCode } from "~/lib/region";

export const PAGE_SIZE = 50;

/** A search text from the URL: trimmed, at most 100 characters, no control characters. */
export const searchText = z
  .string()
  .trim()
  .max(100)
  .refine((v) => !hasControlChars(v))
  .optional()
  .catch(undefined);

export const listQuerySchema = z.object({
  q: searchText,
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

/** The largest id PostgreSQL's integer (int4) holds. */
export const MAX_INT4 = 2_147_483_647;

/** An id from a form or query: a positive int4, anything else is "not valid". */
export const idSchema = z.coerce.number().int().min(1).max(MAX_INT4);
