/**
 * Database schema (drizzle). One file so drizzle-kit sees every table; each later
 * domain (content, quiz, workshop, certification) adds its tables here.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const REGION_LEVELS = ["provinsi", "kabupaten", "kecamatan", "desa"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const ROLES = [
  "kader",
  "pembina_desa",
  "pembina_kecamatan",
  "pembina_kabupaten",
  "dpmd",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

export const SPM_BIDANG = [
  "pendidikan",
  "kesehatan",
  "pekerjaan-umum",
  "perumahan-rakyat",
  "trantibum-linmas",
  "sosial",
] as const;
export type SpmBidang = (typeof SPM_BIDANG)[number];

export const regions = pgTable(
  "regions",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    level: text("level", { enum: REGION_LEVELS }).notNull(),
    parentCode: text("parent_code"),
  },
  (t) => [
    index("regions_code_prefix_idx").using("btree", sql`${t.code} text_pattern_ops`),
    index("regions_parent_idx").on(t.parentCode),
    check("regions_level_check", sql`${t.level} in ('provinsi','kabupaten','kecamatan','desa')`),
  ],
);

export const posyandu = pgTable(
  "posyandu",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    desaCode: text("desa_code")
      .notNull()
      .references(() => regions.code),
    registrationNo: text("registration_no"),
    address: text("address"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index("posyandu_desa_prefix_idx").using("btree", sql`${t.desaCode} text_pattern_ops`),
    uniqueIndex("posyandu_registration_no_key").on(t.registrationNo),
  ],
);

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Canonical form 628xxxxxxxxx (see app/lib/phone.ts). */
    phone: text("phone").notNull(),
    email: text("email"),
    /** Null until the account is activated (first-login path). */
    passwordHash: text("password_hash"),
    role: text("role", { enum: ROLES }).notNull(),
    scopeCode: text("scope_code")
      .notNull()
      .references(() => regions.code),
    posyanduId: integer("posyandu_id").references(() => posyandu.id),
    spmBidang: text("spm_bidang", { enum: SPM_BIDANG }),
    gender: text("gender", { enum: ["L", "P"] }),
    birthYear: smallint("birth_year"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("users_phone_key").on(t.phone),
    uniqueIndex("users_email_key").on(t.email),
    index("users_scope_prefix_idx").using("btree", sql`${t.scopeCode} text_pattern_ops`),
    index("users_posyandu_idx").on(t.posyanduId),
  ],
);

/** Lucia sessions: the cookie holds only the id. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    /** Region the change belongs to, so the audit page can be scoped. */
    regionCode: text("region_code"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entity, t.entityId),
    index("audit_log_region_idx").using("btree", sql`${t.regionCode} text_pattern_ops`),
    index("audit_log_at_idx").on(t.at),
  ],
);

/** Fixed-window counters (login attempts per account and per IP, verification checks). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
});

// ---------------------------------------------------------------- content and quizzes

/** Each version of a module seen at start (slug + hash of index.mdx and quiz.yaml). */
export const moduleVersions = pgTable(
  "module_versions",
  {
    slug: text("slug").notNull(),
    contentHash: text("content_hash").notNull(),
    title: text("title").notNull(),
    spm: text("spm").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.slug, t.contentHash] })],
);

/** Modules assigned to a kader (by attending a pelatihan, or by a pembina). */
export const moduleAssignments = pgTable(
  "module_assignments",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    source: text("source", { enum: ["workshop", "pembina", "programme"] }).notNull(),
    workshopId: integer("workshop_id"),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.slug] })],
);

/** One row per kader and module: read state and the best quiz result. */
export const moduleProgress = pgTable(
  "module_progress",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    /** Version the kader last opened or completed. */
    contentHash: text("content_hash").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    bestScore: smallint("best_score"),
    passedAt: timestamp("passed_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.slug] })],
);

export interface DrawnQuestion {
  id: string;
  type: "single" | "multiple" | "truefalse";
  prompt: string;
  /** In the order shown to the kader. */
  options: { id: string; text: string }[];
  /** Correct option ids (truefalse: "benar" or "salah"). Never sent before submission. */
  answer: string[];
  explanation: string;
}

export const quizAttempts = pgTable(
  "quiz_attempts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    contentHash: text("content_hash").notNull(),
    questionIds: text("question_ids").array().notNull(),
    /** The drawn questions as shown, with their key: grading and review never depend on later edits. */
    draw: jsonb("draw").$type<DrawnQuestion[]>().notNull(),
    passScore: smallint("pass_score").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    answers: jsonb("answers").$type<Record<string, string[]>>(),
    score: smallint("score"),
    passed: boolean("passed"),
    idempotencyKey: text("idempotency_key").notNull(),
  },
  (t) => [
    uniqueIndex("quiz_attempts_idempotency_key").on(t.idempotencyKey),
    index("quiz_attempts_user_slug_idx").on(t.userId, t.slug),
  ],
);
