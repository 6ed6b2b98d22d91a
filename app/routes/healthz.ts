import { sql } from "drizzle-orm";
import { db, dbKind, dbReady } from "~/db.server";

export async function loader() {
  try {
    await dbReady();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", database: dbKind() }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json(
      { status: "error", database: "unreachable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
