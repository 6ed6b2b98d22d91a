/**
 * "Simpan semua modul untuk dibaca tanpa sinyal": the pages a kader's phone stores, and
 * their size. Saving also draws a quiz attempt for each quiz not yet passed (or returns
 * the one already open), so the quiz can be answered offline and sent later.
 */
import { gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { programmesOf, type ModuleContent } from "~/features/learning/content.server";
import { moduleHtml } from "~/features/learning/mdx.server";
import { assignedSlugs, modulesInProgrammeOrder, progressFor } from "~/features/learning/progress.server";
import { requireQuizModule, startAttempt } from "~/features/learning/quiz.server";
import { content } from "~/features/learning/content.server";

/** Page chrome around a module's text (header, nav, forms) in gzip bytes, measured by `npm run bench:module`. */
const PAGE_OVERHEAD = 2_000;
/** A quiz page (start page or attempt form) and the base pages (/, /modul, /luring), gzip bytes. */
const QUIZ_PAGE = 1_500;
const BASE_PAGES = 7_500;
const weights = new Map<string, number>();

async function moduleWeight(mod: ModuleContent): Promise<number> {
  const key = `${mod.slug}-${mod.hash}`;
  let w = weights.get(key);
  if (w === undefined) {
    w = gzipSync(await moduleHtml(mod)).length + PAGE_OVERHEAD;
    weights.set(key, w);
  }
  return w;
}

/** The kader's modules: the default programme's required ones plus assigned ones, in programme order. */
export async function offlineModules(userId: string): Promise<ModuleContent[]> {
  const required = new Set(content().defaultProgramme.requiredModules);
  const assigned = new Set(await assignedSlugs(userId));
  return modulesInProgrammeOrder().filter((m) => required.has(m.slug) || assigned.has(m.slug));
}

const hasQuiz = (m: ModuleContent) => !!m.quiz && programmesOf(m.slug).length > 0;

/** Approximate gzip bytes the phone stores for all modules and their quizzes. */
export async function offlineSize(userId: string): Promise<number> {
  const mods = await offlineModules(userId);
  let total = BASE_PAGES;
  for (const m of mods) total += (await moduleWeight(m)) + (hasQuiz(m) ? 2 * QUIZ_PAGE : 0);
  return total;
}

/** Draws the open attempts and lists the URLs to store (same-user pages only). */
export async function offlineBundle(userId: string): Promise<{ urls: string[]; attempts: number }> {
  const mods = await offlineModules(userId);
  const progress = await progressFor(
    userId,
    mods.map((m) => m.slug),
  );
  // The glossary too: modules link their terms to it.
  const urls = ["/", "/modul", "/luring", "/istilah"];
  let attempts = 0;
  for (const m of mods) {
    urls.push(`/modul/${m.slug}`);
    if (!hasQuiz(m)) continue;
    urls.push(`/modul/${m.slug}/kuis`);
    if (progress.get(m.slug)?.passedAt) continue;
    const started = await startAttempt(userId, requireQuizModule(m.slug).slug, randomBytes(16).toString("hex"));
    if (started.ok) {
      urls.push(`/modul/${m.slug}/kuis/${started.attemptId}`);
      attempts++;
    }
  }
  return { urls, attempts };
}

export function formatKb(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString("id-ID")} KB`;
}
