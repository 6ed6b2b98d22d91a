/**
 * Transactions on a busy postgres.js pool (PostgreSQL only; skipped on PGlite).
 *
 * postgres.js 3.4.9 reserves a connection for `sql.begin` in a hook that ran only when the
 * connection could take more pipelined queries. Under load (a full pipeline, socket
 * backpressure) BEGIN went out unreserved: the transaction failed with UNSAFE_TRANSACTION
 * (a 500 in the quiz load test at 4,000 takers), and queries of other requests could be
 * pipelined into the open transaction and rolled back with it (porsager/postgres#823, #1189,
 * #1204). patches/postgres+3.4.9.patch reserves the connection whenever BEGIN is written,
 * pipelines nothing after it, and never hands a reserved connection back to the pool on a
 * socket 'drain'. This test fails without the patch.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preparedStatements } from "~/db.server";

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("postgres.js transactions under a saturated pool", () => {
  const table = `tx_probe_${process.pid}`;
  let sql: postgres.Sql;
  beforeAll(async () => {
    // Few connections and a short pipeline, so the boundary is reached at once.
    // DB_PREPARE=0 (behind PgBouncer in transaction mode) as the app does it: unnamed statements.
    sql = postgres(url!, {
      max: 3,
      prepare: preparedStatements(),
      onnotice: () => {},
      ...({ max_pipeline: 2 } as object), // not in the driver's option types
    });
    await sql.unsafe(`create table ${table} (k text primary key)`);
  });
  afterAll(async () => {
    await sql.unsafe(`drop table if exists ${table}`);
    await sql.end({ timeout: 5 });
  });

  it("every transaction gets a connection of its own; other queries never run inside one", async () => {
    const errors: string[] = [];
    for (let round = 0; round < 10; round++) {
      const work: Promise<unknown>[] = [];
      // Keep every connection busy, so what follows is pipelined behind these.
      for (let i = 0; i < 3; i++) work.push(sql`select pg_sleep(0.2)`.execute());
      await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 6; i++) {
        work.push(sql.unsafe(`insert into ${table} values ('plain-${round}-${i}')`).execute());
        work.push(
          sql
            .begin(async (tx) => {
              await tx.unsafe(`insert into ${table} values ('kept-${round}-${i}')`);
            })
            .catch((e) => errors.push(String(e.code ?? e.message))),
        );
        work.push(
          sql
            .begin(async (tx) => {
              await tx.unsafe(`insert into ${table} values ('undone-${round}-${i}')`);
              throw new Error("rollback");
            })
            .catch((e) => (e.message === "rollback" ? null : errors.push(String(e.code ?? e.message)))),
        );
      }
      await Promise.all(work);
    }
    expect(errors).toEqual([]);
    const rows = await sql.unsafe(`select split_part(k, '-', 1) as kind, count(*)::int as n from ${table} group by 1`);
    const n = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    expect(n).toEqual({ plain: 60, kept: 60 }); // nothing of another request was rolled back
  });
});
