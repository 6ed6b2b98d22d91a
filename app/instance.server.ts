/**
 * What this database is (AKADEMI_MODE, app/lib/modes.ts), stamped at its first start: demo
 * data and the demo accounts never go into a pilot or production database, and a demo
 * database never serves as a real one (the demo seed empties a half-made database before
 * it starts again: on real data that would be a disaster).
 */
import { eq, sql } from "drizzle-orm";
import { type Conn, db, dbKind, sqlRows } from "~/db.server";
import { instance } from "~/db/schema";
import { EnvError } from "~/env.server";
import type { InstanceMode } from "~/lib/modes";

const MODE_LABEL: Record<InstanceMode, string> = {
  demo: "demo (data dan akun demo)",
  pilot: "pilot (basis data tertanam tanpa data demo)",
  production: "produksi (PostgreSQL)",
};

function conflict(stored: InstanceMode, wanted: InstanceMode): EnvError {
  const hint =
    stored === "demo"
      ? "Untuk pilot pakai DATA_DIR lain yang masih kosong (basis data demo tidak dapat dijadikan basis data sungguhan)."
      : "Data demo tidak boleh masuk ke basis data ini; untuk demo pakai DATA_DIR lain.";
  return new EnvError(
    `Basis data ini dibuat untuk mode ${MODE_LABEL[stored]}, bukan ${MODE_LABEL[wanted]} (AKADEMI_MODE). ${hint}`,
  );
}

/**
 * A database from before the stamp: one with the demo's marker or, on the embedded database
 * (which knew only the demo then), any account is a demo; PostgreSQL with accounts is production.
 */
async function legacyMode(conn: Conn): Promise<InstanceMode | null> {
  const [row] = await sqlRows<{ demo: boolean; accounts: boolean }>(
    sql`select exists (select 1 from audit_log where action = 'demo.seeded') as demo,
               exists (select 1 from users) as accounts`,
    conn,
  );
  if (row.demo) return "demo";
  if (!row.accounts) return null;
  return dbKind() === "pglite" ? "demo" : "production";
}

/** The stamp, or null on a database that has none yet. */
export async function instanceMode(conn: Conn = db): Promise<InstanceMode | null> {
  const [row] = await conn.select({ mode: instance.mode }).from(instance).where(eq(instance.id, 1));
  return row?.mode ?? null;
}

/**
 * Stamps the database with `mode` at its first start, or refuses (EnvError, one line) when
 * it was made for another mode. Called at boot, by the demo seed and by `npm run setup`.
 */
export async function claimInstanceMode(mode: InstanceMode): Promise<void> {
  let stored = await instanceMode();
  if (!stored) {
    const legacy = await legacyMode(db);
    if (legacy && legacy !== mode) throw conflict(legacy, mode);
    await db.insert(instance).values({ id: 1, mode }).onConflictDoNothing();
    stored = await instanceMode(); // another process may have stamped it first
  }
  if (stored !== mode) throw conflict(stored ?? mode, mode);
}
