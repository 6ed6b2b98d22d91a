import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv as parseDotEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { EnvError, loadDotEnv, parseEnv } from "~/env.server";

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

  it("lists invalid values readably, on one line", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "abc" })).toThrow(
      /^Konfigurasi lingkungan tidak valid: DATABASE_URL .*; PORT [^\n]*$/,
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

  it("production refuses a low-entropy secret (32 × 'a', a repeated pattern); random ones of 32 characters pass", () => {
    const prod = { NODE_ENV: "production", DATABASE_URL: PG, APP_URL, CERT_SIGNING_KEY: CERT_KEY };
    for (const weak of [
      "a".repeat(32),
      "a".repeat(64),
      "ab".repeat(16),
      "0123".repeat(10),
      "0123456789abcdef".repeat(2),
      "password".repeat(4),
      `${"a".repeat(40)}b`,
    ]) {
      expect(() => parseEnv({ ...prod, SESSION_SECRET: weak }), weak).toThrow(/SESSION_SECRET terlalu mudah ditebak/);
    }
    for (let i = 0; i < 500; i++) {
      for (const good of [
        randomBytes(16).toString("hex"),
        randomBytes(32).toString("hex"),
        randomBytes(24).toString("base64"),
      ]) {
        expect(parseEnv({ ...prod, SESSION_SECRET: good }).SESSION_SECRET).toBe(good);
      }
    }
  });
});

describe("every variable goes through the schema", () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), "akademi-env-"));

  it("a bad value is one line naming the variable (DB_POOL_SIZE=0 used to exit 13 silently, abc with a RangeError)", () => {
    const bad: [string, string][] = [
      ["DB_POOL_SIZE", "0"],
      ["DB_POOL_SIZE", "abc"],
      ["DB_POOL_SIZE", "-2"],
      ["DB_POOL_SIZE", "2.5"],
      ["DB_CONNECT_TIMEOUT", "0"],
      ["DB_CONNECT_TIMEOUT", "sepuluh"],
      ["WEB_CONCURRENCY", "0"],
      ["WEB_CONCURRENCY", "abc"],
      ["DB_PREPARE", "kadang"],
      ["COMPRESS", "ya"],
      ["DB_LOG", "2"],
      ["AKADEMI_MODE", "staging"],
    ];
    for (const [name, value] of bad) {
      let error: unknown;
      try {
        parseEnv({ DATA_DIR: dataDir(), [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error, `${name}=${value}`).toBeInstanceOf(EnvError);
      const message = (error as Error).message;
      expect(message, `${name}=${value}`).toContain(name);
      expect(message.split("\n"), `${name}=${value}`).toHaveLength(1);
    }
  });

  it("parsed values and defaults", () => {
    const d = parseEnv({ DATA_DIR: dataDir() });
    expect(d).toMatchObject({
      DB_POOL_SIZE: 10,
      DB_CONNECT_TIMEOUT: 10,
      DB_PREPARE: true,
      COMPRESS: true,
      DB_LOG: false,
      CONTENT_DIR: "content",
    });
    expect(d.WEB_CONCURRENCY).toBeUndefined();
    const s = parseEnv({
      DATA_DIR: dataDir(),
      DB_POOL_SIZE: "4",
      DB_CONNECT_TIMEOUT: "3",
      DB_PREPARE: "0",
      COMPRESS: "false",
      DB_LOG: "1",
      WEB_CONCURRENCY: "2",
    });
    expect(s).toMatchObject({
      DB_POOL_SIZE: 4,
      DB_CONNECT_TIMEOUT: 3,
      DB_PREPARE: false,
      COMPRESS: false,
      DB_LOG: true,
      WEB_CONCURRENCY: 2,
    });
  });

  it("empty means unset", () => {
    const keys = [
      "DATABASE_URL",
      "DATABASE_REPLICA_URL",
      "SESSION_SECRET",
      "PORT",
      "APP_URL",
      "CERT_SIGNING_KEY",
      "TRUST_PROXY",
      "DB_POOL_SIZE",
      "DB_CONNECT_TIMEOUT",
      "DB_PREPARE",
      "COMPRESS",
      "WEB_CONCURRENCY",
      "AKADEMI_MODE",
      "CONTENT_DIR",
    ];
    const dir = dataDir();
    const e = parseEnv({ NODE_ENV: "production", DATA_DIR: dir, ...Object.fromEntries(keys.map((k) => [k, ""])) });
    expect(e).toMatchObject({ MODE: "demo", DEMO: true, PORT: 3000, DB_POOL_SIZE: 10, TRUST_PROXY: 0, COMPRESS: true });
    expect(e.SESSION_SECRET).toBe(readFileSync(path.join(dir, "session-secret"), "utf8"));
  });

  it(".env.example, copied as it is, keeps the demo (npm start)", () => {
    const example = parseDotEnv(readFileSync(".env.example", "utf8"));
    const e = parseEnv({ ...example, NODE_ENV: example.NODE_ENV || "production", DATA_DIR: dataDir() });
    expect(e.MODE).toBe("demo");
  });

  it(".env is read; a variable set in the real environment wins", () => {
    const dir = dataDir();
    const file = path.join(dir, ".env");
    writeFileSync(file, "# komentar\nPORT=4100\nAKADEMI_MODE=pilot\nDB_POOL_SIZE=7\nAPP_URL=\n");
    const target: Record<string, string | undefined> = { AKADEMI_MODE: "demo", APP_URL: "http://a.test" };
    expect(loadDotEnv(file, target)).toBe(true);
    expect(target).toEqual({ PORT: "4100", AKADEMI_MODE: "demo", DB_POOL_SIZE: "7", APP_URL: "http://a.test" });
    expect(loadDotEnv(path.join(dir, "tidak-ada.env"), target)).toBe(false);
  });
});

describe("demo or pilot: one setting (AKADEMI_MODE)", () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), "akademi-env-"));

  it("without DATABASE_URL the default is the demo; pilot is the embedded database without demo data", () => {
    expect(parseEnv({ DATA_DIR: dataDir() })).toMatchObject({ MODE: "demo", DEMO: true });
    const pilot = parseEnv({ AKADEMI_MODE: "pilot", APP_URL, DATA_DIR: dataDir() });
    expect(pilot).toMatchObject({ MODE: "pilot", DEMO: false });
    // NODE_ENV=test: the secret and key stay in memory, nothing is written under the default folder.
    expect(parseEnv({ NODE_ENV: "test", AKADEMI_MODE: "pilot", APP_URL }).DATA_DIR).toBe("./.data-pilot");
    expect(parseEnv({ NODE_ENV: "test" }).DATA_DIR).toBe("./.data");
    const prod = {
      NODE_ENV: "production",
      DATABASE_URL: PG,
      APP_URL,
      SESSION_SECRET: GOOD_SECRET,
      CERT_SIGNING_KEY: CERT_KEY,
    };
    expect(parseEnv(prod)).toMatchObject({ MODE: "production", DEMO: false });
    // A demo on PostgreSQL only when asked for (a public demo, the benches).
    expect(parseEnv({ ...prod, AKADEMI_MODE: "demo" })).toMatchObject({ MODE: "demo", DEMO: true });
  });

  it("a pilot needs APP_URL (QR codes must reach the phones); a mode that contradicts DATABASE_URL is refused", () => {
    expect(() => parseEnv({ AKADEMI_MODE: "pilot", DATA_DIR: dataDir() })).toThrow(/APP_URL wajib diisi/);
    expect(() => parseEnv({ AKADEMI_MODE: "pilot", DATABASE_URL: PG })).toThrow(/AKADEMI_MODE=pilot/);
    expect(() => parseEnv({ AKADEMI_MODE: "production", DATA_DIR: dataDir() })).toThrow(/DATABASE_URL/);
  });
});
