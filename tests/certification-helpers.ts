/** Builds kader who meet (parts of) the certification rule through the real code paths. */
import { inflateSync } from "node:zlib";
import { and, eq, sql } from "drizzle-orm";
import { content, getModule } from "~/features/catalogue/content.server";
import { db } from "~/db.server";
import {
  attendance,
  quizAttempts,
  workshops,
  type AttendanceStatus,
  type WorkshopKind,
  type WorkshopStatus,
} from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { idempotencyKey, sessionCookie } from "./helpers";
import { markCompleted } from "~/features/learning/progress.server";
import { startAttempt, submitAttempt } from "~/features/learning/quiz.server";
import { recordObservations } from "~/features/certification/practice.server";
import { certificates, practiceObservations, users } from "~/db/schema";
import { refreshKaderProgress } from "~/features/projection/projection.server";
import type { SessionUser } from "~/auth.server";

export const DESA = "64.08.01.2001"; // Senyiur, Muara Ancalong, Kutai Timur
export const SLUGS = () => content().defaultProgramme.requiredModules;

const key = idempotencyKey;

let organiser: string | undefined;
export async function makeWorkshop(
  opts: { kind?: WorkshopKind; status?: WorkshopStatus; region?: string } = {},
): Promise<number> {
  organiser ??= (await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" })).id;
  const startsAt = new Date(Date.now() - 3 * 86_400_000);
  const [w] = await db
    .insert(workshops)
    .values({
      title: "Pelatihan Kader 6 SPM",
      kind: opts.kind ?? "pelatihan",
      audience: "kader",
      regionCode: opts.region ?? "64.08.01",
      venue: "Balai Desa",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 6 * 3600_000),
      capacity: 40,
      status: opts.status ?? "completed",
      createdBy: organiser,
    })
    .returning({ id: workshops.id });
  return w.id;
}

export async function attend(
  userId: string,
  opts: { status?: AttendanceStatus; kind?: WorkshopKind; workshopStatus?: WorkshopStatus } = {},
): Promise<void> {
  const workshopId = await makeWorkshop({ kind: opts.kind, status: opts.workshopStatus });
  await db.insert(attendance).values({ workshopId, userId, status: opts.status ?? "hadir", method: "roster" });
}

export async function readModule(userId: string, slug: string): Promise<void> {
  await markCompleted(userId, getModule(slug)!);
}

/** Takes a quiz through startAttempt/submitAttempt, answering all right (or all wrong). */
export async function takeQuiz(
  userId: string,
  slug: string,
  right = true,
): Promise<{ attemptId: string; score: number; passed: boolean }> {
  const started = await startAttempt(userId, slug, key());
  if (!started.ok) throw new Error(`start ${slug}: ${started.message}`);
  const [row] = await db
    .select({ draw: quizAttempts.draw })
    .from(quizAttempts)
    .where(eq(quizAttempts.id, started.attemptId));
  const entries: [string, string][] = row.draw.flatMap((q) => {
    const pick = right ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))!.id];
    return pick.map((v) => [`q_${q.id}`, v] as [string, string]);
  });
  const res = await submitAttempt(userId, slug, started.attemptId, entries);
  if (!res.ok) throw new Error(`submit ${slug}: ${res.message}`);
  return { attemptId: started.attemptId, score: res.score, passed: res.passed };
}

/** Moves a kader's quiz attempts back in time (past the cool-down, or before a cycle). */
export async function backdateAttempts(userId: string, ms: number, slug?: string): Promise<void> {
  const shift = sql`make_interval(secs => ${ms / 1000})`;
  await db
    .update(quizAttempts)
    .set({
      startedAt: sql`${quizAttempts.startedAt} - ${shift}`,
      submittedAt: sql`${quizAttempts.submittedAt} - ${shift}`,
    })
    .where(and(eq(quizAttempts.userId, userId), slug ? eq(quizAttempts.slug, slug) : undefined));
}

let posyanduId: number | undefined;
export async function newKader(opts: { desa?: string; name?: string } = {}) {
  const desa = opts.desa ?? DESA;
  // A kader of another desa gets a posyandu there; the default posyandu stays the one of DESA.
  const pid = opts.desa
    ? await makePosyandu({ name: "Posyandu Kenanga", desaCode: desa })
    : (posyanduId ??= await makePosyandu({ name: "Posyandu Melati 1", desaCode: DESA }));
  return makeUser({ role: "kader", scopeCode: desa, posyanduId: pid, name: opts.name ?? "Siti Aminah" });
}

/** A new kader (as newKader) with a session cookie, for calling routes as her. */
export async function kaderWithCookie(opts: { desa?: string; name?: string } = {}) {
  const k = await newKader(opts);
  return { ...k, cookie: await sessionCookie(k.id) };
}

/** ", praktik lapangan: n dari N tugas kompeten" as the rule's summary ends (N from the programme). */
export function praktikSuffix(done: number): string {
  const req = content().defaultProgramme.practice.required;
  return req ? `, praktik lapangan: ${Math.min(done, req)} dari ${req} tugas kompeten` : "";
}

const observers = new Map<string, SessionUser>();
/** A pembina kecamatan of the kader's kecamatan records `result` for these practice tasks (the programme's required ones by default). */
export async function practise(
  userId: string,
  opts: { tasks?: string[]; result?: "kompeten" | "belum_kompeten"; observedOn?: string } = {},
): Promise<void> {
  const [k] = await db
    .select({ scopeCode: users.scopeCode, posyanduId: users.posyanduId })
    .from(users)
    .where(eq(users.id, userId));
  if (!k.posyanduId) {
    // A kader without a posyandu cannot be on an observation sheet: write the records directly.
    const p = content().defaultProgramme.practice;
    const observer = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" });
    for (const t of opts.tasks ?? p.tasks.slice(0, p.required).map((t) => t.id)) {
      const steps = p.tasks.find((x) => x.id === t)!.steps.map(() => (opts.result ?? "kompeten") === "kompeten");
      await db.insert(practiceObservations).values({
        userId,
        taskId: t,
        observedOn: "2025-01-01",
        place: "Posyandu",
        steps,
        result: opts.result ?? "kompeten",
        observerId: observer.id,
        idempotencyKey: key(),
      });
    }
    return;
  }
  const kec = k.scopeCode.split(".").slice(0, 3).join(".");
  let observer = observers.get(kec);
  if (!observer) {
    const u = await makeUser({ role: "pembina_kecamatan", scopeCode: kec });
    observer = {
      id: u.id,
      name: "Pembina",
      phone: "",
      role: "pembina_kecamatan",
      scopeCode: kec,
      posyanduId: null,
      active: true,
      place: "",
    };
    observers.set(kec, observer);
  }
  const p = content().defaultProgramme.practice;
  const tasks = opts.tasks ?? p.tasks.slice(0, p.required).map((t) => t.id);
  for (const taskId of tasks) {
    const task = p.tasks.find((t) => t.id === taskId)!;
    const form = new FormData();
    form.set("taskId", taskId);
    form.set(
      "observedOn",
      opts.observedOn ?? new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10),
    );
    form.set("place", "Posyandu Melati");
    form.set("idempotencyKey", key());
    form.set(`hasil_${userId}`, opts.result ?? "kompeten");
    if ((opts.result ?? "kompeten") === "kompeten")
      task.steps.forEach((_, i) => form.append(`langkah_${userId}`, String(i)));
    const r = await recordObservations(observer, k.posyanduId!, form);
    if (!r.ok) throw new Error(`practise ${taskId}: ${JSON.stringify(r.errors)}`);
  }
}

/**
 * A kader with everything but `except`: every module read, every quiz passed, one
 * pelatihan attended. Without `except` the last step issues the certificate.
 */
export async function almostCertified(
  userId: string,
  except: "attendance" | "lastQuiz" | "practice" | "none" = "none",
): Promise<void> {
  const slugs = SLUGS();
  if (except !== "practice") await practise(userId);
  for (const s of slugs) await readModule(userId, s);
  for (const s of slugs.slice(0, -1)) await takeQuiz(userId, s);
  if (except === "lastQuiz") {
    await attend(userId);
    return;
  }
  if (except === "attendance") {
    await takeQuiz(userId, slugs[slugs.length - 1]);
    return;
  }
  if (except === "practice") {
    await attend(userId);
    await takeQuiz(userId, slugs[slugs.length - 1]);
    return;
  }
  await attend(userId);
  await takeQuiz(userId, slugs[slugs.length - 1]);
}

export const MONTH = 30 * 86_400_000;

/** The text drawn on the PDF pages: inflates the content streams and decodes the hex strings pdfkit writes. */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString("latin1");
  const out: string[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const start = m.index + m[0].length;
    const end = src.indexOf("endstream", start);
    if (end < 0) break;
    let body: string;
    try {
      body = inflateSync(Buffer.from(src.slice(start, end), "latin1")).toString("latin1");
    } catch {
      continue;
    }
    for (const tj of body.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      out.push(
        [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], "hex").toString("latin1")).join(""),
      );
    }
  }
  return out.join("\n");
}

let certificateSeq = 0;
/**
 * A kader certificate of the default programme written as a row (issued 5 days ago by 64.08,
 * not through the issuing code), then her progress refreshed so the rollups count it.
 */
export async function insertCertificate(userId: string, expiresInDays = 300): Promise<void> {
  certificateSeq += 1;
  await db.insert(certificates).values({
    code: `AP-N${String(certificateSeq).padStart(3, "0")}-XYZW`,
    userId,
    programmeId: content().defaultProgramme.id,
    cycle: 1,
    issuedAt: new Date(Date.now() - 5 * 86_400_000),
    expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
    issuingRegion: "64.08",
    payload: {},
    signature: "x",
  });
  await refreshKaderProgress([userId]);
}
