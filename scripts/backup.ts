// Backup of the embedded database: npm run backup [-- <folder>]
// (default: backups/akademi-<date-time>). Stop the server first. PostgreSQL: see README.
import path from "node:path";
import { writeBackup } from "~/backup.server";
import { DataDirLockedError } from "~/data-dir-lock.server";
import { closeDb } from "~/db.server";

const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
const out = path.resolve(process.argv[2] ?? `backups/akademi-${stamp}`);
try {
  const r = await writeBackup(out);
  console.log(
    `Cadangan ditulis ke ${r.dir} (basis data ${Math.round(r.bytes / 1024)} KB, kunci tanda tangan sertifikat, rahasia sesi) ` +
      `dan diperiksa: dipulihkan ke folder sementara, ${r.tables} tabel dan ${r.rows} baris sama dengan aslinya.`,
  );
} catch (e) {
  console.error(
    e instanceof DataDirLockedError && e.holder
      ? `Cadangan tidak dibuat: DATA_DIR ${e.dir} sedang dipakai (${e.holder}). ` +
          "Hentikan server dulu (cadangan dari basis data yang sedang dipakai tidak dapat dipulihkan), jalankan npm run backup, lalu nyalakan server lagi."
      : (e as Error).message,
  );
  process.exitCode = 1;
} finally {
  await closeDb();
}
