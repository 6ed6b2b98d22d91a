import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/env.server";

const PG = "postgres://app:pw@127.0.0.1:5432/akademi";
const GOOD_SECRET = "3f9c1e7a5b2d4f6081a9c3e5b7d9f1a2c4e6b8d0f2a4c6e8";

describe("environment", () => {
  it("production with a database refuses to start without a secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG })).toThrow(EnvError);
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG })).toThrow(/SESSION_SECRET wajib diisi/);
  });

  it("production refuses a placeholder or short secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: "change-me" })).toThrow(/nilai contoh/);
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: "ganti-dengan-rahasia-acak-minimal-32-karakter" })).toThrow(EnvError);
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: GOOD_SECRET }).SESSION_SECRET).toBe(GOOD_SECRET);
  });

  it("lists invalid values readably", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "abc" })).toThrow(/Konfigurasi lingkungan tidak valid:\n  - DATABASE_URL: .*\n  - PORT:/);
  });

  it("demo mode (no DATABASE_URL) generates one random secret and keeps it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-env-"));
    const a = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    const b = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    expect(a.DEMO).toBe(true);
    expect(a.SESSION_SECRET).toHaveLength(64);
    expect(b.SESSION_SECRET).toBe(a.SESSION_SECRET);
    expect(readFileSync(path.join(dir, "session-secret"), "utf8")).toBe(a.SESSION_SECRET);
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: GOOD_SECRET }).DEMO).toBe(false);
  });
});
