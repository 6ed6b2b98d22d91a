// Restores an embedded-database backup into DATA_DIR: npm run restore -- <folder>
// DATA_DIR/pglite must not exist yet (move the old one away first); the server must be stopped.
import { restoreBackup } from "~/backup.server";
import { DataDirLockedError } from "~/data-dir-lock.server";
import { env } from "~/env.server";

const from = process.argv[2];
if (!from) {
  console.error("Pemakaian: npm run restore -- <folder cadangan>");
  process.exit(2);
}
try {
  const r = await restoreBackup(from);
  console.log(
    `Cadangan ${from} dipulihkan ke ${env().DATA_DIR} (${r.tables} tabel, ${r.rows} baris, diperiksa). Jalankan server seperti biasa.`,
  );
} catch (e) {
  console.error(
    e instanceof DataDirLockedError && e.holder
      ? `Cadangan tidak dipulihkan: DATA_DIR ${e.dir} sedang dipakai (${e.holder}). Hentikan server dulu, lalu ulangi.`
      : (e as Error).message,
  );
  process.exitCode = 1;
}
