// Backup of the embedded database: npm run backup [-- <folder>]
// (default: backups/akademi-<date-time>). Stop the server first. PostgreSQL: see README.
import path from "node:path";
import { writeBackup } from "~/backup.server";
import { closeDb } from "~/db.server";

const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
const out = path.resolve(process.argv[2] ?? `backups/akademi-${stamp}`);
try {
  const r = await writeBackup(out);
  console.log(
    `Cadangan ditulis ke ${r.dir} (basis data ${Math.round(r.bytes / 1024)} KB, kunci tanda tangan sertifikat, rahasia sesi).`,
  );
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  await closeDb();
}
