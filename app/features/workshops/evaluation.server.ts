/**
 * The participants' evaluation of a session (issue 20): relevance, clarity and the speaker on
 * 1–5 and a short comment, one row per participant who attended (a resubmit updates her row).
 * The summary shows the comments without names.
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { workshopEvaluations } from "~/db/schema";
import { notFound } from "~/lib/http";
import { participation, workshopOr404 } from "./measure-access.server";
import type { Workshop } from "./access.server";

export { EVALUATION_QUESTIONS, SCALE_LABEL } from "./evaluation";

const scale = (what: string) =>
  z.coerce
    .number({ error: `Pilih nilai ${what}.` })
    .int(`Pilih nilai ${what}.`)
    .min(1, `Pilih nilai ${what} (1–5).`)
    .max(5, `Pilih nilai ${what} (1–5).`);

export const evaluationSchema = z.object({
  relevance: z.preprocess((v) => (v === "" ? undefined : v), scale("kesesuaian materi")),
  clarity: z.preprocess((v) => (v === "" ? undefined : v), scale("kejelasan")),
  speaker: z.preprocess((v) => (v === "" ? undefined : v), scale("narasumber")),
  comment: z
    .string()
    .trim()
    .max(500, "Saran terlalu panjang (maksimal 500 karakter).")
    .optional()
    .transform((v) => v ?? ""),
});
export type EvaluationForm = z.infer<typeof evaluationSchema>;

/** The session, for a participant recorded present (hadir/terlambat); 404 for anyone else. */
export async function evaluationSession(user: SessionUser, workshopId: number): Promise<Workshop> {
  const w = await workshopOr404(user, workshopId);
  if (!(await participation(user.id, w.id)).attended) throw notFound("Evaluasi hanya untuk peserta yang hadir.");
  return w;
}

export async function ownEvaluation(userId: string, workshopId: number) {
  const [row] = await db
    .select()
    .from(workshopEvaluations)
    .where(and(eq(workshopEvaluations.workshopId, workshopId), eq(workshopEvaluations.userId, userId)));
  return row ?? null;
}

export type EvaluationResult = { ok: true } | { ok: false; errors: Record<string, string> };

/** Stores (or updates) the participant's own evaluation. */
export async function submitEvaluation(
  user: SessionUser,
  workshopId: number,
  input: Record<string, unknown>,
): Promise<EvaluationResult> {
  const w = await evaluationSession(user, workshopId);
  const parsed = evaluationSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  const v = parsed.data;
  await db
    .insert(workshopEvaluations)
    .values({ workshopId: w.id, userId: user.id, ...v })
    .onConflictDoUpdate({
      target: [workshopEvaluations.workshopId, workshopEvaluations.userId],
      set: {
        relevance: v.relevance,
        clarity: v.clarity,
        speaker: v.speaker,
        comment: v.comment,
        submittedAt: new Date(),
      },
    });
  return { ok: true };
}

export interface EvaluationSummary {
  n: number;
  relevance: number | null;
  clarity: number | null;
  speaker: number | null;
  /** Comments without names, oldest first. */
  comments: string[];
}

/** n, the average of each question and the comments (no names). */
export async function evaluationSummary(workshopId: number): Promise<EvaluationSummary> {
  const rows = await db
    .select({
      relevance: workshopEvaluations.relevance,
      clarity: workshopEvaluations.clarity,
      speaker: workshopEvaluations.speaker,
      comment: workshopEvaluations.comment,
    })
    .from(workshopEvaluations)
    .where(eq(workshopEvaluations.workshopId, workshopId))
    .orderBy(asc(workshopEvaluations.submittedAt), asc(workshopEvaluations.userId));
  const avg = (k: "relevance" | "clarity" | "speaker") =>
    rows.length ? rows.reduce((s, r) => s + r[k], 0) / rows.length : null;
  return {
    n: rows.length,
    relevance: avg("relevance"),
    clarity: avg("clarity"),
    speaker: avg("speaker"),
    comments: rows.map((r) => r.comment).filter((c) => c.length > 0),
  };
}

/** Each participant's scores, for the attendance exports. */
export async function evaluationsByUser(
  workshopId: number,
): Promise<Map<string, { relevance: number; clarity: number; speaker: number }>> {
  const rows = await db
    .select({
      userId: workshopEvaluations.userId,
      relevance: workshopEvaluations.relevance,
      clarity: workshopEvaluations.clarity,
      speaker: workshopEvaluations.speaker,
    })
    .from(workshopEvaluations)
    .where(eq(workshopEvaluations.workshopId, workshopId));
  return new Map(rows.map((r) => [r.userId, r]));
}
