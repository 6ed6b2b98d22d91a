/** zod schemas for content/: module frontmatter, quiz banks and the programme definition. */
import { z } from "zod";
import { ROLES, SPM_BIDANG } from "~/db/schema";

export const SPM_OR_UMUM = ["umum", ...SPM_BIDANG] as const;
export type ModuleSpm = (typeof SPM_OR_UMUM)[number];

export const frontmatterSchema = z.object({
  title: z.string().min(3).max(120),
  spm: z.enum(SPM_OR_UMUM),
  order: z.number().int().min(0).max(999),
  minutes: z.number().int().min(1).max(240),
  summary: z.string().min(10).max(400),
  objectives: z.array(z.string().min(5)).min(1).max(10),
});
export type Frontmatter = z.infer<typeof frontmatterSchema>;

/** Points of a child's weight-for-age line: [age in months, weight in kg], ages rising, 2–8 points, 0–24 months. */
export const growthChartSchema = z.object({
  points: z
    .array(z.tuple([z.number().int().min(0).max(24), z.number().min(1).max(20)]))
    .min(2)
    .max(8)
    .refine((pts) => pts.every((p, i) => i === 0 || p[0] > pts[i - 1][0]), "ages must rise from point to point"),
  /** Who the chart is about, for the text alternative ("Dimas, laki-laki"). */
  name: z.string().min(2).max(60),
});
export type GrowthChart = z.infer<typeof growthChartSchema>;

const optionSchema = z.object({
  id: z.string().regex(/^[a-e]$/, "option id must be a..e"),
  text: z.string().min(1).max(300),
});

const questionBase = {
  id: z.string().regex(/^[a-z0-9_-]{1,20}$/, "question id: lowercase letters, digits, - or _"),
  prompt: z.string().min(5).max(600),
  explanation: z.string().min(5).max(1200),
  /** Anchor of the module section (## or ### heading, slugified) to re-read after a wrong answer. */
  section: z.string().regex(/^[a-z0-9-]{1,80}$/, "section: the anchor of a ## or ### heading (lowercase, digits, -)"),
  /** The sentence, table row or figure text of that section the item depends on (quoted; checked to be there). */
  source: z.string().min(8).max(400).optional(),
  /**
   * The answer a careful adult who has not read the module would give, then why:
   * "c — aturan KMS lama". Single: one option id; multiple: ids ("a, c"); true/false: Benar or Salah.
   */
  tebakanAwam: z.string().min(5).max(400).optional(),
  /** True when general good sense alone finds the key (at most one item in five per bank). */
  akalSehat: z.boolean().optional(),
  /** Items that test one fact, or where one answers another, share a kelompok: never drawn together. */
  kelompok: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, "kelompok: lowercase letters, digits or -")
    .optional(),
  /** A growth chart drawn with the item (weight in kg by age in months), shown above the options. */
  chart: growthChartSchema.optional(),
};

export const questionSchema = z.discriminatedUnion("type", [
  z
    .object({
      ...questionBase,
      type: z.literal("single"),
      options: z.array(optionSchema).min(2).max(6),
      answer: z.string(),
    })
    .superRefine((q, ctx) => {
      if (!q.options.some((o) => o.id === q.answer))
        ctx.addIssue({ code: "custom", path: ["answer"], message: `"${q.answer}" is not an option id` });
    }),
  z
    .object({
      ...questionBase,
      type: z.literal("multiple"),
      options: z.array(optionSchema).min(3).max(6),
      answer: z.array(z.string()).min(2),
    })
    .superRefine((q, ctx) => {
      for (const a of q.answer) {
        if (!q.options.some((o) => o.id === a))
          ctx.addIssue({ code: "custom", path: ["answer"], message: `"${a}" is not an option id` });
      }
      if (new Set(q.answer).size !== q.answer.length)
        ctx.addIssue({ code: "custom", path: ["answer"], message: "duplicate answer ids" });
    }),
  z.object({ ...questionBase, type: z.literal("truefalse"), answer: z.boolean() }),
]);
export type Question = z.infer<typeof questionSchema>;

export const quizBankSchema = z
  .object({
    draw: z.number().int().min(1),
    passScore: z.number().int().min(1).max(100),
    maxAttempts: z.number().int().min(0).max(100),
    cooldownMinutes: z.number().int().min(0).max(10_080),
    questions: z.array(questionSchema).min(12, "a bank needs at least 12 questions"),
    /** How every item was reviewed for answers a careful adult finds without the module. */
    review: z.string().min(40).max(2000).optional(),
  })
  .superRefine((bank, ctx) => {
    if (bank.draw > bank.questions.length)
      ctx.addIssue({
        code: "custom",
        path: ["draw"],
        message: `draw ${bank.draw} > ${bank.questions.length} questions`,
      });
    const units = new Set(bank.questions.map((q) => (q.kelompok ? `k:${q.kelompok}` : `i:${q.id}`)));
    if (bank.draw > units.size)
      ctx.addIssue({
        code: "custom",
        path: ["draw"],
        message: `draw ${bank.draw} > ${units.size} items that may be drawn together (kelompok)`,
      });
    const seen = new Set<string>();
    bank.questions.forEach((q, i) => {
      if (seen.has(q.id))
        ctx.addIssue({ code: "custom", path: ["questions", i, "id"], message: `duplicate question id "${q.id}"` });
      seen.add(q.id);
      if (q.type !== "truefalse" && new Set(q.options.map((o) => o.id)).size !== q.options.length) {
        ctx.addIssue({ code: "custom", path: ["questions", i, "options"], message: "duplicate option ids" });
      }
    });
  });
export type QuizBank = z.infer<typeof quizBankSchema>;

/** A practice task (praktik lapangan) a pembina observes, with its observable steps. */
export const practiceTaskSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,40}$/, "task id: lowercase letters, digits or -"),
  title: z.string().min(5).max(160),
  spm: z.enum(SPM_OR_UMUM),
  steps: z.array(z.string().min(5).max(240)).min(2).max(12),
});
export type PracticeTask = z.infer<typeof practiceTaskSchema>;

export const practiceSchema = z
  .object({
    /** How many different tasks a kader must be observed "kompeten" in. */
    required: z.number().int().min(0),
    tasks: z.array(practiceTaskSchema),
  })
  .superRefine((p, ctx) => {
    if (p.required > p.tasks.length)
      ctx.addIssue({ code: "custom", path: ["required"], message: `required ${p.required} > ${p.tasks.length} tasks` });
    const seen = new Set<string>();
    p.tasks.forEach((t, i) => {
      if (seen.has(t.id))
        ctx.addIssue({ code: "custom", path: ["tasks", i, "id"], message: `duplicate task id "${t.id}"` });
      seen.add(t.id);
    });
  });
export type Practice = z.infer<typeof practiceSchema>;

export const programmeSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,40}$/),
  title: z.string().min(3),
  default: z.boolean().default(false),
  /** Who takes the programme: kader, or the Tim Pembina (issue 20). A user is evaluated in the programmes of her role. */
  roles: z.array(z.enum(ROLES)).min(1).default(["kader"]),
  requiredModules: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
  /** Overrides the quiz banks' pass score for certification when set. */
  passScore: z.number().int().min(1).max(100).optional(),
  attendance: z.object({
    kind: z.enum(["sosialisasi", "pelatihan", "pendampingan"]),
    statuses: z.array(z.enum(["hadir", "terlambat", "izin", "alpa"])).min(1),
    minSessions: z.number().int().min(0),
  }),
  validityMonths: z.number().int().min(1).max(120),
  /** Observed field practice; a programme without it requires none. */
  practice: practiceSchema.default({ required: 0, tasks: [] }),
});
export type Programme = z.infer<typeof programmeSchema>;

export const programmeFileSchema = z
  .object({ programmes: z.array(programmeSchema).min(1) })
  .refine((f) => f.programmes.filter((p) => p.default).length === 1, {
    message: "exactly one programme must have default: true",
  })
  .refine((f) => f.programmes.find((p) => p.default)?.roles.includes("kader"), {
    message: "the default programme is the kader's (roles must include kader)",
  });

/** "questions[4].answer: …" style paths for error messages that name the field. */
export function formatIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const p = i.path
      .map((seg) => (typeof seg === "number" ? `[${seg}]` : `.${String(seg)}`))
      .join("")
      .replace(/^\./, "");
    return `${file}: ${p || "(root)"}: ${i.message}`;
  });
}

export const glossaryTermSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/, "id: lowercase letters, digits or -"),
  term: z.string().min(2).max(60),
  meaning: z.string().min(10).max(400),
  /** Spellings recognised in module text (default: the term). All-caps forms match exactly, others ignore case. */
  match: z.array(z.string().min(2).max(60)).min(1).optional(),
});
export type GlossaryTerm = z.infer<typeof glossaryTermSchema>;

export const glossaryFileSchema = z.object({ terms: z.array(glossaryTermSchema).min(1) }).superRefine((f, ctx) => {
  const seen = new Set<string>();
  f.terms.forEach((t, i) => {
    if (seen.has(t.id))
      ctx.addIssue({ code: "custom", path: ["terms", i, "id"], message: `duplicate term id "${t.id}"` });
    seen.add(t.id);
  });
});
