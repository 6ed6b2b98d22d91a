/**
 * Fixed-window counters in the database (shared by every app process).
 */
import { sql } from "drizzle-orm";
import { db, rowsOf } from "~/db.server";
import { rateLimits } from "~/db/schema";
import { eq } from "drizzle-orm";

export interface RateState {
  count: number;
  retryAfterSeconds: number;
}

/** Counts one hit against `key` and returns the count in the current window. */
export async function hitRateLimit(key: string, windowSeconds: number): Promise<RateState> {
  const rows = await db.execute<{ count: number; retry: number }>(sql`
    insert into rate_limits (key, count, window_started_at) values (${key}, 1, now())
    on conflict (key) do update set
      count = case when rate_limits.window_started_at <= now() - make_interval(secs => ${windowSeconds})
                   then 1 else rate_limits.count + 1 end,
      window_started_at = case when rate_limits.window_started_at <= now() - make_interval(secs => ${windowSeconds})
                   then now() else rate_limits.window_started_at end
    returning count, ceil(extract(epoch from (window_started_at + make_interval(secs => ${windowSeconds}) - now())))::int as retry`);
  const row = rowsOf<{ count: number; retry: number }>(rows)[0];
  return { count: Number(row.count), retryAfterSeconds: Math.max(1, Number(row.retry)) };
}

/** The current count without adding a hit. */
export async function peekRateLimit(key: string, windowSeconds: number): Promise<RateState> {
  const rows = await db.execute<{ count: number; retry: number }>(sql`
    select count, ceil(extract(epoch from (window_started_at + make_interval(secs => ${windowSeconds}) - now())))::int as retry
    from rate_limits where key = ${key} and window_started_at > now() - make_interval(secs => ${windowSeconds})`);
  const row = rowsOf<{ count: number; retry: number }>(rows)[0];
  return row
    ? { count: Number(row.count), retryAfterSeconds: Math.max(1, Number(row.retry)) }
    : { count: 0, retryAfterSeconds: 0 };
}

export async function resetRateLimit(key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
