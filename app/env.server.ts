/**
 * The validated environment: parsed once, fails with a readable list.
 *
 * Demo mode = no DATABASE_URL: the embedded PGlite database under DATA_DIR, demo
 * data and demo accounts. A missing SESSION_SECRET is then generated once and kept in
 * DATA_DIR. With DATABASE_URL in production a real secret is required.
 *
 * CERT_SIGNING_KEY (Ed25519, PKCS8 PEM or base64 of the PEM) signs certificates. Same
 * rule: required in production with DATABASE_URL; otherwise generated once and kept in
 * DATA_DIR/cert-signing-key.pem (in memory only under NODE_ENV=test).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** Values that must never protect a production deployment (README examples). */
const PLACEHOLDER_SECRETS = new Set([
  "change-me",
  "changeme",
  "secret",
  "ganti-dengan-rahasia-acak-minimal-32-karakter",
]);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "harus berupa URL postgres://…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Optional streaming replica of DATABASE_URL for reports (dashboard, exports, verification). */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "harus berupa URL postgres://…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SESSION_SECRET: z.string().optional(),
  DATA_DIR: z.string().default("./.data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public origin of every link that leaves the page (QR codes, calendars), e.g. https://akademi.example.id */
  APP_URL: z
    .string()
    .url("harus URL lengkap, mis. https://akademi.example.id")
    .refine((v) => /^https?:\/\//.test(v), "harus diawali http:// atau https://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
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
});

export type Env = z.infer<typeof schema> & {
  SESSION_SECRET: string;
  DEMO: boolean;
  CERT_SIGNING_KEY: string;
  APP_URL: string;
};

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Konfigurasi lingkungan tidak valid:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const demo = !env.DATABASE_URL;
  let secret = env.SESSION_SECRET;
  if (secret !== undefined && (secret.length < 32 || PLACEHOLDER_SECRETS.has(secret))) {
    if (env.NODE_ENV === "production") {
      throw new EnvError(
        "SESSION_SECRET terlalu pendek atau masih nilai contoh: gunakan string acak minimal 32 karakter (mis. `openssl rand -hex 32`).",
      );
    }
  }
  if (!secret) {
    if (env.NODE_ENV === "production" && !demo) {
      throw new EnvError(
        "SESSION_SECRET wajib diisi di produksi (string acak minimal 32 karakter, mis. `openssl rand -hex 32`).",
      );
    }
    secret = env.NODE_ENV === "test" ? "test-secret-".padEnd(48, "x") : persistedDemoSecret(env.DATA_DIR);
  }
  let certKey: string;
  if (env.CERT_SIGNING_KEY) {
    certKey = parseSigningKey(env.CERT_SIGNING_KEY);
  } else if (env.NODE_ENV === "production" && !demo) {
    throw new EnvError(
      "CERT_SIGNING_KEY wajib diisi di produksi: kunci Ed25519 (PKCS8 PEM atau base64 dari PEM), mis. `openssl genpkey -algorithm ed25519`.",
    );
  } else {
    certKey = env.NODE_ENV === "test" ? newSigningKey() : persistedSigningKey(env.DATA_DIR);
  }
  // Links that leave the page (QR codes, calendars, certificates) are built from APP_URL
  // only, never from the request's Host. Production with PostgreSQL must name it; the demo
  // and development default to this machine.
  if (!env.APP_URL && env.NODE_ENV === "production" && !demo) {
    throw new EnvError("APP_URL wajib diisi di produksi: alamat publik situs, mis. https://akademi.kaltimprov.go.id");
  }
  const appUrl = new URL(env.APP_URL ?? `http://localhost:${env.PORT}`).origin;
  return { ...env, SESSION_SECRET: secret, DEMO: demo, CERT_SIGNING_KEY: certKey, APP_URL: appUrl };
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
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
