// Test helper for tests/pilot-server.test.ts: issues one certificate in the configured
// database (the server stopped: the embedded database belongs to one process) through the
// real code paths, and prints it as JSON: { code, signature, kid }.
import { eq } from "drizzle-orm";
import { closeDb, db, dbReady } from "~/db.server";
import { certificates } from "~/db/schema";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { almostCertified, newKader } from "../certification-helpers";

await dbReady();
await syncModuleVersions();
const kader = await newKader({ name: process.argv[2] ?? "Kader Uji" });
await almostCertified(kader.id);
const [c] = await db.select().from(certificates).where(eq(certificates.userId, kader.id));
console.log(JSON.stringify({ code: c?.code, signature: c?.signature, kid: c?.payload.kid }));
await closeDb();
