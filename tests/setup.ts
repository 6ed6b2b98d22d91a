/**
 * Runs before each test file. On PostgreSQL (DATABASE_URL set) every test file gets a
 * throw-away database of its own; on PGlite each file has its own in-memory database.
 * With DATABASE_REPLICA_URL (a streaming replica of that cluster, CI's replica pass) the
 * same database on the replica serves the report reads.
 */
import { afterAll } from "vitest";
import postgres from "postgres";

const adminUrl = process.env.DATABASE_URL;
let dbName: string | undefined;

if (adminUrl) {
  dbName = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
  // The replica (CI's replica pass) holds the same database once the primary has created it.
  if (process.env.DATABASE_REPLICA_URL) {
    const replica = new URL(process.env.DATABASE_REPLICA_URL);
    replica.pathname = `/${dbName}`;
    process.env.DATABASE_REPLICA_URL = replica.toString();
  }
}

afterAll(async () => {
  const { closeDb } = await import("~/db.server");
  await closeDb();
  if (adminUrl && dbName) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
});
