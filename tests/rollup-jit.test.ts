/**
 * The functions every write runs inside its transaction (the rollup delta of kader_progress,
 * the item statistics) are planned without JIT: their statements are estimated from the 1,000
 * rows PostgreSQL assumes per set-returning function call, which put them above
 * jit_above_cost, and on a server with JIT every call compiled them (~30 ms for a kader's
 * ten rollup rows, drizzle/0022). PGlite has no JIT; the setting is checked on both.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, rowsOf } from "~/db.server";
import { setupDatabase } from "./helpers";

beforeAll(async () => {
  await setupDatabase();
});

describe("per-write rollup functions", () => {
  it.each(["apply_rollup_delta", "apply_item_delta", "fold_stats_item"])("%s runs with jit off", async (name) => {
    const rows = rowsOf<{ config: string[] | null }>(
      await db.execute(sql`select proconfig as config from pg_proc where proname = ${name}`),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].config ?? []).toContain("jit=off");
  });
});
