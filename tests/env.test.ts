import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/env.server";

const PG = "postgres://app:pw@127.0.0.1:5432/akademi";
const APP_URL = "https://akademi.example.id";
const GOOD_SECRET = "3f9c1e7a5b2d4f6081a9c3e5b7d9f1a2c4e6b8d0f2a4c6e8";
const CERT_KEY = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();

describe("environment", () => {
  it("production with a database refuses to start without a secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG })).toThrow(EnvError);
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG })).toThrow(/SESSION_SECRET wajib diisi/);
  });

  it("production refuses a placeholder or short secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: "change-me" })).toThrow(
      /nilai contoh/,
    );
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: PG,
        SESSION_SECRET: "ganti-dengan-rahasia-acak-minimal-32-karakter",
      }),
    ).toThrow(EnvError);
    expect(
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: PG,
        APP_URL,
        SESSION_SECRET: GOOD_SECRET,
        CERT_SIGNING_KEY: CERT_KEY,
      }).SESSION_SECRET,
    ).toBe(GOOD_SECRET);
  });

  it("lists invalid values readably", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "abc" })).toThrow(
      /Konfigurasi lingkungan tidak valid:\n {2}- DATABASE_URL: .*\n {2}- PORT:/,
    );
  });

  it("demo mode (no DATABASE_URL) generates one random secret and keeps it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-env-"));
    const a = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    const b = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    expect(a.DEMO).toBe(true);
    expect(a.SESSION_SECRET).toHaveLength(64);
    expect(b.SESSION_SECRET).toBe(a.SESSION_SECRET);
    expect(readFileSync(path.join(dir, "session-secret"), "utf8")).toBe(a.SESSION_SECRET);
    expect(
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: PG,
        APP_URL,
        SESSION_SECRET: GOOD_SECRET,
        CERT_SIGNING_KEY: CERT_KEY,
      }).DEMO,
    ).toBe(false);
  });

  it("production with a database refuses to start without a certificate signing key, or with a wrong one", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: GOOD_SECRET })).toThrow(
      /CERT_SIGNING_KEY wajib diisi/,
    );
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    for (const bad of [
      "bukan-kunci",
      rsa,
      Buffer.from("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").toString("base64"),
    ]) {
      expect(() =>
        parseEnv({
          NODE_ENV: "production",
          DATABASE_URL: PG,
          APP_URL,
          SESSION_SECRET: GOOD_SECRET,
          CERT_SIGNING_KEY: bad,
        }),
      ).toThrow(/CERT_SIGNING_KEY tidak valid/);
    }
  });

  it("accepts the signing key as PEM or as base64 of the PEM", () => {
    const base = { NODE_ENV: "production", DATABASE_URL: PG, APP_URL, SESSION_SECRET: GOOD_SECRET };
    const fromPem = parseEnv({ ...base, CERT_SIGNING_KEY: CERT_KEY }).CERT_SIGNING_KEY;
    const fromB64 = parseEnv({ ...base, CERT_SIGNING_KEY: Buffer.from(CERT_KEY).toString("base64") }).CERT_SIGNING_KEY;
    expect(fromPem).toContain("BEGIN PRIVATE KEY");
    expect(fromB64).toBe(fromPem);
  });

  it("demo mode generates one signing key and keeps it in DATA_DIR", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-env-"));
    const a = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    const b = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    expect(a.CERT_SIGNING_KEY).toContain("BEGIN PRIVATE KEY");
    expect(b.CERT_SIGNING_KEY).toBe(a.CERT_SIGNING_KEY);
    expect(readFileSync(path.join(dir, "cert-signing-key.pem"), "utf8")).toBe(a.CERT_SIGNING_KEY);
  });

  it("production with a database refuses to start without APP_URL; the demo defaults it to this machine", () => {
    const prod = { NODE_ENV: "production", DATABASE_URL: PG, SESSION_SECRET: GOOD_SECRET, CERT_SIGNING_KEY: CERT_KEY };
    expect(() => parseEnv(prod)).toThrow(/APP_URL wajib diisi/);
    expect(() => parseEnv({ ...prod, APP_URL: "akademi.example.id" })).toThrow(/APP_URL/);
    expect(() => parseEnv({ ...prod, APP_URL: "javascript:alert(1)" })).toThrow(/APP_URL/);
    expect(parseEnv({ ...prod, APP_URL: "https://akademi.example.id/" }).APP_URL).toBe("https://akademi.example.id");
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-env-"));
    expect(parseEnv({ NODE_ENV: "production", DATA_DIR: dir, PORT: "4100" }).APP_URL).toBe("http://localhost:4100");
  });

  it("TRUST_PROXY is a hop count", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(() => parseEnv({ TRUST_PROXY: "10.0.0.0/8" })).toThrow(/TRUST_PROXY/);
  });
});
