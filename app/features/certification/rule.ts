/**
 * The certification rule (docs/ARCHITECTURE.md, "Where each rule lives") as pure functions.
 *
 * A kader is certified in a programme cycle when
 *  - they attended at least `attendance.minSessions` sessions of `attendance.kind`
 *    with a status in `attendance.statuses` (a cancelled or draft session never counts),
 *  - every required module is completed (read), and
 *  - for every required module, an attempt of its quiz submitted in the current cycle
 *    scores at or above the pass score: `programme.passScore` when the programme sets
 *    one, else the pass score the attempt was taken under, and
 *  - at least `practice.required` different practice tasks of the programme were
 *    observed "kompeten": for each task the latest observation counts (a correction is
 *    a newer record), so a later "belum kompeten" undoes an earlier "kompeten".
 *
 * Cycles: the first cycle starts at the beginning of time; a new one starts when the
 * previous certificate ends (expires, or is revoked). Quiz results count only inside
 * the current cycle, so recertification means passing the quizzes again; attendance,
 * observed practice and module completion carry over (a kader does not have to sit the pelatihan or
 * re-read the modules every two years).
 */
import type { AttendanceStatus, WorkshopKind, WorkshopStatus } from "~/db/schema";
import type { PracticeResult } from "~/db/schema";
import type { Programme } from "~/features/catalogue/content-schema";
// The WITA helpers live in app/lib/timezone.ts; re-exported for the importers not moved yet
// (evaluate.server.ts, routes/sertifikat._index.tsx).

export interface AttendanceFact {
  workshopId: number;
  kind: WorkshopKind;
  workshopStatus: WorkshopStatus;
  status: AttendanceStatus;
}

export interface AttemptFact {
  slug: string;
  score: number;
  /** The pass score stored with the attempt (the quiz bank's at the time). */
  passScore: number;
  submittedAt: Date;
}

export interface PracticeFact {
  taskId: string;
  result: PracticeResult;
  /** Order of recording: the latest record per task counts. */
  recordedAt: Date;
  id: number;
  observedOn: string;
}

export interface RuleInput {
  /** Observations of practice tasks (any cycle; the latest per task counts). */
  practice?: PracticeFact[];
  attendance: AttendanceFact[];
  /** Slugs of modules the kader completed (read), in any cycle. */
  completed: Iterable<string>;
  /** Submitted quiz attempts (any cycle; the rule filters by `cycleStart`). */
  attempts: AttemptFact[];
  /** Start of the current cycle: attempts submitted before it do not count. Null for the first cycle. */
  cycleStart: Date | null;
}

export type RulePolicy = Pick<Programme, "requiredModules" | "passScore" | "attendance"> &
  Partial<Pick<Programme, "practice">>;

export interface PracticeStatus {
  taskId: string;
  title: string;
  /** Latest observation of the task, null when never observed. */
  result: PracticeResult | null;
  observedOn: string | null;
}

export interface ModuleStatus {
  slug: string;
  completed: boolean;
  quizPassed: boolean;
  /** Best score in the current cycle, null when no attempt counts. */
  bestScore: number | null;
  /** The pass score the best attempt is measured against. */
  passScore: number | null;
  /** Completed and quiz passed. */
  done: boolean;
}

export interface RuleResult {
  certified: boolean;
  modules: ModuleStatus[];
  modulesDone: number;
  modulesRequired: number;
  attendance: { kind: WorkshopKind; required: number; attended: number; ok: boolean };
  /** Practice tasks of the programme with their latest result; `done` = tasks observed kompeten. */
  practice: { required: number; done: number; ok: boolean; tasks: PracticeStatus[] };
  /** Required modules not yet done, in programme order. */
  missing: ModuleStatus[];
  /** "2 dari 8 modul lulus, kehadiran pelatihan: belum" */
  summary: string;
}

/** The latest observation of each task (by recording time, then id). */
export function latestPractice(facts: PracticeFact[]): Map<string, PracticeFact> {
  const latest = new Map<string, PracticeFact>();
  for (const f of facts) {
    const cur = latest.get(f.taskId);
    if (!cur || f.recordedAt > cur.recordedAt || (f.recordedAt.getTime() === cur.recordedAt.getTime() && f.id > cur.id))
      latest.set(f.taskId, f);
  }
  return latest;
}

export function practiceStatus(policy: RulePolicy, facts: PracticeFact[]): RuleResult["practice"] {
  const tasks = policy.practice?.tasks ?? [];
  const required = policy.practice?.required ?? 0;
  const latest = latestPractice(facts);
  const list = tasks.map((t): PracticeStatus => {
    const l = latest.get(t.id);
    return { taskId: t.id, title: t.title, result: l?.result ?? null, observedOn: l?.observedOn ?? null };
  });
  const done = list.filter((t) => t.result === "kompeten").length;
  return { required, done, ok: done >= required, tasks: list };
}

/** Sessions that count: right kind, status counted, and a session that really took place or is under way. */
export function countedSessions(policy: RulePolicy, attendance: AttendanceFact[]): number {
  const ids = new Set<number>();
  for (const a of attendance) {
    if (a.kind !== policy.attendance.kind) continue;
    if (a.workshopStatus !== "published" && a.workshopStatus !== "completed") continue;
    if (!policy.attendance.statuses.includes(a.status)) continue;
    ids.add(a.workshopId);
  }
  return ids.size;
}

export function inCycle(submittedAt: Date, cycleStart: Date | null): boolean {
  return !cycleStart || submittedAt.getTime() >= cycleStart.getTime();
}

export function evaluateRule(policy: RulePolicy, input: RuleInput): RuleResult {
  const completed = new Set(input.completed);
  const modules = policy.requiredModules.map((slug): ModuleStatus => {
    let best: { score: number; passScore: number } | null = null;
    let quizPassed = false;
    for (const a of input.attempts) {
      if (a.slug !== slug || !inCycle(a.submittedAt, input.cycleStart)) continue;
      const threshold = policy.passScore ?? a.passScore;
      const passes = a.score >= threshold;
      quizPassed ||= passes;
      // The best attempt: a passing one over a failing one, then the higher score.
      const bestPasses = best ? best.score >= best.passScore : false;
      if (!best || (passes && !bestPasses) || (passes === bestPasses && a.score > best.score)) {
        best = { score: a.score, passScore: threshold };
      }
    }
    const isCompleted = completed.has(slug);
    return {
      slug,
      completed: isCompleted,
      quizPassed,
      bestScore: best?.score ?? null,
      passScore: best?.passScore ?? policy.passScore ?? null,
      done: isCompleted && quizPassed,
    };
  });
  const attended = countedSessions(policy, input.attendance);
  const required = policy.attendance.minSessions;
  const attendanceOk = attended >= required;
  const modulesDone = modules.filter((m) => m.done).length;
  const practice = practiceStatus(policy, input.practice ?? []);
  const result: Omit<RuleResult, "summary"> = {
    certified: attendanceOk && modulesDone === modules.length && practice.ok,
    practice,
    modules,
    modulesDone,
    modulesRequired: modules.length,
    attendance: { kind: policy.attendance.kind, required, attended, ok: attendanceOk },
    missing: modules.filter((m) => !m.done),
  };
  return { ...result, summary: progressSummary(result) };
}

export function attendanceLabel(a: RuleResult["attendance"]): string {
  if (a.required === 0) return "tidak wajib";
  if (a.required === 1) return a.ok ? "sudah" : "belum";
  return `${Math.min(a.attended, a.required)} dari ${a.required} sesi`;
}

export function progressSummary(
  r: Pick<RuleResult, "modulesDone" | "modulesRequired" | "attendance"> & Partial<Pick<RuleResult, "practice">>,
): string {
  const base = `${r.modulesDone} dari ${r.modulesRequired} modul lulus, kehadiran ${r.attendance.kind}: ${attendanceLabel(r.attendance)}`;
  if (!r.practice?.required) return base;
  return `${base}, praktik lapangan: ${Math.min(r.practice.done, r.practice.required)} dari ${r.practice.required} tugas kompeten`;
}

export const PRACTICE_RESULT_LABEL: Record<PracticeResult, string> = {
  kompeten: "Kompeten",
  belum_kompeten: "Belum kompeten",
};

/** What is still missing for one module, in words for the kader. */
export function missingLabel(m: ModuleStatus): string {
  const parts: string[] = [];
  if (!m.completed) parts.push("belum selesai dibaca");
  if (!m.quizPassed) {
    parts.push(
      m.bestScore === null
        ? "kuis belum dikerjakan"
        : `kuis belum lulus (nilai terbaik ${m.bestScore}${m.passScore !== null ? `, batas lulus ${m.passScore}` : ""})`,
    );
  }
  return parts.join("; ");
}

// ---------------------------------------------------------------- cycles and validity

export interface CertificateTimes {
  cycle: number;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** When a certificate stops being valid: its revocation, or its expiry. */
export function certificateEnd(c: Pick<CertificateTimes, "expiresAt" | "revokedAt">): Date {
  return c.revokedAt && c.revokedAt < c.expiresAt ? c.revokedAt : c.expiresAt;
}

export function isValidAt(c: Pick<CertificateTimes, "expiresAt" | "revokedAt">, now: Date): boolean {
  return !c.revokedAt && c.expiresAt.getTime() > now.getTime();
}

/**
 * The current cycle of a kader in a programme, from their certificates:
 * `valid` = the certificate in force now (if any), `cycle` = the cycle number a new
 * certificate would get, `start` = when the current cycle began (null = the first).
 */
export function currentCycle<T extends CertificateTimes>(
  certs: T[],
  now: Date,
): { valid: T | null; cycle: number; start: Date | null } {
  let latest: T | null = null;
  let start: Date | null = null;
  for (const c of certs) {
    if (!latest || c.cycle > latest.cycle) latest = c;
    const end = certificateEnd(c);
    if (end.getTime() <= now.getTime() && (!start || end > start)) start = end;
  }
  if (latest && isValidAt(latest, now)) return { valid: latest, cycle: latest.cycle, start };
  return { valid: null, cycle: (latest?.cycle ?? 0) + 1, start };
}

/** Whole days from `now` until `date` (negative once past). */
export function daysUntil(date: Date, now: Date): number {
  return Math.ceil((date.getTime() - now.getTime()) / 86_400_000);
}
