/**
 * Backups of the embedded database (demo / small installations without DATABASE_URL).
 *
 * A backup is one directory: `pglite.tar.gz` (the PGlite data directory, dumpDataDir),
 * `cert-signing-key.pem` (without it restored certificates no longer verify) and
 * `session-secret`. Take it with the server stopped (PGlite belongs to one process).
 * Restore writes a fresh DATA_DIR/pglite from it and puts the two files back.
 * PostgreSQL: pg_dump -Fc / pg_restore plus the CERT_SIGNING_KEY (README).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { dumpEmbeddedDb } from "~/db.server";
import { env } from "~/env.server";

export const BACKUP_FILES = { db: "pglite.tar.gz", key: "cert-signing-key.pem", secret: "session-secret" } as const;

/** Writes a backup directory; returns its path and the size of the database dump. */
export async function writeBackup(outDir: string): Promise<{ dir: string; bytes: number }> {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  if (readdirSync(outDir).length) throw new Error(`Folder cadangan ${outDir} tidak kosong.`);
  const blob = await dumpEmbeddedDb();
  const bytes = Buffer.from(await blob.arrayBuffer());
  writeFileSync(path.join(outDir, BACKUP_FILES.db), bytes, { mode: 0o600 });
  const e = env();
  writeFileSync(path.join(outDir, BACKUP_FILES.key), e.CERT_SIGNING_KEY, { mode: 0o600 });
  writeFileSync(path.join(outDir, BACKUP_FILES.secret), e.SESSION_SECRET, { mode: 0o600 });
  return { dir: outDir, bytes: bytes.length };
}

/**
 * Opens a backup's database: in memory (`dataDir` undefined, for checks) or into a new
 * data directory, which must not exist yet.
 */
export async function openBackup(backupDir: string, dataDir?: string): Promise<PGlite> {
  const file = path.join(backupDir, BACKUP_FILES.db);
  if (!existsSync(file)) throw new Error(`Berkas ${file} tidak ada: bukan folder cadangan Akademi Posyandu.`);
  if (dataDir && existsSync(dataDir) && readdirSync(dataDir).length) {
    throw new Error(
      `${dataDir} sudah berisi basis data: pindahkan dulu (atau pakai DATA_DIR baru) sebelum memulihkan.`,
    );
  }
  // loadDataDir needs a named data directory ("memory://" for in memory).
  const db = new PGlite(dataDir ?? "memory://", { loadDataDir: new Blob([readFileSync(file)]) });
  await db.waitReady;
  return db;
}

/** Restores a backup into DATA_DIR (pglite/ and the two key files). */
export async function restoreBackup(backupDir: string, dataDir = env().DATA_DIR): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const db = await openBackup(backupDir, path.resolve(dataDir, "pglite"));
  await db.close();
  for (const f of [BACKUP_FILES.key, BACKUP_FILES.secret]) {
    const from = path.join(backupDir, f);
    if (existsSync(from)) copyFileSync(from, path.join(dataDir, f));
  }
}
