// Imports region boundaries (GeoJSON). Without a file: the bundled ones that are missing (38
// provinces, every kabupaten/kota, Kalimantan Timur's kecamatan); an existing boundary is kept.
// With a file: that file, e.g. another province's kecamatan (replaces those codes):
//   npm run boundaries:import [-- path/to/file.geojson]
import { readFileSync } from "node:fs";
import { closeDb, dbReady } from "~/db.server";
import { importBoundaries, seedBundledBoundaries } from "~/features/regions/boundaries.server";

const file = process.argv[2];
if (file === "--help" || file === "-h") {
  console.log(
    "Pemakaian: npm run boundaries:import  (batas bawaan yang belum ada: 38 provinsi, semua kabupaten/kota, kecamatan Kalimantan Timur)\n" +
      "           npm run boundaries:import -- berkas.geojson  (FeatureCollection; properti code = kode Kemendagri)",
  );
  process.exit(0);
}
await dbReady();
let result: { imported: number; errors: string[] };
if (file) result = await importBoundaries(readFileSync(file, "utf8"));
else {
  try {
    result = { imported: await seedBundledBoundaries(), errors: [] };
  } catch (e) {
    result = { imported: 0, errors: [(e as Error).message] };
  }
}
await closeDb();
if (result.errors.length) {
  // A bundled file is checked whole before it is written; an error here is a broken checkout.
  console.error(
    (file ? "Impor dibatalkan, tidak ada data yang diubah:\n" : "Impor gagal:\n") + result.errors.join("\n"),
  );
  process.exit(1);
}
console.log(
  file
    ? `Impor selesai: batas ${result.imported} wilayah.`
    : `Impor batas bawaan selesai: ${result.imported} wilayah baru (yang sudah ada tidak diubah).`,
);
