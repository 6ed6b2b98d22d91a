/**
 * The validated environment: parsed once, fails with a readable list.
 *
 * Demo mode = no DATABASE_URL: the embedded PGlite database under DATA_DIR, demo
 * data and demo accounts. A missing SESSION_SECRET is then generated once and kept in
 * DATA_DIR. With DATABASE_URL in production a real secret is required.
 */
import { randomBytes } from "node:crypto";
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
  SESSION_SECRET: z.string().optional(),
  DATA_DIR: z.string().default("./.data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public origin used in links printed on paper (QR codes), e.g. https://akademi.example.id */
  APP_URL: z.string().url().optional(),
  /** Trust X-Forwarded-For (behind a reverse proxy). */
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string; DEMO: boolean };

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
  return { ...env, SESSION_SECRET: secret, DEMO: demo };
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
