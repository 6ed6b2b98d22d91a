/**
 * "Simpan semua modul untuk dibaca tanpa sinyal": the pages a kader's phone stores, and
 * their size. Saving also draws a quiz attempt for each quiz not yet passed (or returns
 * the one already open), so the quiz can be answered offline and sent later.
 */
import { gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { MODULE_CACHE_VERSIONS, programmesOf, type ModuleContent } from "~/features/catalogue/content.server";
import { moduleHtml } from "~/features/catalogue/mdx.server";
import { assignedSlugs, modulesInProgrammeOrder, progressFor } from "~/features/learning/progress.server";
import { requireQuizModule, startAttempt } from "~/features/learning/quiz.server";
import { content } from "~/features/catalogue/content.server";
import { lru } from "~/lib/lru";
import { RESPONSE_GZIP_LEVEL } from "~/lib/gzip-level";

/*
 * What "Simpan semua modul (N KB)" says: the bytes a phone downloads (gzip at RESPONSE_GZIP_LEVEL,
 * as server.ts compresses; not the uncompressed size the browser keeps, about 3.6 times more) for exactly the
 * pages offlineBundle lists. Each page is its text, gzipped here, plus the chrome around it
 * (header, navigation, forms): figures in gzip bytes measured on whole pages fetched through
 * the app by tests/offline-size.test.ts, which keeps the label within 5% of the real sum.
 */
/** Around a module's text (header, nav, "Bagian selesai" forms). Measured 1,490–1,590. */
const MODULE_CHROME = 1_540;
/** A quiz's start page (/modul/:slug/kuis). Measured 1,055–1,095. */
const QUIZ_START_PAGE = 1_070;
/** Around the drawn questions of an open attempt (/modul/:slug/kuis/:id). Measured 1,380–1,830. */
const ATTEMPT_CHROME = 1_530;
/** A growth chart drawn with a question (inline SVG). */
const CHART = 600;
/** Around the lists of /, /modul (module cards) and /istilah (terms), and /luring. Measured 7,700. */
const BASE_CHROME = 7_700;
const weights = lru<string, { page: number; attempt: number }>("modul-bobot-luring", MODULE_CACHE_VERSIONS);

/**
 * The page script fetches the pages it stores with this header (app/client/kader.js,
 * "Simpan semua modul"): storing a page is not opening it, so nothing she has not read is
 * marked "Sedang dibaca" and "Lanjutkan" stays where she stopped.
 */
export const STORING_HEADER = "X-Simpan";

/** True for a fetch that stores the page on the phone rather than a kader opening it. */
export function storedForOffline(request: Request): boolean {
  return request.headers.get(STORING_HEADER) === "1";
}

const gz = (text: string) => gzipSync(text, { level: RESPONSE_GZIP_LEVEL }).length;

/** A module's page and its quiz's open attempt (the draw's share of the bank's text and charts), cached per version. */
async function moduleWeight(mod: ModuleContent): Promise<{ page: number; attempt: number }> {
  const key = `${mod.slug}-${mod.hash}`;
  let w = weights.get(key);
  if (w === undefined) {
    const q = mod.quiz;
    const share = q ? q.draw / q.questions.length : 0;
    const text = q
      ? q.questions
          .map((x) => [x.prompt, ...("options" in x ? x.options.map((o) => o.text) : [])].join("\n"))
          .join("\n")
      : "";
    const charts = q ? q.questions.filter((x) => x.chart).length : 0;
    w = {
      page: gz(await moduleHtml(mod)) + MODULE_CHROME,
      attempt: Math.round(ATTEMPT_CHROME + share * (gz(text) + charts * CHART)),
    };
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

/**
 * The gzip bytes of the pages "Simpan semua modul" stores for her (offlineBundle's list): /,
 * /modul, /luring, /istilah; each module's page; for a module with a quiz its start page and,
 * while not passed, the open attempt.
 */
export async function offlineSize(userId: string): Promise<number> {
  const mods = await offlineModules(userId);
  const progress = await progressFor(
    userId,
    mods.map((m) => m.slug),
  );
  const cards = mods.map((m) => `${m.frontmatter.title}\n${m.frontmatter.summary}`).join("\n");
  const terms = content()
    .glossary.map((t) => `${t.term}\n${t.meaning}`)
    .join("\n");
  let total = BASE_CHROME + 2 * gz(cards) + gz(terms);
  for (const m of mods) {
    const w = await moduleWeight(m);
    total += w.page;
    if (hasQuiz(m)) total += QUIZ_START_PAGE + (progress.get(m.slug)?.passedAt ? 0 : w.attempt);
  }
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
