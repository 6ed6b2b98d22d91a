/**
 * Readiness: 200 when this process can serve — the database answers (within 2 s) and every
 * migration in drizzle/ is applied; 503 otherwise. While the process drains after SIGTERM,
 * server.ts answers every new request, this one included, 503 before it gets here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { dbKind, sqlRows } from "~/db.server";
import { sql } from "drizzle-orm";

const TIMEOUT_MS = 2_000;

/**
 * The `when` of the newest migration in drizzle/meta/_journal.json (what drizzle records as
 * created_at), read when this process loads: the code it runs, not files changed under it since.
 */
const NEWEST_MIGRATION = Math.max(
  ...(
    JSON.parse(readFileSync(path.resolve("drizzle/meta/_journal.json"), "utf8")) as { entries: { when: number }[] }
  ).entries.map((e) => e.when),
);

async function check(): Promise<"ok" | "migrations-pending"> {
  const [row] = await sqlRows<{ at: string | null }>(
    sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`,
  );
  return Number(row?.at ?? 0) >= NEWEST_MIGRATION ? "ok" : "migrations-pending";
}

export async function loader() {
  const headers = { "Cache-Control": "no-store" };
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      check(),
      new Promise<"timeout">((r) => {
        timer = setTimeout(() => r("timeout"), TIMEOUT_MS);
      }),
    ]);
    if (result === "ok") return Response.json({ status: "ok", database: dbKind() }, { headers });
    return Response.json({ status: "error", database: result }, { status: 503, headers });
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  } finally {
    clearTimeout(timer);
  }
}
