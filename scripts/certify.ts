// Re-evaluates the certification rule for every active kader of a region and issues
// the certificates that are due: npm run certify -- --region 64.08
// Idempotent: run it as often as you like (after an import of attendance, a change of
// programme.yaml, or to catch up after a failure).
import { content } from "~/features/catalogue/content.server";
import { closeDb, dbReady } from "~/db.server";
import { evaluateRegion } from "~/features/certification/evaluate.server";
import { isRegionCode } from "~/lib/region";
import { getRegion, seedRegionsIfEmpty } from "~/features/regions/regions.server";

const args = process.argv.slice(2);
const at = args.indexOf("--region");
const region = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith("--region="))?.slice("--region=".length);
if (!region || !isRegionCode(region)) {
  console.error("Pemakaian: npm run certify -- --region <kode wilayah>   (mis. --region 64.08)");
  process.exit(2);
}

content(); // a broken content/ stops here with file and field
await dbReady();
await seedRegionsIfEmpty();
const r = await getRegion(region);
if (!r) {
  console.error(`Wilayah ${region} tidak ditemukan.`);
  await closeDb();
  process.exit(2);
}
const t0 = performance.now();
const tty = process.stdout.isTTY;
const result = await evaluateRegion(region, {
  onBatch: tty ? (n) => process.stdout.write(`\r${n} kader dievaluasi…`) : undefined,
});
if (tty) process.stdout.write("\r");
console.log(
  `${r.name} (${region}): ${result.kader} kader aktif dievaluasi dalam ${Math.round(performance.now() - t0)} ms: ` +
    `${result.issued} sertifikat baru, ${result.valid} sudah bersertifikat, ${result.notYet} belum memenuhi syarat` +
    (result.failed.length ? `, ${result.failed.length} gagal.` : "."),
);
for (const f of result.failed.slice(0, 20)) console.error(`  gagal: ${f.userId}: ${f.error}`);
await closeDb();
process.exit(result.failed.length ? 1 : 0);
