/**
 * `npm run backup` / `npm run restore` for the embedded database: a backup restored into
 * a fresh database has the same rows and certificates whose signatures still verify
 * (the signing key travels with the backup). PostgreSQL backups are pg_dump (README).
 */
import { createPublicKey, verify } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BACKUP_FILES, openBackup, restoreBackup, writeBackup } from "~/backup.server";
import { db } from "~/db.server";
import { certificates, users } from "~/db/schema";
import { env } from "~/env.server";
import { canonicalPayload } from "~/features/certification/signing.server";
import { rowsOf } from "~/db.server";
import { almostCertified, newKader } from "./certification-helpers";
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
    const { bytes } = await writeBackup(dir);
    expect(bytes).toBeGreaterThan(1000);
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
  }, 60_000);
});
