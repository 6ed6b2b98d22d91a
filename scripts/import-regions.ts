// Imports regions of another province: npm run regions:import -- path/to/file.csv
import { readFileSync } from "node:fs";
import { closeDb, dbReady } from "~/db.server";
import { importRegions } from "~/features/regions/regions.server";

const file = process.argv[2];
if (!file) {
  console.error("Pemakaian: npm run regions:import -- berkas.csv  (kolom: code,name,level,parent_code)");
  process.exit(2);
}
await dbReady();
const result = await importRegions(readFileSync(file, "utf8"), null);
await closeDb();
if (result.errors.length) {
  console.error("Impor dibatalkan, tidak ada data yang diubah:\n" + result.errors.join("\n"));
  process.exit(1);
}
console.log(`Impor selesai: ${result.inserted} wilayah baru, ${result.updated} diperbarui.`);
