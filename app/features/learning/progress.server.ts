/** Per-kader module progress: opened, completed (read) and the best quiz score. */
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, type Tx } from "~/db.server";
import { moduleAssignments, moduleProgress } from "~/db/schema";
import { content, programmesOf, type ModuleContent } from "~/features/catalogue/content.server";
import { kaderInputsChanged } from "~/features/certification/evaluate.server";
import type { Programme } from "~/features/catalogue/content-schema";

export interface ProgressRow {
  slug: string;
  contentHash: string;
  openedAt: Date;
  completedAt: Date | null;
  bestScore: number | null;
  passedAt: Date | null;
  lastSection: string | null;
  readAt: Date | null;
}

export async function progressFor(userId: string, slugs?: string[]): Promise<Map<string, ProgressRow>> {
  const rows = await db
    .select({
      slug: moduleProgress.slug,
      contentHash: moduleProgress.contentHash,
      openedAt: moduleProgress.openedAt,
      completedAt: moduleProgress.completedAt,
      bestScore: moduleProgress.bestScore,
      passedAt: moduleProgress.passedAt,
      lastSection: moduleProgress.lastSection,
      readAt: moduleProgress.readAt,
    })
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userId), slugs ? inArray(moduleProgress.slug, slugs) : undefined));
  return new Map(rows.map((r) => [r.slug, r]));
}

/**
 * Opening a module records the first time and the version seen. Only her opening counts: a
 * page stored for reading offline is not opened (see `storedForOffline` in offline.server.ts).
 */
export async function recordOpened(userId: string, mod: ModuleContent): Promise<void> {
  await db
    .insert(moduleProgress)
    .values({ userId, slug: mod.slug, contentHash: mod.hash, readAt: sql`now()` })
    .onConflictDoUpdate({
      target: [moduleProgress.userId, moduleProgress.slug],
      set: { contentHash: mod.hash, readAt: sql`now()` },
    });
}

/**
 * "Bagian ini selesai": remembers the furthest section finished (`sectionIds` in reading
 * order) and when she read there. Going back to an earlier section never moves it back.
 */
export async function recordSection(
  userId: string,
  mod: ModuleContent,
  sectionIds: string[],
  sectionId: string,
): Promise<void> {
  const index = sectionIds.indexOf(sectionId);
  if (index < 0) return;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ lastSection: moduleProgress.lastSection })
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.slug, mod.slug)))
      .for("update");
    const further = !row || sectionIds.indexOf(row.lastSection ?? "") < index;
    await tx
      .insert(moduleProgress)
      .values({ userId, slug: mod.slug, contentHash: mod.hash, lastSection: sectionId, readAt: sql`now()` })
      .onConflictDoUpdate({
        target: [moduleProgress.userId, moduleProgress.slug],
        set: { readAt: sql`now()`, ...(further ? { lastSection: sectionId } : {}) },
      });
  });
}

/** "Selesai membaca": idempotent, the first completion time is kept. */
export async function markCompleted(userId: string, mod: ModuleContent, lastSection?: string): Promise<void> {
  await db.transaction(async (tx) => {
    await markCompletedIn(tx, userId, mod, lastSection);
    // Reading the last module may complete the certification rule.
    await kaderInputsChanged(tx, [userId], { certify: programmesOf(mod.slug).length > 0 });
  });
}

async function markCompletedIn(tx: Tx, userId: string, mod: ModuleContent, lastSection?: string): Promise<void> {
  await tx
    .insert(moduleProgress)
    .values({
      userId,
      slug: mod.slug,
      contentHash: mod.hash,
      completedAt: new Date(),
      lastSection: lastSection ?? null,
      readAt: sql`now()`,
    })
    .onConflictDoUpdate({
      target: [moduleProgress.userId, moduleProgress.slug],
      set: {
        contentHash: mod.hash,
        completedAt: sql`coalesce(${moduleProgress.completedAt}, now())`,
        readAt: sql`now()`,
        ...(lastSection ? { lastSection } : {}),
      },
    });
}

export async function assignedSlugs(userId: string): Promise<string[]> {
  const rows = await db
    .select({ slug: moduleAssignments.slug })
    .from(moduleAssignments)
    .where(eq(moduleAssignments.userId, userId));
  return rows.map((r) => r.slug);
}

export type ModuleState = "baru" | "dibuka" | "selesai" | "lulus";

export function moduleState(p: ProgressRow | undefined): ModuleState {
  if (!p) return "baru";
  if (p.passedAt && p.completedAt) return "lulus";
  if (p.completedAt) return "selesai";
  return "dibuka";
}

export const STATE_LABEL: Record<ModuleState, string> = {
  baru: "Belum dibuka",
  dibuka: "Sedang dibaca",
  selesai: "Selesai dibaca",
  lulus: "Lulus kuis",
};

export interface ModuleCard {
  slug: string;
  title: string;
  spm: string;
  minutes: number;
  summary: string;
  state: ModuleState;
  bestScore: number | null;
  required: boolean;
}

/**
 * Modules in the one order every page uses: the default programme's required modules in
 * the programme's order, then the others by their frontmatter order.
 */
export function modulesInProgrammeOrder(programme: Programme = content().defaultProgramme): ModuleContent[] {
  const c = content();
  const rank = new Map(programme.requiredModules.map((slug, i) => [slug, i]));
  return [...c.modules].sort((a, b) => (rank.get(a.slug) ?? Infinity) - (rank.get(b.slug) ?? Infinity) || 0);
}

/** "Modul saya": the programme's modules (the kader's by default) plus any assigned to the user. */
export async function myModules(
  userId: string,
  programme: Programme = content().defaultProgramme,
): Promise<ModuleCard[]> {
  const required = new Set(programme.requiredModules);
  const assigned = new Set(await assignedSlugs(userId));
  const progress = await progressFor(userId);
  return modulesInProgrammeOrder(programme)
    .filter((m) => required.has(m.slug) || assigned.has(m.slug))
    .map((m) => toCard(m, progress.get(m.slug), required.has(m.slug)));
}

export function toCard(m: ModuleContent, p: ProgressRow | undefined, required: boolean): ModuleCard {
  return {
    slug: m.slug,
    title: m.frontmatter.title,
    spm: m.frontmatter.spm,
    minutes: m.frontmatter.minutes,
    summary: m.frontmatter.summary,
    state: moduleState(p),
    bestScore: p?.bestScore ?? null,
    required,
  };
}
