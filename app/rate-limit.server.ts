/**
 * Fixed-window counters in the database (shared by every app process).
 */
import { eq, sql } from "drizzle-orm";
import { db, rowsOf } from "~/db.server";
import { rateLimits } from "~/db/schema";

export interface RateState {
  count: number;
  retryAfterSeconds: number;
}

/** One counted hit: which window it went into, so it can be taken back (`refundRateLimit`). */
export interface RateHit extends RateState {
  key: string;
  windowStartedAt: string;
}

/** Counts one hit against `key` and returns the count in the current window (one atomic upsert). */
export async function hitRateLimit(key: string, windowSeconds: number): Promise<RateHit> {
  const rows = await db.execute<{ count: number; retry: number; started: string }>(sql`
    insert into rate_limits (key, count, window_started_at) values (${key}, 1, now())
    on conflict (key) do update set
      count = case when rate_limits.window_started_at <= now() - make_interval(secs => ${windowSeconds})
                   then 1 else rate_limits.count + 1 end,
      window_started_at = case when rate_limits.window_started_at <= now() - make_interval(secs => ${windowSeconds})
                   then now() else rate_limits.window_started_at end
    returning count, ceil(extract(epoch from (window_started_at + make_interval(secs => ${windowSeconds}) - now())))::int as retry,
      window_started_at::text as started`);
  const row = rowsOf<{ count: number; retry: number; started: string }>(rows)[0];
  return {
    key,
    count: Number(row.count),
    retryAfterSeconds: Math.max(1, Number(row.retry)),
    windowStartedAt: row.started,
  };
}

/**
 * Takes one hit back (an attempt counted in advance that turned out not to count: refused
 * before it was checked, or a success). Only in the window it was counted in.
 */
export async function refundRateLimit(hit: RateHit): Promise<void> {
  await db.execute(sql`
    update rate_limits set count = greatest(count - 1, 0)
    where key = ${hit.key} and window_started_at = ${hit.windowStartedAt}::timestamptz`);
}

export async function resetRateLimit(key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
