// Applies pending migrations to the configured database (DATABASE_URL or PGlite).
import { closeDb, dbKind, dbReady } from "~/db.server";

await dbReady();
console.log(`Migrasi selesai (${dbKind()}).`);
await closeDb();
