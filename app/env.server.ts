/**
 * The validated environment: every variable the app reads, parsed once, here. An empty
 * value means unset; a bad one stops the start with one line naming the variable.
 * `.env` in the working directory is read first (`loadDotEnv`); a variable set in the real
 * environment wins over it.
 *
 * AKADEMI_MODE (app/lib/modes.ts) says what this instance is: `demo` (the default without
 * DATABASE_URL; also possible on PostgreSQL), `pilot` (the embedded database for real use:
 * no demo data, APP_URL required) or `production` (PostgreSQL, the default with DATABASE_URL).
 *
 * On the embedded database (demo, pilot) a missing SESSION_SECRET is generated once and
 * kept in DATA_DIR. In production on PostgreSQL a real secret is required.
 *
 * CERT_SIGNING_KEY (Ed25519, PKCS8 PEM or base64 of the PEM) signs certificates. Same
 * rule: required in production on PostgreSQL; otherwise generated once and kept in
 * DATA_DIR/cert-signing-key.pem (in memory only under NODE_ENV=test). Which key signed the
 * certificates already issued is recorded in the database (signing.server.ts).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as util from "node:util";
import { z } from "zod";
import { INSTANCE_MODES, type InstanceMode } from "./lib/modes";

/** Values that must never protect a production deployment (README examples). */
const PLACEHOLDER_SECRETS = new Set([
  "change-me",
  "changeme",
  "secret",
  "ganti-dengan-rahasia-acak-minimal-32-karakter",
]);

/** Seconds before an unanswered PostgreSQL connection fails (DB_CONNECT_TIMEOUT). */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "harus berupa URL postgres://…");

/** A whole number within [min, max], written in decimal digits. */
function wholeNumber(min: number, max: number) {
  const message = `harus bilangan bulat ${min}–${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
}

/** 1/0 or true/false. */
const onOff = z
  .string()
  .toLowerCase()
  .refine((v) => ["0", "1", "true", "false"].includes(v), "harus 1 atau 0 (true atau false)")
  .transform((v) => v === "1" || v === "true");

const schema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"], { error: "harus development, production atau test" })
    .default("development"),
  AKADEMI_MODE: z.enum(INSTANCE_MODES, { error: "harus demo, pilot atau production" }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  /** Optional streaming replica of DATABASE_URL for reports (dashboard, exports, verification). */
  DATABASE_REPLICA_URL: postgresUrl.optional(),
  SESSION_SECRET: z.string().optional(),
  DATA_DIR: z.string().optional(),
  PORT: wholeNumber(1, 65535).default(3000),
  /** Public origin of every link that leaves the page (QR codes, calendars), e.g. https://akademi.example.id */
  APP_URL: z
    .string()
    .url("harus URL lengkap, mis. https://akademi.example.id")
    .refine((v) => /^https?:\/\//.test(v), "harus diawali http:// atau https://")
    .optional(),
  /** Ed25519 private key (PKCS8 PEM, or base64 of the PEM) that signs certificates. */
  CERT_SIGNING_KEY: z.string().optional(),
  /**
   * Reverse proxies in front of the app, as a hop count (0 = none; `true` = 1). The client
   * address is the one the nearest trusted proxy saw, not what the client wrote.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|true|false)$/, "harus jumlah proxy (0, 1, 2…)")
    .default("0")
    .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v))),
  /** PostgreSQL connections per app process (and as many again to the replica). */
  DB_POOL_SIZE: wholeNumber(1, 1000).default(10),
  DB_CONNECT_TIMEOUT: wholeNumber(1, 600).default(DEFAULT_CONNECT_TIMEOUT_S),
  /**
   * Milliseconds between two folds of graded answers into the item-statistics rollup
   * (foldItemStats); 0 = never in this process (figures stay exact: readers add what waits).
   */
  ITEM_FOLD_MS: wholeNumber(0, 3_600_000).default(1000),
  /** 0 = every statement unnamed (PgBouncer in transaction mode without prepared statements). */
  DB_PREPARE: onOff.default(true),
  /** 1 = log every SQL statement. */
  DB_LOG: onOff.default(false),
  /** 0 = no gzip in the app (a reverse proxy in front compresses). */
  COMPRESS: onOff.default(true),
  /** App processes with PostgreSQL; unset = the number of cores. Always one on the embedded database. */
  WEB_CONCURRENCY: wholeNumber(1, 64).optional(),
  /** Bearer token that /metrics asks for (Prometheus); unset = /metrics answers 404. */
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,200}$/, "harus 16–200 karakter tanpa spasi (mis. `openssl rand -hex 32`)")
    .optional(),
  /** The modules folder (a writer may check a working copy). */
  CONTENT_DIR: z.string().default("content"),
  /** Internal: the role server.ts gives a process it forks. */
  AKADEMI_PROCESS: z.enum(["boot", "worker"], { error: "hanya untuk proses yang dibuat server.ts" }).optional(),
});

export type Env = Omit<z.infer<typeof schema>, "DATA_DIR"> & {
  MODE: InstanceMode;
  /** MODE === "demo": demo data and the demo accounts with their published password. */
  DEMO: boolean;
  DATA_DIR: string;
  SESSION_SECRET: string;
  CERT_SIGNING_KEY: string;
  APP_URL: string;
};

/** Which database this instance runs on: PostgreSQL or the embedded PGlite. */
export type DatabaseKind = "pglite" | "postgres";

/**
 * "PGlite or PostgreSQL?", decided here and nowhere else: PostgreSQL when DATABASE_URL is
 * set, the embedded PGlite otherwise. The instance mode (below), the number of processes
 * (server.ts) and the database client (app/db.server.ts) all ask this.
 */
export function databaseKind(e: Pick<Env, "DATABASE_URL"> = env()): DatabaseKind {
  return e.DATABASE_URL ? "postgres" : "pglite";
}

export class EnvError extends Error {
  override name = "EnvError";
}

/**
 * Reads KEY=value lines of an env file into `target` (process.env); a variable already set
 * there (not empty) wins. False when the file does not exist.
 */
export function loadDotEnv(
  file = path.resolve(".env"),
  target: Record<string, string | undefined> = process.env,
): boolean {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new EnvError(`${file} tidak dapat dibaca: ${(e as Error).message}`);
  }
  if (typeof util.parseEnv !== "function") {
    throw new EnvError(`${file} memerlukan Node.js 20.12 atau lebih baru (util.parseEnv); perbarui Node.js.`);
  }
  for (const [key, value] of Object.entries(util.parseEnv(text))) {
    if (!target[key]?.trim()) target[key] = value;
  }
  return true;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty means unset: `SESSION_SECRET=` in a copied .env is no secret at all, not a short one.
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    throw new EnvError(`Konfigurasi lingkungan tidak valid: ${[...new Set(problems)].join("; ")}.`);
  }
  const env = parsed.data;
  const mode = resolveMode(env.AKADEMI_MODE, databaseKind(env) === "postgres");
  const dataDir = env.DATA_DIR ?? (mode === "pilot" ? "./.data-pilot" : "./.data");
  const production = env.NODE_ENV === "production";
  let secret = env.SESSION_SECRET;
  if (secret !== undefined && production) {
    if (secret.length < 32 || PLACEHOLDER_SECRETS.has(secret)) {
      throw new EnvError(
        "SESSION_SECRET terlalu pendek atau masih nilai contoh: gunakan string acak minimal 32 karakter (mis. `openssl rand -hex 32`).",
      );
    }
    if (guessable(secret)) {
      throw new EnvError(
        "SESSION_SECRET terlalu mudah ditebak (berulang, atau hanya sedikit karakter berbeda): gunakan string acak minimal 32 karakter, mis. `openssl rand -hex 32`.",
      );
    }
  }
  if (!secret) {
    if (production && mode === "production") {
      throw new EnvError(
        "SESSION_SECRET wajib diisi di produksi (string acak minimal 32 karakter, mis. `openssl rand -hex 32`).",
      );
    }
    secret = env.NODE_ENV === "test" ? "test-secret-".padEnd(48, "x") : persistedDemoSecret(dataDir);
  }
  let certKey: string;
  if (env.CERT_SIGNING_KEY) {
    certKey = parseSigningKey(env.CERT_SIGNING_KEY);
  } else if (production && mode === "production") {
    throw new EnvError(
      "CERT_SIGNING_KEY wajib diisi di produksi: kunci Ed25519 (PKCS8 PEM atau base64 dari PEM), mis. `openssl genpkey -algorithm ed25519`.",
    );
  } else {
    certKey = env.NODE_ENV === "test" ? newSigningKey() : persistedSigningKey(dataDir);
  }
  // Links that leave the page (QR codes, calendars, certificates) are built from APP_URL
  // only, never from the request's Host. Production and a pilot must name it (a QR code for
  // localhost does not open on a kader's phone); the demo and development default to this machine.
  if (!env.APP_URL && mode === "pilot") {
    throw new EnvError(
      "APP_URL wajib diisi untuk pilot: alamat yang dibuka ponsel kader, mis. http://192.168.1.20:3000 atau https://akademi.kutaitimurkab.go.id",
    );
  }
  if (!env.APP_URL && production && mode === "production") {
    throw new EnvError("APP_URL wajib diisi di produksi: alamat publik situs, mis. https://akademi.kaltimprov.go.id");
  }
  const appUrl = new URL(env.APP_URL ?? `http://localhost:${env.PORT}`).origin;
  return {
    ...env,
    MODE: mode,
    DEMO: mode === "demo",
    DATA_DIR: dataDir,
    SESSION_SECRET: secret,
    CERT_SIGNING_KEY: certKey,
    APP_URL: appUrl,
  };
}

function resolveMode(requested: InstanceMode | undefined, postgres: boolean): InstanceMode {
  if (postgres) {
    // The demo may run on PostgreSQL too (a public demo, the benches); a pilot is the embedded database.
    if (requested === "pilot") {
      throw new EnvError(
        "AKADEMI_MODE=pilot memakai basis data tertanam: kosongkan DATABASE_URL, atau pakai AKADEMI_MODE=production untuk PostgreSQL.",
      );
    }
    return requested ?? "production";
  }
  if (requested === "production") {
    throw new EnvError(
      "AKADEMI_MODE=production memerlukan DATABASE_URL (PostgreSQL); untuk satu mesin dengan basis data tertanam pakai AKADEMI_MODE=pilot.",
    );
  }
  return requested ?? "demo";
}

/**
 * A secret a person typed rather than generated: a repetition of a shorter string
 * ("abab…", "password" × 4), or so few distinct characters that the Shannon estimate
 * (length × entropy of its character frequencies) is under 80 bits. 32 random hex
 * characters score 90 or more.
 */
export function guessable(secret: string): boolean {
  const n = secret.length;
  for (let p = 1; p <= n / 2; p++) {
    let repeats = true;
    for (let i = p; i < n && repeats; i++) repeats = secret[i] === secret[i - p];
    if (repeats) return true;
  }
  const counts = new Map<string, number>();
  for (const c of secret) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const k of counts.values()) bits -= k * Math.log2(k / n);
  return bits < 80;
}

/** The key as PEM; refuses anything that is not an Ed25519 private key. */
function parseSigningKey(value: string): string {
  const text = value.trim();
  const pem = text.startsWith("-----BEGIN") ? text : Buffer.from(text, "base64").toString("utf8").trim();
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === "ed25519") return pem + "\n";
  } catch {
    // reported below
  }
  throw new EnvError("CERT_SIGNING_KEY tidak valid: harus kunci privat Ed25519 (PKCS8 PEM atau base64 dari PEM).");
}

function newSigningKey(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

function persistedSigningKey(dataDir: string): string {
  const file = path.join(dataDir, "cert-signing-key.pem");
  if (existsSync(file)) return parseSigningKey(readFileSync(file, "utf8"));
  mkdirSync(dataDir, { recursive: true });
  const pem = newSigningKey();
  writeFileSync(file, pem, { mode: 0o600 });
  return pem;
}

function persistedDemoSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: Env | undefined;
/** The environment, parsed on first use (after `.env`, except under NODE_ENV=test). */
export function env(): Env {
  if (!cached) {
    if (process.env.NODE_ENV !== "test") loadDotEnv();
    cached = parseEnv(process.env);
  }
  return cached;
}
