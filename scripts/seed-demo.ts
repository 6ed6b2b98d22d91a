// Demo data into the configured database. Refused in production and outside the demo mode
// (seedDemo itself also refuses a database stamped pilot or production).
import { closeDb, dbReady } from "~/db.server";
import { demoAccountsTable, seedDemo } from "~/demo/demo.server";
import { env } from "~/env.server";
import { seedRegionsIfEmpty } from "~/features/regions/regions.server";

if (env().NODE_ENV === "production" || !env().DEMO) {
  console.error(
    `Data demo hanya untuk mode demo (sekarang AKADEMI_MODE=${env().MODE}, NODE_ENV=${env().NODE_ENV}): data dan akun demo tidak boleh masuk ke basis data sungguhan.`,
  );
  process.exit(1);
}
await dbReady();
await seedRegionsIfEmpty();
const result = await seedDemo();
console.log(result ? `Data demo dibuat: ${result.posyandu} posyandu, ${result.kader} kader.` : "Data demo sudah ada.");
console.log(demoAccountsTable());
await closeDb();
