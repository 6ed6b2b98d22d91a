/**
 * Database schema (drizzle). One file so drizzle-kit sees every table; each later
 * domain (content, quiz, workshop, certification) adds its tables here.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
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
import { INSTANCE_MODES } from "../lib/modes";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const REGION_LEVELS = ["provinsi", "kabupaten", "kecamatan", "desa"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
/** The nation sits above the provinces as one regions row ('ID', app/lib/region.ts NATIONAL_CODE). */
export const REGION_ROW_LEVELS = ["nasional", ...REGION_LEVELS] as const;
export type RegionRowLevel = (typeof REGION_ROW_LEVELS)[number];

export const ROLES = ["kader", "pembina_desa", "pembina_kecamatan", "pembina_kabupaten", "dpmd", "admin"] as const;
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
    level: text("level", { enum: REGION_ROW_LEVELS }).notNull(),
    parentCode: text("parent_code"),
  },
  (t) => [
    index("regions_code_prefix_idx").using("btree", sql`${t.code} text_pattern_ops`),
    index("regions_parent_idx").on(t.parentCode),
    check("regions_level_check", sql`${t.level} in ('nasional','provinsi','kabupaten','kecamatan','desa')`),
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
    // The cascade's teams (reporting/cascade.server.ts) read the Tim Pembina of a region: a few
    // thousand among a province's tens of thousands of kader.
    index("users_staff_scope_idx")
      .using("btree", sql`${t.scopeCode} text_pattern_ops`)
      .where(sql`${t.role} <> 'kader'`),
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
    /** For the absolute lifetime (SESSION_LIFETIME_SECONDS): no sliding past it. */
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
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
    /** Id of the furthest section (h2 of the rendered module) the kader finished reading; "Lanjutkan" returns after it. */
    lastSection: text("last_section"),
    /** When she last read in it: opened it (first time or a new version) or finished a section; "Lanjutkan" resumes the module read last. */
    readAt: timestamp("read_at", { withTimezone: true }),
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
  /** Anchor of the module section to re-read (absent in attempts drawn before content v2). */
  section?: string;
  /** A growth chart shown with the question (content/FORMAT.md, `chart`). */
  chart?: { points: [number, number][]; name: string };
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
    /** The taker's region when graded (set by a trigger): item statistics are kept per region. */
    regionCode: text("region_code"),
    /** The taker's first graded attempt of this quiz (set by a trigger): "first attempts only" statistics. */
    firstTry: boolean("first_try"),
  },
  (t) => [
    uniqueIndex("quiz_attempts_idempotency_key").on(t.idempotencyKey),
    index("quiz_attempts_user_slug_idx").on(t.userId, t.slug),
  ],
);

// ---------------------------------------------------------------- workshops

export const WORKSHOP_KINDS = ["sosialisasi", "pelatihan", "pendampingan"] as const;
export const WORKSHOP_AUDIENCES = ["pembina", "kader"] as const;
export const WORKSHOP_STATUSES = ["draft", "published", "cancelled", "completed"] as const;
export const ENROLMENT_STATUSES = ["enrolled", "waitlisted", "cancelled"] as const;
export const ATTENDANCE_STATUSES = ["hadir", "terlambat", "izin", "alpa"] as const;
export const ATTENDANCE_METHODS = ["roster", "qr", "kode", "import", "walkin"] as const;
export type WorkshopKind = (typeof WORKSHOP_KINDS)[number];
export type WorkshopStatus = (typeof WORKSHOP_STATUSES)[number];
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export type AttendanceMethod = (typeof ATTENDANCE_METHODS)[number];

/** Sosialisasi, pelatihan and pendampingan sessions. */
export const workshops = pgTable(
  "workshops",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    title: text("title").notNull(),
    kind: text("kind", { enum: WORKSHOP_KINDS }).notNull(),
    audience: text("audience", { enum: WORKSHOP_AUDIENCES }).notNull(),
    /** The area the session serves (who may see, enrol and self-enrol). */
    regionCode: text("region_code")
      .notNull()
      .references(() => regions.code),
    venue: text("venue").notNull(),
    description: text("description"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull(),
    status: text("status", { enum: WORKSHOP_STATUSES }).notNull().default("draft"),
    moduleSlugs: text("module_slugs").array().notNull().default(sql`'{}'::text[]`),
    /** Minutes after the start within which a QR check-in still counts as hadir. */
    graceMinutes: integer("grace_minutes").notNull().default(15),
    cancelledReason: text("cancelled_reason"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("workshops_region_prefix_idx").using("btree", sql`${t.regionCode} text_pattern_ops`),
    index("workshops_starts_at_idx").on(t.startsAt),
    check("workshops_time_check", sql`${t.endsAt} > ${t.startsAt}`),
    check("workshops_capacity_check", sql`${t.capacity} > 0`),
  ],
);

export const enrolments = pgTable(
  "enrolments",
  {
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: ENROLMENT_STATUSES }).notNull(),
    /** When the current status began: the waitlist promotes in this order. */
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    enrolledBy: text("enrolled_by").references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.workshopId, t.userId] }),
    index("enrolments_user_idx").on(t.userId),
    index("enrolments_status_idx").on(t.workshopId, t.status, t.at),
  ],
);

export const attendance = pgTable(
  "attendance",
  {
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: ATTENDANCE_STATUSES }).notNull(),
    method: text("method", { enum: ATTENDANCE_METHODS }).notNull(),
    recordedBy: text("recorded_by").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workshopId, t.userId] }), index("attendance_user_idx").on(t.userId)],
);

// ---------------------------------------------------------------- certification

export const certificates = pgTable(
  "certificates",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** Unguessable, human-friendly: AP-XXXX-XXXX without ambiguous characters. */
    code: text("code").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    programmeId: text("programme_id").notNull(),
    /** 1 for the first certification, 2 after the first expired, … */
    cycle: integer("cycle").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
    revokedBy: text("revoked_by").references(() => users.id),
    /** Kabupaten code of the kader at issue. */
    issuingRegion: text("issuing_region")
      .notNull()
      .references(() => regions.code),
    /** Snapshot printed on the certificate (name, posyandu, desa) and its Ed25519 signature. */
    payload: jsonb("payload").$type<Record<string, string>>().notNull(),
    signature: text("signature").notNull(),
    /** The signatory's logo at issue (data: URL), if the kabupaten had one; name and title are in the signed payload. */
    signatoryLogo: text("signatory_logo"),
  },
  (t) => [
    uniqueIndex("certificates_code_key").on(t.code),
    uniqueIndex("certificates_user_programme_cycle_key").on(t.userId, t.programmeId, t.cycle),
    index("certificates_region_prefix_idx").using("btree", sql`${t.issuingRegion} text_pattern_ops`),
    index("certificates_expires_idx").on(t.expiresAt),
    // The dashboard's "issued without a signatory" warning (unsignedIssuance) counts these per
    // kabupaten: without it every DPMD/admin view scanned all certificates (111 ms at 382 k).
    index("certificates_unsigned_idx")
      .on(t.issuingRegion)
      .where(sql`${t.revokedAt} is null and coalesce(${t.payload}->>'signatoryName', '') = ''`),
  ],
);

/** Every public verification check (no personal data of the visitor beyond a keyed hash). */
export const verificationLog = pgTable(
  "verification_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    code: text("code").notNull(),
    result: text("result", {
      enum: ["berlaku", "kedaluwarsa", "dicabut", "tidak_ditemukan", "tanda_tangan_salah", "format_salah"],
    }).notNull(),
    clientHash: text("client_hash"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("verification_log_at_idx").on(t.at)],
);

// ---------------------------------------------------------------- roster administration

/** One-time activation code per account (first login without email). Only a hash is kept. */
export const activationCodes = pgTable("activation_codes", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull(),
  createdBy: text("created_by").references(() => users.id),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/** Committed roster imports (kader or posyandu), for the audit trail and re-import checks. */
export const importBatches = pgTable(
  "import_batches",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind", { enum: ["kader", "posyandu"] }).notNull(),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    scopeCode: text("scope_code").notNull(),
    fileName: text("file_name").notNull(),
    fileSha256: text("file_sha256").notNull(),
    rows: integer("rows").notNull(),
    inserted: integer("inserted").notNull(),
    updated: integer("updated").notNull(),
    unchanged: integer("unchanged").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("import_batches_scope_idx").using("btree", sql`${t.scopeCode} text_pattern_ops`)],
);

/**
 * A roster-import preview, staged for an hour between upload and commit. In the database,
 * not on one host's disk, so any app process can show or commit it. `summary` is the
 * preview (counts, errors, sample) and `rows` the validated rows, both JSON text (never
 * queried inside; text is cheaper to write and read than jsonb for 50,000 rows).
 */
export const importStages = pgTable(
  "import_stages",
  {
    token: text("token").primaryKey(),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["kader", "posyandu"] }).notNull(),
    summary: text("summary").notNull(),
    rows: text("rows").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("import_stages_expires_idx").on(t.expiresAt)],
);

// ---------------------------------------------------------------- reporting (dashboard)

/**
 * One row per kader and programme: the inputs of every dashboard figure, recomputed
 * from the base tables by `refreshKaderProgress` whenever one of them changes. A
 * statement-level trigger (drizzle/0005_rollup_statement_triggers.sql) keeps the stats_* tables in step.
 */
export const kaderProgress = pgTable(
  "kader_progress",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    programmeId: text("programme_id").notNull(),
    desaCode: text("desa_code").notNull(),
    posyanduId: integer("posyandu_id"),
    spmBidang: text("spm_bidang").notNull().default(""),
    active: boolean("active").notNull(),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }),
    attendedAt: timestamp("attended_at", { withTimezone: true }),
    modulesPassedAt: timestamp("modules_passed_at", { withTimezone: true }),
    certifiedAt: timestamp("certified_at", { withTimezone: true }),
    certExpiresAt: timestamp("cert_expires_at", { withTimezone: true }),
    /** When the kader met the practice requirement (the observation that completed it); null when not met today. */
    practisedAt: timestamp("practised_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.programmeId] }),
    index("kader_progress_desa_idx").using("btree", sql`${t.desaCode} text_pattern_ops`),
    index("kader_progress_posyandu_idx").on(t.posyanduId),
    // The cascade's "posyandu with a certified kader": a region's certified kader only.
    index("kader_progress_certified_idx")
      .using("btree", sql`${t.desaCode} text_pattern_ops`, t.programmeId, t.posyanduId, t.certExpiresAt, t.spmBidang)
      .where(sql`${t.active} and ${t.certExpiresAt} is not null`),
  ],
);

/** Active kader per region (every level), programme and bidang. */
export const statsKader = pgTable(
  "stats_kader",
  {
    regionCode: text("region_code").notNull(),
    programmeId: text("programme_id").notNull(),
    spmBidang: text("spm_bidang").notNull(),
    active: integer("active").notNull(),
    /** Active kader with practised_at (the funnel's praktik step). */
    practised: integer("practised").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.programmeId, t.spmBidang] })],
);

/** Funnel events of active kader per region, programme, bidang and year of the event (WITA). */
export const statsFunnel = pgTable(
  "stats_funnel",
  {
    regionCode: text("region_code").notNull(),
    programmeId: text("programme_id").notNull(),
    spmBidang: text("spm_bidang").notNull(),
    year: smallint("year").notNull(),
    enrolled: integer("enrolled").notNull().default(0),
    attended: integer("attended").notNull().default(0),
    modulesPassed: integer("modules_passed").notNull().default(0),
    certified: integer("certified").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.programmeId, t.spmBidang, t.year] })],
);

/** Current (not revoked) certificates of active kader by expiry date (WITA): valid = expires on or after today. */
export const statsCertExpiry = pgTable(
  "stats_cert_expiry",
  {
    regionCode: text("region_code").notNull(),
    programmeId: text("programme_id").notNull(),
    spmBidang: text("spm_bidang").notNull(),
    expiresOn: date("expires_on", { mode: "string" }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.programmeId, t.spmBidang, t.expiresOn] })],
);

/** Current certificates of active kader by month of issue (WITA), for the chart. */
export const statsCertMonth = pgTable(
  "stats_cert_month",
  {
    regionCode: text("region_code").notNull(),
    programmeId: text("programme_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.programmeId, t.month] })],
);

// ---------------------------------------------------------------- certification v2 (issue 13)

/**
 * Another round of attempts for one quiz, granted by a pembina with a reason. The
 * attempt limit of a quiz in a cycle = the bank's maxAttempts + the `extra` of every
 * grant made in that cycle. The idempotency key makes a double submit one grant.
 */
export const quizAttemptGrants = pgTable(
  "quiz_attempt_grants",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    extra: smallint("extra").notNull(),
    reason: text("reason").notNull(),
    grantedBy: text("granted_by")
      .notNull()
      .references(() => users.id),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    idempotencyKey: text("idempotency_key").notNull(),
  },
  (t) => [
    uniqueIndex("quiz_attempt_grants_idempotency_key").on(t.idempotencyKey),
    index("quiz_attempt_grants_user_slug_idx").on(t.userId, t.slug),
  ],
);

export const PRACTICE_RESULTS = ["kompeten", "belum_kompeten"] as const;
export type PracticeResult = (typeof PRACTICE_RESULTS)[number];

/**
 * An observed practice task (praktik lapangan). Append-only: a correction is a new row
 * (`corrects_id` names the row it replaces); the latest row per kader and task counts.
 */
export const practiceObservations = pgTable(
  "practice_observations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    taskId: text("task_id").notNull(),
    observedOn: date("observed_on", { mode: "string" }).notNull(),
    place: text("place").notNull(),
    /** One boolean per checklist step, in the order of the programme's task. */
    steps: jsonb("steps").$type<boolean[]>().notNull(),
    result: text("result", { enum: PRACTICE_RESULTS }).notNull(),
    note: text("note").notNull().default(""),
    observerId: text("observer_id")
      .notNull()
      .references(() => users.id),
    correctsId: integer("corrects_id"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    /** The form's key: a double submit of the same sitting records nothing twice. */
    idempotencyKey: text("idempotency_key").notNull(),
  },
  (t) => [
    uniqueIndex("practice_observations_key").on(t.idempotencyKey, t.userId),
    index("practice_observations_user_idx").on(t.userId, t.taskId),
  ],
);

/** Who signs the certificates of a kabupaten (set by DPMD/admin); copied into each certificate at issue. */
export const certificateSignatories = pgTable("certificate_signatories", {
  kabupatenCode: text("kabupaten_code")
    .primaryKey()
    .references(() => regions.code),
  name: text("name").notNull(),
  title: text("title").notNull(),
  nip: text("nip"),
  /** PNG or JPEG as a data: URL (at most ~200 KB). */
  logo: text("logo"),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Current certificates of active kader by month of expiry (WITA): with the daily rows of
 * stats_cert_expiry for the current month, "valid today" reads a bounded number of rows per
 * region. spm_bidang '*' holds the all-bidang total (here and in every stats_* table).
 */
export const statsCertExpiryMonth = pgTable(
  "stats_cert_expiry_month",
  {
    regionCode: text("region_code").notNull(),
    programmeId: text("programme_id").notNull(),
    spmBidang: text("spm_bidang").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.programmeId, t.spmBidang, t.month] })],
);

/**
 * The trend: per region, programme, bidang and day (WITA), the change in active kader and in
 * kader holding a valid certificate. Summed up to a day it gives both figures as they were at
 * the end of that day (a certificate counts from its issue day and stops the day after it
 * expires). See the README, "Tren tingkat sertifikasi".
 */
export const statsFlow = pgTable(
  "stats_flow",
  {
    regionCode: text("region_code").notNull(),
    programmeId: text("programme_id").notNull(),
    spmBidang: text("spm_bidang").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    active: integer("active").notNull().default(0),
    certified: integer("certified").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.programmeId, t.spmBidang, t.day] })],
);

/**
 * Boundary of a region (GeoJSON Polygon or MultiPolygon, WGS84 [lng, lat]) for the dashboard
 * map; loaded like the regions: the bundled Kalimantan Timur files at first start,
 * other provinces with `npm run boundaries:import -- file.geojson`.
 */
export const regionBoundaries = pgTable("region_boundaries", {
  code: text("code")
    .primaryKey()
    .references(() => regions.code, { onDelete: "cascade" }),
  geometry: jsonb("geometry").$type<{ type: "Polygon" | "MultiPolygon"; coordinates: unknown }>().notNull(),
});

/** The columns of one graded item answer: quiz_item_answers, and stats_item_pending (signed). */
const itemAnswerColumns = () => ({
  questionId: text("question_id").notNull(),
  regionCode: text("region_code").notNull(),
  slug: text("slug").notNull(),
  section: text("section").notNull(),
  month: date("month", { mode: "string" }).notNull(),
  firstTry: boolean("first_try").notNull(),
  ok: smallint("ok").notNull(),
  rest: smallint("rest").notNull(),
  given: text("given").notNull(),
});

/**
 * One row per drawn item of a graded attempt (issue 19): right or wrong, how many of the
 * attempt's other items were right, the chosen option ids ("a,c"), with the taker's region and
 * the month (WITA). Written by the trigger that keeps stats_item; a kecamatan or desa sums
 * its rows live (bounded by its size), sections missed most are read from here.
 */
export const quizItemAnswers = pgTable(
  "quiz_item_answers",
  {
    attemptId: text("attempt_id")
      .notNull()
      .references(() => quizAttempts.id, { onDelete: "cascade" }),
    ...itemAnswerColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.questionId] }),
    index("quiz_item_answers_region_idx").using("btree", sql`${t.regionCode} text_pattern_ops`, t.slug, t.month),
  ],
);

/**
 * Item statistics (issue 19): per provinsi and kabupaten, quiz, question, month of grading
 * (WITA) and first attempt or retake, the sums behind facility and the corrected item-total
 * correlation: n attempts that drew the item, x = answered right, y = the other items of the
 * attempt answered right. Kept in step by a trigger on quiz_attempts
 * (drizzle/0013_item_statistics.sql) through stats_item_pending, folded in batches
 * (drizzle/0021_item_stats_fold.sql), so any query reads a bounded number of rows. A kecamatan
 * or desa is summed live from its quiz_item_answers rows (bounded by its size).
 */
export const statsItem = pgTable(
  "stats_item",
  {
    regionCode: text("region_code").notNull(),
    slug: text("slug").notNull(),
    questionId: text("question_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    firstTry: boolean("first_try").notNull(),
    /** The module section the item was drawn with (latest seen). */
    section: text("section").notNull().default(""),
    n: bigint("n", { mode: "number" }).notNull().default(0),
    correct: bigint("correct", { mode: "number" }).notNull().default(0),
    restSum: bigint("rest_sum", { mode: "number" }).notNull().default(0),
    restSq: bigint("rest_sq", { mode: "number" }).notNull().default(0),
    xyRest: bigint("xy_rest", { mode: "number" }).notNull().default(0),
    /** How often each option was chosen: {"a": 12, "c": 3} (true/false: benar, salah). */
    options: jsonb("options").$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.slug, t.questionId, t.month, t.firstTry] })],
);

/**
 * Item answers not yet in stats_item (issue 23): grading inserts its quiz_item_answers rows
 * here too (s = 1), a removed attempt its removed rows (s = -1); fold_stats_item() moves them
 * into stats_item in one statement, every ITEM_FOLD_MS (drizzle/0021_item_stats_fold.sql).
 * Readers of stats_item add these rows, so the sums are exact between folds.
 */
export const statsItemPending = pgTable("stats_item_pending", {
  ...itemAnswerColumns(),
  s: smallint("s").notNull(),
});

/**
 * The key of every create form (a hidden field the page generates): a retry of a submit whose
 * answer was lost (a 503 during a restart, a dropped connection) finds the row its first try
 * created instead of creating a second one. See app/form-key.server.ts.
 */
export const formSubmissions = pgTable("form_submissions", {
  key: text("key").primaryKey(),
  actorId: text("actor_id").notNull(),
  entity: text("entity").notNull(),
  entityId: text("entity_id"),
  createdAt: createdAt(),
});

/**
 * The mode this database was first started in (one row, AKADEMI_MODE): demo data and demo
 * accounts never go into a pilot or production database, and a demo database never serves
 * as a real one. See app/instance.server.ts.
 */
export const instance = pgTable(
  "instance",
  {
    id: smallint("id").primaryKey().default(1),
    mode: text("mode", { enum: INSTANCE_MODES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("instance_one_row", sql`${t.id} = 1`),
    check("instance_mode_check", sql`${t.mode} in ('demo','pilot','production')`),
  ],
);

/**
 * The public keys that signed certificates (fingerprint = kid), recorded at the first issue.
 * Exactly one is current (retired_at null): a start with another CERT_SIGNING_KEY is refused
 * until `npm run key:rotate`, which retires the current one. A retired key stays here so the
 * certificates it signed keep verifying; it is trusted only with its successor's signature
 * over it (`endorsement`), so a key written into this table by hand is not.
 */
export const signingKeys = pgTable(
  "signing_keys",
  {
    kid: text("kid").primaryKey(),
    /** SPKI PEM. */
    publicKey: text("public_key").notNull(),
    createdAt: createdAt(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    successorKid: text("successor_kid"),
    endorsement: text("endorsement"),
  },
  (t) => [uniqueIndex("signing_keys_one_current").on(sql`(true)`).where(sql`${t.retiredAt} is null`)],
);

// ---------------------------------------------------------------- sessions that measure learning (issue 20)

export const TEST_PHASES = ["pre", "post"] as const;
export type TestPhase = (typeof TEST_PHASES)[number];
export const TEST_SOURCES = ["ponsel", "kertas"] as const;
export type TestSource = (typeof TEST_SOURCES)[number];

/**
 * A session's pre/post test: one fixed set of items (drawn once from the quiz banks of the
 * session's modules), the same for the pre-test and the post-test.
 */
export const workshopTests = pgTable("workshop_tests", {
  workshopId: integer("workshop_id")
    .primaryKey()
    .references(() => workshops.id, { onDelete: "cascade" }),
  /** The drawn items in order: module slug and question id. */
  items: jsonb("items").$type<{ slug: string; questionId: string }[]>().notNull(),
  createdBy: text("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});

/** One participant's pre- or post-test result (taken on the phone, or on paper and typed in by the pembina). */
export const workshopTestResults = pgTable(
  "workshop_test_results",
  {
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: TEST_PHASES }).notNull(),
    source: text("source", { enum: TEST_SOURCES }).notNull(),
    /** Percentage 0–100, rounded. */
    score: smallint("score").notNull(),
    correct: smallint("correct").notNull(),
    total: smallint("total").notNull(),
    enteredBy: text("entered_by")
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workshopId, t.userId, t.phase] }),
    check("workshop_test_results_phase_check", sql`${t.phase} in ('pre','post')`),
    check("workshop_test_results_score_check", sql`${t.score} between 0 and 100`),
  ],
);

/** Each item of a participant's pre/post test (the training-needs view reads the sections missed). */
export const workshopTestAnswers = pgTable(
  "workshop_test_answers",
  {
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: TEST_PHASES }).notNull(),
    slug: text("slug").notNull(),
    questionId: text("question_id").notNull(),
    section: text("section").notNull(),
    /** The option ids given, comma-separated ("" = left blank). */
    given: text("given").notNull(),
    ok: smallint("ok").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workshopId, t.userId, t.phase, t.slug, t.questionId] }),
    index("workshop_test_answers_user_idx").on(t.userId),
  ],
);

/** A participant's evaluation of a session (1–5 each, free text). */
export const workshopEvaluations = pgTable(
  "workshop_evaluations",
  {
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    relevance: smallint("relevance").notNull(),
    clarity: smallint("clarity").notNull(),
    speaker: smallint("speaker").notNull(),
    comment: text("comment").notNull().default(""),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workshopId, t.userId] }),
    check(
      "workshop_evaluations_scale_check",
      sql`${t.relevance} between 1 and 5 and ${t.clarity} between 1 and 5 and ${t.speaker} between 1 and 5`,
    ),
  ],
);

/** The narasumber (speakers) of a session. */
export const workshopSpeakers = pgTable(
  "workshop_speakers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    organisation: text("organisation").notNull(),
    topic: text("topic").notNull(),
    position: smallint("position").notNull().default(0),
  },
  (t) => [index("workshop_speakers_workshop_idx").on(t.workshopId)],
);
