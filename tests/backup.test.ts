/**
 * `npm run backup` / `npm run restore` for the embedded database: a backup restored into
 * a fresh database has the same rows and certificates whose signatures still verify
 * (the signing key travels with the backup). A backup beside a running server is refused;
 * every backup is checked by a restore before it is reported written; a backup that does
 * not restore leaves DATA_DIR as it was. PostgreSQL backups are pg_dump (README).
 */
import { createPublicKey, verify } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKUP_FILES, openBackup, restoreBackup, writeBackup } from "~/backup.server";
import { db } from "~/db.server";
import { certificates, users } from "~/db/schema";
import { env } from "~/env.server";
import { canonicalPayload } from "~/features/certification/signing.server";
import { rowsOf } from "~/db.server";
import { almostCertified, newKader } from "./certification-helpers";
import { embeddedEnv, runTsx, startHolder, type Holder } from "./data-dir-process";
import { setupDatabase } from "./helpers";

const embedded = !process.env.DATABASE_URL;

beforeAll(async () => {
  await setupDatabase();
});

describe.skipIf(!embedded)("backup and restore of the embedded database", () => {
  it("restores the same rows and valid certificate signatures into a fresh database", async () => {
    const kader = await newKader({ name: "Rahmawati" });
    await almostCertified(kader.id);
    const certs = await db.select().from(certificates);
    expect(certs.length).toBeGreaterThan(0);
    const people = await db
      .select({ id: users.id, name: users.name, phone: users.phone })
      .from(users)
      .orderBy(users.id);

    const dir = path.join(mkdtempSync(path.join(tmpdir(), "akademi-backup-")), "cadangan");
    const { bytes, tables, rows } = await writeBackup(dir);
    expect(bytes).toBeGreaterThan(1000);
    // Checked by a restore: every table, as many rows as the database had.
    expect(tables).toBeGreaterThan(30);
    expect(rows).toBeGreaterThan(1000);
    expect(readdirSync(path.dirname(dir))).toEqual(["cadangan"]); // nothing else left beside it
    await expect(writeBackup(dir)).rejects.toThrow(/tidak kosong/);

    // A fresh database from the backup (in memory), checked with the key from the backup.
    const restored = await openBackup(dir);
    const rUsers = rowsOf<{ id: string; name: string; phone: string }>(
      await restored.query("select id, name, phone from users order by id"),
    );
    expect(rUsers).toEqual(people);
    const rCerts = rowsOf<{ code: string; payload: Record<string, string>; signature: string }>(
      await restored.query("select code, payload, signature from certificates order by code"),
    );
    expect(rCerts.map((c) => c.code)).toEqual(certs.map((c) => c.code).sort());
    const key = readFileSync(path.join(dir, BACKUP_FILES.key), "utf8");
    expect(key).toBe(env().CERT_SIGNING_KEY);
    const publicKey = createPublicKey(key);
    for (const c of rCerts) {
      expect(verify(null, canonicalPayload(c.payload), publicKey, Buffer.from(c.signature, "base64url")), c.code).toBe(
        true,
      );
    }
    await restored.close();

    // npm run restore: into a new DATA_DIR; refuses to overwrite a database.
    const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-restore-"));
    await restoreBackup(dir, dataDir);
    expect(existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    expect(readFileSync(path.join(dataDir, BACKUP_FILES.key), "utf8")).toBe(key);
    await expect(restoreBackup(dir, dataDir)).rejects.toThrow(/sudah berisi basis data/);
    expect(readdirSync(dataDir).sort()).toEqual([BACKUP_FILES.key, "pglite", BACKUP_FILES.secret].sort());
  }, 60_000);

  it("a backup that would not restore as it was is not written", async () => {
    // Rows a restore does not bring back (an unlogged table is emptied when a copy of a
    // running database is opened): the check compares every table with the original.
    await db.execute(sql`create unlogged table cadangan_uji (x int)`);
    await db.execute(sql`insert into cadangan_uji select generate_series(1, 5)`);
    try {
      const parent = mkdtempSync(path.join(tmpdir(), "akademi-backup-"));
      const dir = path.join(parent, "cadangan");
      await expect(writeBackup(dir)).rejects.toThrow(
        /^Cadangan tidak dibuat: salinan yang baru ditulis tidak dapat dipulihkan: isinya tidak sama dengan aslinya \(public\.cadangan_uji: 5 baris, setelah dipulihkan 0\)/,
      );
      expect(readdirSync(parent)).toEqual([]); // neither the backup nor its temporary copies
    } finally {
      await db.execute(sql`drop table cadangan_uji`);
    }
  }, 60_000);

  it("a damaged backup restores nothing: DATA_DIR stays as it was", async () => {
    const good = path.join(mkdtempSync(path.join(tmpdir(), "akademi-backup-")), "cadangan");
    await writeBackup(good);
    const tarball = readFileSync(path.join(good, BACKUP_FILES.db));
    const tar = gunzipSync(tarball);
    const copy = (name: string, db: Buffer, manifest?: (m: { tables: Record<string, number> }) => void) => {
      const dir = path.join(path.dirname(good), name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, BACKUP_FILES.db), db);
      for (const f of [BACKUP_FILES.key, BACKUP_FILES.secret]) {
        writeFileSync(path.join(dir, f), readFileSync(path.join(good, f)));
      }
      const m = JSON.parse(readFileSync(path.join(good, BACKUP_FILES.manifest), "utf8"));
      manifest?.(m);
      writeFileSync(path.join(dir, BACKUP_FILES.manifest), JSON.stringify(m));
      return dir;
    };
    // A relation file overwritten with garbage (8 KB right after its tar header).
    const garbled = Buffer.from(tar);
    const [{ file }] = rowsOf<{ file: string }>(await db.execute(sql`select pg_relation_filepath('users') as file`));
    const at = garbled.indexOf(Buffer.from(file));
    expect(at).toBeGreaterThan(0);
    garbled.fill(0x41, at - (at % 512) + 512, at - (at % 512) + 512 + 8192);
    const damaged = [
      {
        dir: copy("terpotong", tarball.subarray(0, Math.floor(tarball.length / 2))),
        why: /rusak \(unexpected end of file\)/,
      },
      { dir: copy("setengah-tar", gzipSync(tar.subarray(0, Math.floor(tar.length / 2)))), why: /tidak dapat dibuka/ },
      { dir: copy("rusak", gzipSync(garbled)), why: /tidak dapat (dibuka|dibaca)/ },
      {
        dir: copy("kurang", tarball, (m) => {
          m.tables["public.users"] += 1;
        }),
        why: /isinya tidak sama dengan aslinya \(public\.users: \d+ baris, setelah dipulihkan \d+\)/,
      },
    ];
    const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-restore-"));
    writeFileSync(path.join(dataDir, BACKUP_FILES.key), "kunci lama");
    for (const d of damaged) {
      await expect(restoreBackup(d.dir, dataDir), d.dir).rejects.toThrow(
        new RegExp(`^Cadangan ${d.dir} tidak dapat dipulihkan: .*${d.why.source}.*\\. ${dataDir} tidak diubah\\.$`),
      );
      expect(readdirSync(dataDir), d.dir).toEqual([BACKUP_FILES.key]);
      expect(readFileSync(path.join(dataDir, BACKUP_FILES.key), "utf8")).toBe("kunci lama");
    }
    // The good one restores (the old, different key kept beside the restored one).
    await restoreBackup(good, dataDir);
    expect(readdirSync(dataDir).filter((f) => f.startsWith(`${BACKUP_FILES.key}.sebelum-pulih-`))).toHaveLength(1);
    expect(readFileSync(path.join(dataDir, BACKUP_FILES.key), "utf8")).toBe(env().CERT_SIGNING_KEY);
  }, 120_000);
});

describe("backup beside a running server", () => {
  const holders: Holder[] = [];
  afterAll(async () => {
    for (const h of holders) await h.stop("SIGKILL");
  });

  it("is refused (stop the server first); after the stop it is written, checked, and restores", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-backup-live-"));
    const holder = await startHolder(dataDir, { npm_lifecycle_event: "start", PORT: "3999" });
    holders.push(holder);
    const out = path.join(mkdtempSync(path.join(tmpdir(), "akademi-backup-out-")), "cadangan");
    const refused = await runTsx("scripts/backup.ts", [out], embeddedEnv(dataDir, { npm_lifecycle_event: "backup" }));
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    const lines = refused.stderr.trim().split("\n");
    expect(lines, refused.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Cadangan tidak dibuat: DATA_DIR .* sedang dipakai \\(pid ${holder.pid}: npm start, port 3999, sejak .*\\)\\. Hentikan server dulu`,
      ),
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(path.dirname(out))).toEqual([]);

    // The server stopped: the backup is written and checked; it restores into a new DATA_DIR.
    await holder.stop("SIGTERM");
    const written = await runTsx("scripts/backup.ts", [out], embeddedEnv(dataDir, { npm_lifecycle_event: "backup" }));
    expect(written.code, written.stdout + written.stderr).toBe(0);
    expect(written.stdout).toMatch(
      /^Cadangan ditulis ke .* dan diperiksa: dipulihkan ke folder sementara, \d+ tabel dan \d+ baris sama dengan aslinya\.$/m,
    );
    const restoredDir = mkdtempSync(path.join(tmpdir(), "akademi-restore-"));
    const restored = await runTsx(
      "scripts/restore.ts",
      [out],
      embeddedEnv(restoredDir, { npm_lifecycle_event: "restore" }),
    );
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    const ticks = await runTsx("scripts/migrate.ts", [], embeddedEnv(restoredDir));
    expect(ticks.code, ticks.stdout + ticks.stderr).toBe(0);
    const check = await openBackup(out);
    const [n] = rowsOf<{ n: number }>(await check.query("select count(*)::int as n from hold_ticks"));
    await check.close();
    expect(n.n).toBeGreaterThan(0);
  }, 240_000);
});
