// Demo data into the configured database. Refused in production.
import { closeDb, dbReady } from "~/db.server";
import { demoAccountsTable, seedDemo } from "~/demo/demo.server";
import { env } from "~/env.server";
import { seedRegionsIfEmpty } from "~/features/regions/regions.server";

if (env().NODE_ENV === "production") {
  console.error("Data demo tidak boleh dibuat di produksi (NODE_ENV=production).");
  process.exit(1);
}
await dbReady();
await seedRegionsIfEmpty();
const result = await seedDemo();
console.log(result ? `Data demo dibuat: ${result.posyandu} posyandu, ${result.kader} kader.` : "Data demo sudah ada.");
console.log(demoAccountsTable());
await closeDb();
