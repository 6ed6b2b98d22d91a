// Imports region boundaries (GeoJSON) of another province: npm run boundaries:import -- path/to/file.geojson
import { readFileSync } from "node:fs";
import { closeDb, dbReady } from "~/db.server";
import { importBoundaries } from "~/features/regions/boundaries.server";

const file = process.argv[2];
if (!file) {
  console.error(
    "Pemakaian: npm run boundaries:import -- berkas.geojson  (FeatureCollection; properti code = kode Kemendagri)",
  );
  process.exit(2);
}
await dbReady();
const result = await importBoundaries(readFileSync(file, "utf8"));
await closeDb();
if (result.errors.length) {
  console.error("Impor dibatalkan, tidak ada data yang diubah:\n" + result.errors.join("\n"));
  process.exit(1);
}
console.log(`Impor selesai: batas ${result.imported} wilayah.`);
