// Restores an embedded-database backup into DATA_DIR: npm run restore -- <folder>
// DATA_DIR/pglite must not exist yet (move the old one away first).
import { restoreBackup } from "~/backup.server";
import { env } from "~/env.server";

const from = process.argv[2];
if (!from) {
  console.error("Pemakaian: npm run restore -- <folder cadangan>");
  process.exit(2);
}
try {
  await restoreBackup(from);
  console.log(`Cadangan ${from} dipulihkan ke ${env().DATA_DIR}. Jalankan server seperti biasa.`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
