/**
 * The read replica (DATABASE_REPLICA_URL): report reads go to the replica, writes and
 * the browser that has just written go to the primary. Runs in CI's replica pass (a
 * streaming replica started with `pg_basebackup -R`); without a replica it checks that
 * `onReplica` is a plain call.
 */
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, FRESH_COOKIE, onReplica, replicaConfigured } from "~/db.server";
import { rowsOf } from "~/db.server";
import { makeRequest } from "./helpers";

const hasReplica = Boolean(process.env.DATABASE_URL && process.env.DATABASE_REPLICA_URL);

async function inRecovery(): Promise<boolean> {
  if (!process.env.DATABASE_URL) return false;
  const [row] = rowsOf<{ r: boolean }>(await db.execute(sql`select pg_is_in_recovery() as r`));
  return row.r;
}

describe("read replica", () => {
  it("without a replica, reports read the one database", async () => {
    if (hasReplica) return;
    expect(replicaConfigured()).toBe(false);
    expect(await onReplica(makeRequest("/dasbor/64"), () => inRecovery())).toBe(false);
  });

  it.skipIf(!hasReplica)("report reads go to the replica, everything else to the primary", async () => {
    expect(replicaConfigured()).toBe(true);
    expect(await inRecovery()).toBe(false);
    expect(await onReplica(makeRequest("/dasbor/64"), () => inRecovery())).toBe(true);
    // Outside the callback, the same request is back on the primary.
    expect(await inRecovery()).toBe(false);
    // Parallel work inside one callback stays on the replica.
    const both = await onReplica(makeRequest("/dasbor/64"), () => Promise.all([inRecovery(), inRecovery()]));
    expect(both).toEqual([true, true]);
  });

  it.skipIf(!hasReplica)("a browser that has just written reads the primary (read-your-writes)", async () => {
    const fresh = makeRequest("/dasbor/64", { cookie: `akademi_sesi=x; ${FRESH_COOKIE}=1` });
    expect(await onReplica(fresh, () => inRecovery())).toBe(false);
  });

  it.skipIf(!hasReplica)("a write inside a report read fails loudly on the replica", async () => {
    const err = await onReplica(makeRequest("/dasbor/64"), () => db.execute(sql`create table nope (x int)`)).then(
      () => null,
      (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
    );
    expect(err).toMatch(/read-only/);
  });

  it.skipIf(!hasReplica)("a row written on the primary is visible on the replica", async () => {
    await db.execute(sql`create table if not exists replica_probe (x int)`);
    await db.execute(sql`insert into replica_probe values (42)`);
    // CI runs the primary with synchronous_commit = remote_apply, so this is immediate there;
    // elsewhere the replica may lag a moment.
    let seen = 0;
    for (let i = 0; i < 50 && !seen; i++) {
      const rows = await onReplica(makeRequest("/dasbor/64"), async () =>
        rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from replica_probe where x = 42`)),
      ).catch(() => []);
      seen = rows[0]?.n ?? 0;
      if (!seen) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(1);
  });
});
