/**
 * Backups of the embedded database (demo / small installations without DATABASE_URL).
 *
 * A backup is one directory: `pglite.tar.gz` (the PGlite data directory, dumpDataDir),
 * `cert-signing-key.pem` (without it restored certificates no longer verify),
 * `session-secret` and `isi.json` (the row count of every table at the time of the backup).
 *
 * The server must be stopped: PGlite belongs to one process, and the DATA_DIR lock
 * (data-dir-lock.server.ts) refuses a backup beside a running server ("hentikan server
 * dulu"). Not taken through the running server instead: that would need an endpoint that
 * hands out the whole database and the signing key, and stopping an embedded installation
 * takes seconds; installations that cannot stop use PostgreSQL and pg_dump (README).
 *
 * Every backup is checked before it is reported written: restored into a temporary
 * directory, every table read whole and its row count compared with isi.json. It is
 * written under a temporary name and renamed into place only when the check passes.
 * A restore works the same way: into a temporary directory beside DATA_DIR/pglite, checked,
 * then renamed into place; a backup that does not restore leaves DATA_DIR as it was.
 * PostgreSQL: pg_dump -Fc / pg_restore plus the CERT_SIGNING_KEY (README).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { lockDataDir, releaseDataDir } from "~/data-dir-lock.server";
import { db, dbKind, dbReady, dumpEmbeddedDb, rowsOf } from "~/db.server";
import { env } from "~/env.server";

export const BACKUP_FILES = {
  db: "pglite.tar.gz",
  key: "cert-signing-key.pem",
  secret: "session-secret",
  manifest: "isi.json",
} as const;

interface Manifest {
  v: 1;
  createdAt: string;
  /** Rows per table ("schema.table"). */
  tables: Record<string, number>;
}

export interface BackupCheck {
  tables: number;
  rows: number;
}

/** A backup that cannot be written or restored; the message is the one line to show. */
export class BackupError extends Error {}

type Query = (text: string) => Promise<unknown>;

/**
 * Rows per table of the schemas the app writes (public, and drizzle's migration journal).
 * Sequential scans only: every page of every table is read, so a damaged file fails here.
 */
async function tableCounts(query: Query): Promise<Record<string, number>> {
  await query("set enable_indexscan = off");
  await query("set enable_indexonlyscan = off");
  await query("set enable_bitmapscan = off");
  const tables = rowsOf<{ s: string; t: string }>(
    await query(
      "select schemaname as s, tablename as t from pg_tables where schemaname in ('public', 'drizzle') order by 1, 2",
    ),
  );
  const counts: Record<string, number> = {};
  for (const { s, t } of tables) {
    const [r] = rowsOf<{ n: number }>(await query(`select count(*)::int as n from "${s}"."${t}"`));
    counts[`${s}.${t}`] = r.n;
  }
  return counts;
}

function readManifest(backupDir: string): Manifest | null {
  const file = path.join(backupDir, BACKUP_FILES.manifest);
  if (!existsSync(file)) return null; // a backup from before isi.json: checked by reading every table
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    if (m.v === 1 && m.tables && typeof m.tables === "object") return m;
  } catch {
    // reported below
  }
  throw new BackupError(`Berkas ${file} rusak.`);
}

/** The tarball, decompressed here so a damaged file is an error, not a crash inside PGlite. */
function readTarball(backupDir: string): Buffer {
  const file = path.join(backupDir, BACKUP_FILES.db);
  if (!existsSync(file)) throw new BackupError(`Berkas ${file} tidak ada: bukan folder cadangan Akademi Posyandu.`);
  try {
    return gunzipSync(readFileSync(file));
  } catch (e) {
    throw new BackupError(`Berkas ${file} rusak (${(e as Error).message}).`);
  }
}

/**
 * Opens a backup's database: in memory (`dataDir` undefined) or into `dataDir`, which must
 * not exist yet or be empty. The caller closes it.
 */
export async function openBackup(backupDir: string, dataDir?: string): Promise<PGlite> {
  const tar = readTarball(backupDir);
  if (dataDir && existsSync(dataDir) && readdirSync(dataDir).length) {
    throw new BackupError(
      `${dataDir} sudah berisi basis data: pindahkan dulu (atau pakai DATA_DIR baru) sebelum memulihkan.`,
    );
  }
  // loadDataDir needs a named data directory ("memory://" for in memory).
  const pg = new PGlite(dataDir ?? "memory://", { loadDataDir: new Blob([tar as Uint8Array<ArrayBuffer>]) });
  try {
    await pg.waitReady;
  } catch (e) {
    await pg.close().catch(() => {});
    throw new BackupError(`basis data di dalamnya tidak dapat dibuka (${(e as Error).message})`);
  }
  return pg;
}

/**
 * Restores the backup into `dataDir` (a new, temporary directory) and checks it: every
 * table read whole, row counts equal to isi.json. Leaves the restored database there
 * (closed); throws BackupError (nothing else) when the backup does not restore.
 */
async function restoreAndCheck(backupDir: string, dataDir: string): Promise<BackupCheck> {
  const manifest = readManifest(backupDir);
  const pg = await openBackup(backupDir, dataDir);
  try {
    const counts = await tableCounts((q) => pg.query(q)).catch((e: Error) => {
      throw new BackupError(`sebuah tabel tidak dapat dibaca (${e.message})`);
    });
    if (manifest) {
      const wrong = Object.entries(manifest.tables)
        .filter(([t, n]) => counts[t] !== n)
        .map(([t, n]) => `${t}: ${n} baris, setelah dipulihkan ${counts[t] ?? "tidak ada"}`);
      if (wrong.length) throw new BackupError(`isinya tidak sama dengan aslinya (${wrong.slice(0, 3).join("; ")})`);
    }
    return { tables: Object.keys(counts).length, rows: Object.values(counts).reduce((a, b) => a + b, 0) };
  } finally {
    await pg.close();
  }
}

/** Checks a backup directory by restoring it into a temporary directory (removed after). */
export async function verifyBackup(
  backupDir: string,
  scratch = path.dirname(path.resolve(backupDir)),
): Promise<BackupCheck> {
  const tmp = path.join(scratch, `.periksa-cadangan-${process.pid}-${Date.now()}`);
  try {
    return await restoreAndCheck(backupDir, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Writes a backup directory (which must not exist or be empty): the dump and the two keys
 * under a temporary name beside it, checked by a restore into a temporary directory, then
 * renamed into place. Throws BackupError with the reason when the backup cannot be made
 * or does not restore; nothing is left behind then.
 */
export async function writeBackup(outDir: string): Promise<{ dir: string; bytes: number } & BackupCheck> {
  const dir = path.resolve(outDir);
  if (existsSync(dir) && readdirSync(dir).length) throw new BackupError(`Folder cadangan ${dir} tidak kosong.`);
  if (dbKind() !== "pglite")
    throw new BackupError(
      "Cadangan bawaan hanya untuk basis data tertanam (PGlite); untuk PostgreSQL gunakan pg_dump.",
    );
  await dbReady();
  // This process holds DATA_DIR (the lock): nothing writes between the counts and the dump.
  const tables = await tableCounts((q) => db.execute(sql.raw(q)));
  await db.execute(sql`checkpoint`);
  const bytes = Buffer.from(await (await dumpEmbeddedDb()).arrayBuffer());
  mkdirSync(path.dirname(dir), { recursive: true });
  const stage = `${dir}.sebagian-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { mode: 0o700 });
  try {
    const e = env();
    const manifest: Manifest = { v: 1, createdAt: new Date().toISOString(), tables };
    writeFileSync(path.join(stage, BACKUP_FILES.db), bytes, { mode: 0o600 });
    writeFileSync(path.join(stage, BACKUP_FILES.key), e.CERT_SIGNING_KEY, { mode: 0o600 });
    writeFileSync(path.join(stage, BACKUP_FILES.secret), e.SESSION_SECRET, { mode: 0o600 });
    writeFileSync(path.join(stage, BACKUP_FILES.manifest), JSON.stringify(manifest, null, 1), { mode: 0o600 });
    const check = await verifyBackup(stage).catch((err: Error) => {
      throw new BackupError(`Cadangan tidak dibuat: salinan yang baru ditulis tidak dapat dipulihkan: ${err.message}.`);
    });
    if (existsSync(dir)) rmSync(dir, { recursive: true }); // empty (checked above)
    renameSync(stage, dir);
    return { dir, bytes: bytes.length, ...check };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into DATA_DIR (pglite/ and the two key files). Refused while another
 * process holds DATA_DIR (the lock) and when DATA_DIR/pglite already holds a database.
 * The database is restored into a temporary directory and checked (restoreAndCheck);
 * only then are the keys put in place (an existing different key kept beside, as
 * `<name>.sebelum-pulih-<time>`) and the database renamed into DATA_DIR/pglite. A backup
 * that does not restore leaves DATA_DIR as it was.
 */
export async function restoreBackup(backupDir: string, dataDir = env().DATA_DIR): Promise<BackupCheck> {
  const dir = path.resolve(dataDir);
  lockDataDir(dir);
  try {
    const target = path.join(dir, "pglite");
    if (existsSync(target) && readdirSync(target).length) {
      throw new BackupError(
        `${target} sudah berisi basis data: pindahkan dulu (atau pakai DATA_DIR baru) sebelum memulihkan.`,
      );
    }
    const tmp = `${target}.pulih-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      const check = await restoreAndCheck(backupDir, tmp).catch((e: Error) => {
        throw new BackupError(`Cadangan ${backupDir} tidak dapat dipulihkan: ${e.message}. ${dir} tidak diubah.`);
      });
      const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
      for (const f of [BACKUP_FILES.key, BACKUP_FILES.secret]) {
        const from = path.join(backupDir, f);
        if (!existsSync(from)) continue;
        const to = path.join(dir, f);
        const content = readFileSync(from);
        if (existsSync(to) && !readFileSync(to).equals(content)) renameSync(to, `${to}.sebelum-pulih-${stamp}`);
        writeFileSync(`${to}.baru`, content, { mode: 0o600 });
        renameSync(`${to}.baru`, to);
      }
      if (existsSync(target)) rmSync(target, { recursive: true }); // empty (checked above)
      renameSync(tmp, target);
      return check;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    releaseDataDir(dir);
  }
}
