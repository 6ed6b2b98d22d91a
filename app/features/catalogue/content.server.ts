/**
 * Course content from disk: modules (MDX + quiz bank) and programmes, validated with
 * zod at start; MDX compiled with mdx-bundler once per content hash and cached in
 * memory and on disk; module versions recorded in `module_versions`.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";

import { db } from "~/db.server";
import { env } from "~/env.server";
import { lru } from "~/lib/lru";
import { moduleVersions, type Role } from "~/db/schema";
import {
  formatIssues,
  frontmatterSchema,
  glossaryFileSchema,
  programmeFileSchema,
  quizBankSchema,
  type Frontmatter,
  type GlossaryTerm,
  type Programme,
  type QuizBank,
} from "~/features/catalogue/content-schema";
import { headingsOf, type Heading } from "~/features/catalogue/headings";

export const MDX_COMPONENTS = [
  "Penting",
  "StudiKasus",
  "DaftarPeriksa",
  "Istilah",
  "Sumber",
  "Alur",
  "Bagan",
  "GrafikPertumbuhan",
] as const;

export interface ModuleContent {
  slug: string;
  /** content/modules/NN-slug */
  dir: string;
  frontmatter: Frontmatter;
  /** MDX source without the frontmatter block. */
  body: string;
  quiz: QuizBank | null;
  /** sha256 of index.mdx and quiz.yaml (first 16 hex): the module version. */
  hash: string;
  words: number;
  /** ## and ### headings with their anchors (quiz questions link to them). */
  headings: Heading[];
}

export interface Content {
  modules: ModuleContent[];
  bySlug: Map<string, ModuleContent>;
  programmes: Programme[];
  defaultProgramme: Programme;
  /** content/glossary.yaml (page /istilah); empty when the file is absent. */
  glossary: GlossaryTerm[];
  /** sha256 of glossary.yaml (first 16 hex): rendered module HTML depends on it. */
  glossaryHash: string;
}

export class ContentError extends Error {
  constructor(public issues: string[]) {
    super(`Konten tidak valid (${issues.length} masalah):\n  - ${issues.join("\n  - ")}`);
    this.name = "ContentError";
  }
}

function splitFrontmatter(file: string, text: string): { data: unknown; body: string } | string {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return `${file}: frontmatter: missing (the file must start with a --- block)`;
  try {
    return { data: parseYaml(m[1]), body: text.slice(m[0].length) };
  } catch (e) {
    return `${file}: frontmatter: YAML error: ${(e as Error).message.split("\n")[0]}`;
  }
}

function readYaml(file: string, issues: string[]): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    issues.push(`${file}: YAML error: ${(e as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

/** Reads and validates everything under `root`; throws ContentError naming file and field. */
export function loadContent(root = "content"): Content {
  const issues: string[] = [];
  const modulesDir = path.join(root, "modules");
  const modules: ModuleContent[] = [];
  /** Modules whose own files already produced an issue: not reported again by the programme check. */
  const broken = new Set<string>();
  const dirs = existsSync(modulesDir)
    ? readdirSync(modulesDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  for (const name of dirs) {
    const dir = path.join(modulesDir, name);
    const m = /^(\d{2})-([a-z0-9-]+)$/.exec(name);
    if (!m) {
      issues.push(`${dir}: folder name must be NN-slug (e.g. 03-spm-kesehatan)`);
      continue;
    }
    const slug = m[2];
    const before = issues.length;
    const mdxFile = path.join(dir, "index.mdx");
    if (!existsSync(mdxFile)) {
      issues.push(`${mdxFile}: missing`);
      broken.add(slug);
      continue;
    }
    const mdxText = readFileSync(mdxFile, "utf8");
    const split = splitFrontmatter(mdxFile, mdxText);
    if (typeof split === "string") {
      issues.push(split);
      broken.add(slug);
      continue;
    }
    const fm = frontmatterSchema.safeParse(split.data);
    if (!fm.success) issues.push(...formatIssues(`${mdxFile} frontmatter`, fm.error));
    for (const tag of new Set([...split.body.matchAll(/<([A-Z][A-Za-z0-9]*)/g)].map((x) => x[1]))) {
      if (!(MDX_COMPONENTS as readonly string[]).includes(tag))
        issues.push(`${mdxFile}: unknown component <${tag}> (allowed: ${MDX_COMPONENTS.join(", ")})`);
    }
    if (/^\s*(import|export)\s/m.test(split.body))
      issues.push(`${mdxFile}: import/export statements are not allowed in modules`);

    const quizFile = path.join(dir, "quiz.yaml");
    let quiz: QuizBank | null = null;
    let quizText = "";
    if (existsSync(quizFile)) {
      quizText = readFileSync(quizFile, "utf8");
      const raw = readYaml(quizFile, issues);
      if (raw !== undefined) {
        const q = quizBankSchema.safeParse(raw);
        if (q.success) quiz = q.data;
        else issues.push(...formatIssues(quizFile, q.error));
      }
    }
    const headings = headingsOf(split.body);
    if (quiz) {
      const anchors = new Set(headings.map((h) => h.id));
      quiz.questions.forEach((q, i) => {
        if (!anchors.has(q.section))
          issues.push(
            `${quizFile}: questions[${i}].section: "${q.section}" is not a heading of index.mdx (one of: ${[...anchors].join(", ")})`,
          );
      });
    }
    if (issues.length > before) broken.add(slug);
    if (!fm.success) continue;
    const hash = createHash("sha256").update(mdxText).update("\0").update(quizText).digest("hex").slice(0, 16);
    const words = split.body
      .replace(/<[^>]+>/g, " ")
      .split(/\s+/)
      .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    modules.push({ slug, dir, frontmatter: fm.data, body: split.body, quiz, hash, words, headings });
  }
  const dupSlugs = modules.map((m) => m.slug).filter((s, i, a) => a.indexOf(s) !== i);
  for (const s of new Set(dupSlugs)) issues.push(`${modulesDir}: slug "${s}" is used by more than one folder`);

  const programmeFile = path.join(root, "programme.yaml");
  let programmes: Programme[] = [];
  const rawProgrammes = existsSync(programmeFile)
    ? readYaml(programmeFile, issues)
    : (issues.push(`${programmeFile}: missing`), undefined);
  if (rawProgrammes !== undefined) {
    const p = programmeFileSchema.safeParse(rawProgrammes);
    if (!p.success) issues.push(...formatIssues(programmeFile, p.error));
    else programmes = p.data.programmes;
  }
  const bySlug = new Map(modules.map((m) => [m.slug, m]));
  programmes.forEach((p, pi) =>
    p.requiredModules.forEach((slug, i) => {
      const mod = bySlug.get(slug);
      if (broken.has(slug)) return;
      if (!mod) issues.push(`${programmeFile}: programmes[${pi}].requiredModules[${i}]: no module with slug "${slug}"`);
      else if (!mod.quiz)
        issues.push(`${programmeFile}: programmes[${pi}].requiredModules[${i}]: module "${slug}" has no quiz.yaml`);
    }),
  );
  const glossaryFile = path.join(root, "glossary.yaml");
  let glossary: GlossaryTerm[] = [];
  let glossaryHash = "";
  if (existsSync(glossaryFile)) {
    const text = readFileSync(glossaryFile, "utf8");
    glossaryHash = createHash("sha256").update(text).digest("hex").slice(0, 16);
    const raw = readYaml(glossaryFile, issues);
    if (raw !== undefined) {
      const gl = glossaryFileSchema.safeParse(raw);
      if (!gl.success) issues.push(...formatIssues(glossaryFile, gl.error));
      else glossary = [...gl.data.terms].sort((a, b) => a.term.localeCompare(b.term, "id"));
    }
  }
  if (issues.length) throw new ContentError(issues);
  modules.sort((a, b) => a.frontmatter.order - b.frontmatter.order || a.slug.localeCompare(b.slug));
  return { modules, bySlug, programmes, defaultProgramme: programmes.find((p) => p.default)!, glossary, glossaryHash };
}

const g = globalThis as unknown as { __akademiContent?: Content };

export function content(): Content {
  g.__akademiContent ??= loadContent(env().CONTENT_DIR);
  return g.__akademiContent;
}

export function getModule(slug: string): ModuleContent | undefined {
  return content().bySlug.get(slug);
}

/** Programmes that require this module (a quiz outside every programme cannot be taken). */
export function programmesOf(slug: string): Programme[] {
  return content().programmes.filter((p) => p.requiredModules.includes(slug));
}

/** The programmes a user of this role takes (and is certified in). */
export function programmesForRole(role: Role): Programme[] {
  return content().programmes.filter((p) => p.roles.includes(role));
}

/** The programmes kader take: the dashboards, the projection and the kader pages count these. */
export function kaderProgrammes(): Programme[] {
  return programmesForRole("kader");
}

/** The Tim Pembina programme (the first programme for a pembina role), if the content has one. */
export function pembinaProgramme(): Programme | undefined {
  return content().programmes.find((p) => p.roles.some((r) => r.startsWith("pembina_")));
}

/** The programme a user of this role follows first (her learning home): the default for kader. */
export function mainProgrammeFor(role: Role): Programme | undefined {
  const own = programmesForRole(role);
  return own.find((p) => p.default) ?? own[0];
}

export function getProgramme(id: string): Programme | undefined {
  return content().programmes.find((p) => p.id === id);
}

// ---------------------------------------------------------------- MDX

const CACHE_DIR = path.resolve(".cache", "mdx");

/**
 * Module versions an in-process module cache keeps (compiled MDX here, rendered HTML in
 * mdx.server.tsx, offline weights): a few times the number of modules, so every module stays
 * while versions edited in development are dropped.
 */
export const MODULE_CACHE_VERSIONS = 64;
const compiled = lru<string, Promise<string>>("mdx-terkompilasi", MODULE_CACHE_VERSIONS);

/** The compiled MDX (function body for mdx-bundler's getMDXComponent), cached by hash. */
export function compiledModule(mod: ModuleContent): Promise<string> {
  const key = `${mod.slug}-${mod.hash}`;
  let pending = compiled.get(key);
  if (!pending) {
    pending = compileCached(key, mod.body);
    pending.catch(() => compiled.delete(key));
    compiled.set(key, pending);
  }
  return pending;
}

async function compileCached(key: string, body: string): Promise<string> {
  const file = path.join(CACHE_DIR, `${key}.js`);
  if (existsSync(file)) return readFileSync(file, "utf8");
  const { bundleMDX } = await import("mdx-bundler");
  const result = await bundleMDX({ source: body });
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, result.code);
  renameSync(tmp, file);
  return result.code;
}

/** Compiles every module (from the disk cache when present). */
export async function warmContent(): Promise<number> {
  const mods = content().modules;
  for (const m of mods) await compiledModule(m);
  return mods.length;
}

/** Records each module version once (slug + content hash). */
export async function syncModuleVersions(): Promise<number> {
  const mods = content().modules;
  if (!mods.length) return 0;
  const rows = await db
    .insert(moduleVersions)
    .values(
      mods.map((m) => ({ slug: m.slug, contentHash: m.hash, title: m.frontmatter.title, spm: m.frontmatter.spm })),
    )
    .onConflictDoNothing()
    .returning({ slug: moduleVersions.slug });
  return rows.length;
}
