// Imports regions. Without a file: the bundled ones (all of Indonesia down to kecamatan, and
// Kalimantan Timur's desa). With a file: that file, e.g. another province's desa:
//   npm run regions:import [-- path/to/file.csv]
import { readFileSync } from "node:fs";
import { closeDb, dbReady } from "~/db.server";
import { importBundledRegions, importRegions } from "~/features/regions/regions.server";

const file = process.argv[2];
if (file === "--help" || file === "-h") {
  console.log(
    "Pemakaian: npm run regions:import  (wilayah bawaan: seluruh Indonesia sampai kecamatan, desa Kalimantan Timur)\n" +
      "           npm run regions:import -- berkas.csv  (kolom: code,name,level,parent_code)",
  );
  process.exit(0);
}
await dbReady();
let result: { inserted: number; updated: number; errors: string[] };
if (file) result = await importRegions(readFileSync(file, "utf8"), null);
else {
  try {
    result = { ...(await importBundledRegions()), errors: [] };
  } catch (e) {
    result = { inserted: 0, updated: 0, errors: [(e as Error).message] };
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
  `Impor ${file ? "" : "wilayah bawaan "}selesai: ${result.inserted} wilayah baru, ${result.updated} diperbarui.`,
);
