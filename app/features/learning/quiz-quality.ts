/**
 * Item-writing rules for quiz banks, measured as an attacker would (README, "Aturan menulis
 * soal"). Pure functions: the suite runs them over every content/modules/*\/quiz.yaml and
 * `npm run content:check` prints the figures.
 *
 * The guesser family: a test-wise kader who has not read the module picks, for every
 * single-choice item, the option of one length rank (longest, 2nd, 3rd, shortest), or
 * avoids options with a cue ("karena…", an absolute word, an inaction opening) and then
 * picks by rank or at random; for true/false always Benar, always Salah, a coin, or
 * "an absolute word means Salah" (and the reverse); for multiple-choice every option but
 * the shortest / the longest / the cued ones, the two longest, or a random set. Every
 * combination is one strategy, and its pass probability per attempt is computed exactly
 * over every draw of `draw` items and the pass mark.
 */
import type { Question, QuizBank } from "~/features/catalogue/content-schema";
import { slugify } from "~/features/catalogue/headings";

export const QUALITY_LIMITS = {
  minQuestions: 20,
  draw: 10,
  /** Share of single-choice keys held by one length rank (longest, 2nd, 3rd, shortest). */
  maxRankKeyShare: 0.4,
  /** Share of multiple-choice items whose key is every option but one. */
  maxAllButOneShare: 0.4,
  /** "Benar" keys among the true/false items: at least / at most. */
  minBenarShare: 0.4,
  maxBenarShare: 0.6,
  /** Prompts that ask what "the module" said instead of a decision on the job. */
  maxModuleRecallPrompts: 1,
  /** Items a careful adult answers from general good sense, without the module (`akalSehat: true`). */
  maxCommonSenseShare: 0.2,
  /** Pass probability per attempt of every strategy of the guesser family. */
  maxGuesserPass: 0.05,
  /** Share of an item's key words that another item's prompt may repeat before they cue each other. */
  maxCueOverlap: 0.6,
} as const;

type Single = Extract<Question, { type: "single" }>;
type Multiple = Extract<Question, { type: "multiple" }>;
type Option = { id: string; text: string };

const MODULE_RECALL =
  /\b(menurut|dalam|di|pada|sesuai)\s+modul\b|\bmodul\s+(ini\s+)?(menyebut|mengatakan|menjelaskan|membahas)/i;

export function isModuleRecallPrompt(prompt: string): boolean {
  return MODULE_RECALL.test(prompt);
}

// ---------------------------------------------------------------- cues

/** Words a test-wise reader treats as "too absolute to be right". */
export const ABSOLUTE_WORDS =
  /(^|[^\p{L}])(selalu|pasti|semua|semuanya|seluruh|seluruhnya|tidak pernah|hanya|sama sekali|mutlak|satu-satunya|apa pun|tanpa kecuali|sudah pasti|tentu saja)(?![\p{L}])/iu;
/** Openings a test-wise reader treats as "doing nothing is never the answer". */
export const INACTION_OPENING =
  /^(tidak ada|tidak perlu|tidak usah|tidak melakukan|menunggu|membiarkan|diam|mengabaikan|menunda|cukup|biarkan|abaikan|tunggu)(?![\p{L}])/iu;
const BECAUSE = /(^|[^\p{L}])karena(?![\p{L}])/iu;

export type Cue = "karena" | "absolut" | "pasif";

/** The cues an option (or a true/false statement) carries. */
export function cuesOf(text: string): Cue[] {
  const out: Cue[] = [];
  if (BECAUSE.test(text)) out.push("karena");
  if (ABSOLUTE_WORDS.test(text)) out.push("absolut");
  if (INACTION_OPENING.test(text.trim())) out.push("pasif");
  return out;
}
const cued = (o: Option) => cuesOf(o.text).length > 0;

// ---------------------------------------------------------------- the guesser family

/**
 * Probability that picking the option of length rank `rank` (1 = longest; ties broken at
 * random) hits one of `keys`, among `options`.
 */
function rankHit(options: Option[], keys: Set<string>, rank: number): number {
  if (!options.length) return 0;
  const r = Math.min(rank, options.length);
  const lengths = options.map((o) => o.text.length);
  let hit = 0;
  for (const o of options) {
    const longer = lengths.filter((l) => l > o.text.length).length;
    const same = lengths.filter((l) => l === o.text.length).length;
    // o occupies ranks longer+1 .. longer+same, each with probability 1/same.
    if (r > longer && r <= longer + same && keys.has(o.id)) hit += 1 / same;
  }
  return hit;
}

function uniformHit(options: Option[], keys: Set<string>): number {
  return options.length ? options.filter((o) => keys.has(o.id)).length / options.length : 0;
}

/** Options without a cue; all options when every one has a cue. */
function uncued(options: Option[]): Option[] {
  const rest = options.filter((o) => !cued(o));
  return rest.length ? rest : options;
}

export interface SingleStrategy {
  id: string;
  label: string;
  hit: (q: Single) => number;
}
export interface MultipleStrategy {
  id: string;
  label: string;
  hit: (q: Multiple) => number;
}
export interface TrueFalseStrategy {
  id: string;
  label: string;
  hit: (q: Extract<Question, { type: "truefalse" }>) => number;
}

const keySet = (q: Single | Multiple) => new Set(q.type === "single" ? [q.answer] : q.answer);
/** Length rank as used by the strategies: 4 = the 4th longest (or the shortest when fewer). */
const SHORTEST = 99;

/** The option(s) repeating most content words of the stem ("clang" cue); every option when none does. */
function echoHit(q: Single): number {
  const stem = contentWords(q.prompt);
  const score = q.options.map((o) => [...contentWords(o.text)].filter((w) => stem.has(w)).length);
  const max = Math.max(...score);
  return uniformHit(
    q.options.filter((_, i) => score[i] === max),
    keySet(q),
  );
}

export const SINGLE_STRATEGIES: SingleStrategy[] = [
  { id: "p1", label: "terpanjang", hit: (q) => rankHit(q.options, keySet(q), 1) },
  { id: "p2", label: "terpanjang ke-2", hit: (q) => rankHit(q.options, keySet(q), 2) },
  { id: "p3", label: "terpanjang ke-3", hit: (q) => rankHit(q.options, keySet(q), 3) },
  { id: "pn", label: "terpendek", hit: (q) => rankHit(q.options, keySet(q), SHORTEST) },
  { id: "acak", label: "acak", hit: (q) => uniformHit(q.options, keySet(q)) },
  { id: "hindari", label: "hindari isyarat, acak", hit: (q) => uniformHit(uncued(q.options), keySet(q)) },
  { id: "hindari-p1", label: "hindari isyarat, terpanjang", hit: (q) => rankHit(uncued(q.options), keySet(q), 1) },
  { id: "hindari-p2", label: "hindari isyarat, ke-2", hit: (q) => rankHit(uncued(q.options), keySet(q), 2) },
  {
    id: "hindari-pn",
    label: "hindari isyarat, terpendek",
    hit: (q) => rankHit(uncued(q.options), keySet(q), SHORTEST),
  },
  { id: "gema", label: "yang mengulang kata soal", hit: echoHit },
];

/** All-or-nothing: the chosen set must equal the key. */
function setHit(q: Multiple, chosen: string[]): number {
  const key = keySet(q);
  return chosen.length === key.size && chosen.every((id) => key.has(id)) ? 1 : 0;
}

/** Probability over random tie-breaking of dropping the option(s) of extreme length. */
function dropOneHit(q: Multiple, pick: "shortest" | "longest"): number {
  const lengths = q.options.map((o) => o.text.length);
  const target = pick === "shortest" ? Math.min(...lengths) : Math.max(...lengths);
  const candidates = q.options.filter((o) => o.text.length === target);
  let hit = 0;
  for (const drop of candidates)
    hit +=
      setHit(
        q,
        q.options.filter((o) => o.id !== drop.id).map((o) => o.id),
      ) / candidates.length;
  return hit;
}

/** The `n` longest options, ties broken at random (exact over every tie order). */
function longestSetHit(q: Multiple, n: number): number {
  const sorted = [...q.options].sort((a, b) => b.text.length - a.text.length);
  const cut = sorted[n - 1]?.text.length;
  if (cut === undefined) return 0;
  const sure = sorted.filter((o) => o.text.length > cut).map((o) => o.id);
  const tied = sorted.filter((o) => o.text.length === cut);
  const need = n - sure.length;
  const key = keySet(q);
  // Hit only if every sure option is a key, and the key's tied members are exactly `need`
  // and the key has nothing outside sure ∪ tied.
  if (!sure.every((id) => key.has(id))) return 0;
  const keyTied = tied.filter((o) => key.has(o.id)).length;
  if (sure.length + keyTied !== key.size || keyTied !== need) return 0;
  // Probability that a random `need`-subset of the tied options is exactly the key's tied ones.
  let comb = 1;
  for (let i = 0; i < need; i++) comb = (comb * (tied.length - i)) / (i + 1);
  return 1 / comb;
}

export const MULTIPLE_STRATEGIES: MultipleStrategy[] = [
  { id: "m-pendek", label: "semua kecuali terpendek", hit: (q) => dropOneHit(q, "shortest") },
  { id: "m-panjang", label: "semua kecuali terpanjang", hit: (q) => dropOneHit(q, "longest") },
  {
    id: "m-isyarat",
    label: "semua tanpa isyarat",
    hit: (q) =>
      setHit(
        q,
        q.options.filter((o) => !cued(o)).map((o) => o.id),
      ),
  },
  { id: "m-2", label: "dua terpanjang", hit: (q) => longestSetHit(q, 2) },
  // Blind: one of the 2^n - 1 non-empty sets, uniformly.
  { id: "m-acak", label: "acak", hit: (q) => 1 / (2 ** q.options.length - 1) },
];

export const TRUE_FALSE_STRATEGIES: TrueFalseStrategy[] = [
  { id: "benar", label: "selalu Benar", hit: (q) => (q.answer ? 1 : 0) },
  { id: "salah", label: "selalu Salah", hit: (q) => (q.answer ? 0 : 1) },
  { id: "koin", label: "koin", hit: () => 0.5 },
  {
    id: "isyarat-salah",
    label: "isyarat → Salah, lainnya Benar",
    hit: (q) => (cuesOf(q.prompt).length > 0 === !q.answer ? 1 : 0),
  },
  {
    id: "isyarat-benar",
    label: "isyarat → Benar, lainnya Salah",
    hit: (q) => (cuesOf(q.prompt).length > 0 === q.answer ? 1 : 0),
  },
];

export interface Strategy {
  single: SingleStrategy;
  multiple: MultipleStrategy;
  truefalse: TrueFalseStrategy;
}

/** Every combination of one strategy per item type. */
export function guesserFamily(): Strategy[] {
  const out: Strategy[] = [];
  for (const single of SINGLE_STRATEGIES)
    for (const multiple of MULTIPLE_STRATEGIES)
      for (const truefalse of TRUE_FALSE_STRATEGIES) out.push({ single, multiple, truefalse });
  return out;
}

export function strategyLabel(s: Strategy): string {
  return `pilihan tunggal: ${s.single.label}; pilihan ganda: ${s.multiple.label}; benar/salah: ${s.truefalse.label}`;
}

export function hitProbability(q: Question, s: Strategy): number {
  if (q.type === "single") return s.single.hit(q);
  if (q.type === "multiple") return s.multiple.hit(q);
  return s.truefalse.hit(q);
}

/** Fewest right answers out of `draw` that reach `passScore` (scores are floor(100 * right / draw)). */
export function rightAnswersToPass(draw: number, passScore: number): number {
  for (let c = 0; c <= draw; c++) if (Math.floor((100 * c) / draw) >= passScore) return c;
  return draw + 1;
}

/**
 * Exact probability that a guesser with per-item hit probabilities passes one attempt.
 * The draw (drawQuestions) is uniform over the sets of `draw` items that hold at most one
 * item of each `kelompok`; within a draw the items are independent. Dynamic programming
 * over the groups (an item without a kelompok is a group of its own), (items drawn, right).
 */
export function passProbability(
  items: { hit: number; kelompok?: string }[] | number[],
  draw: number,
  passScore: number,
): number {
  const list = items.map((x, i) => (typeof x === "number" ? { hit: x, kelompok: undefined, i } : { ...x, i }));
  const groups = new Map<string, number[]>();
  for (const it of list) {
    const key = it.kelompok ? `k:${it.kelompok}` : `i:${it.i}`;
    const g = groups.get(key) ?? [];
    g.push(it.hit);
    groups.set(key, g);
  }
  const k = Math.min(draw, groups.size);
  // f[j][c]: sum over valid j-sets of the groups seen so far of P(c right); count[j]: how many sets.
  let f: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  let count = new Array<number>(k + 1).fill(0);
  f[0][0] = 1;
  count[0] = 1;
  for (const hits of groups.values()) {
    const next = f.map((row) => [...row]);
    const nextCount = [...count];
    for (let j = 0; j < k; j++) {
      nextCount[j + 1] += count[j] * hits.length;
      for (let c = 0; c <= j; c++) {
        const w = f[j][c];
        if (!w) continue;
        for (const p of hits) {
          next[j + 1][c + 1] += w * p;
          next[j + 1][c] += w * (1 - p);
        }
      }
    }
    f = next;
    count = nextCount;
  }
  const need = rightAnswersToPass(k, passScore);
  let pass = 0;
  for (let c = need; c <= k; c++) pass += f[k][c];
  return pass / count[k];
}

export function strategyPassProbability(
  bank: Pick<QuizBank, "draw" | "passScore" | "questions">,
  s: Strategy,
  passScore = bank.passScore,
): number {
  return passProbability(
    bank.questions.map((q) => ({ hit: hitProbability(q, s), kelompok: q.kelompok })),
    bank.draw,
    passScore,
  );
}

/** The strongest strategy of the family for this bank, and its pass probability. */
export function bestGuesser(
  bank: Pick<QuizBank, "draw" | "passScore" | "questions">,
  passScore = bank.passScore,
): { strategy: Strategy; pass: number; blind: number } {
  let best: { strategy: Strategy; pass: number } | null = null;
  let blind = 0;
  for (const s of guesserFamily()) {
    const pass = strategyPassProbability(bank, s, passScore);
    if (!best || pass > best.pass) best = { strategy: s, pass };
    if (s.single.id === "acak" && s.multiple.id === "m-acak" && s.truefalse.id === "koin") blind = pass;
  }
  return { ...best!, blind };
}

// ---------------------------------------------------------------- key positions

/** Keys of single-choice items per length rank (fractional for ties): longest, 2nd, 3rd, shortest. */
export function keyRanks(bank: Pick<QuizBank, "questions">): { p1: number; p2: number; p3: number; pn: number } {
  const singles = bank.questions.filter((q): q is Single => q.type === "single");
  const sum = (rank: number) => singles.reduce((a, q) => a + rankHit(q.options, keySet(q), rank), 0);
  return { p1: sum(1), p2: sum(2), p3: sum(3), pn: sum(SHORTEST) };
}

export function keyIsAllOptions(q: Multiple): boolean {
  return q.answer.length === q.options.length;
}

export function keyIsAllButOne(q: Multiple): boolean {
  return q.answer.length === q.options.length - 1;
}

// ---------------------------------------------------------------- items that cue each other

const STOP = new Set(
  "yang dan atau di ke dari untuk ibu bapak anak nya dengan pada ini itu ada tidak akan oleh dalam bila jika saat anda ia kader apa siapa mana bagaimana adalah sebagai juga lalu sudah belum bisa dapat harus perlu kepada agar karena para satu dua tiga seorang sebuah orang hari bulan tahun setiap lebih paling masih hanya semua".split(
    " ",
  ),
);

/** Content words: lowercase, without accents and stop words, at least 3 letters (PKH, TBC). */
export function contentWords(text: string): Set<string> {
  return new Set(
    slugify(text)
      .split("-")
      .filter((w) => w.length >= 3 && !STOP.has(w)),
  );
}

/** What an item asserts as right: the key option(s), or a true statement. */
function keyText(q: Question): string | null {
  if (q.type === "truefalse") return q.answer ? q.prompt : null;
  const key = keySet(q);
  return q.options
    .filter((o) => key.has(o.id))
    .map((o) => o.text)
    .join(" ");
}

/**
 * Pairs where one item's prompt repeats most of another item's key (so reading one
 * answers the other): [item whose prompt gives it away, item answered, overlap].
 */
export function cueingPairs(bank: Pick<QuizBank, "questions">): [string, string, number][] {
  const out: [string, string, number][] = [];
  for (const b of bank.questions) {
    const kt = keyText(b);
    if (!kt) continue;
    const keyWords = contentWords(kt);
    // For a true statement the prompt is the key: compare against the other prompts.
    if (keyWords.size < 3) continue;
    for (const a of bank.questions) {
      if (a.id === b.id || (a.kelompok && a.kelompok === b.kelompok)) continue;
      const promptWords = contentWords(a.prompt);
      let shared = 0;
      for (const w of keyWords) if (promptWords.has(w)) shared++;
      const overlap = shared / keyWords.size;
      if (overlap > QUALITY_LIMITS.maxCueOverlap) out.push([a.id, b.id, Math.round(overlap * 100) / 100]);
    }
  }
  return out;
}

// ---------------------------------------------------------------- items and their module section

/** Text a reader sees, for matching quotes: no markup, no accents, lowercase, single spaces. */
export function normaliseText(text: string): string {
  return text
    .replace(/<\/?[A-Za-z][^>]*?>/g, (tag) => ` ${[...tag.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join(" ")} `)
    .replace(/[*_`#>|]/g, " ")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[“”"‘’']/g, "")
    .replace(/[^\p{L}\p{N}%,.;:()/–-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The MDX text of one section: from its heading to the next heading of the same or a
 * higher level (a ## section includes its ### subsections). Null when the anchor is unknown.
 */
export function sectionText(body: string, anchor: string): string | null {
  const lines = body.split(/\r?\n/);
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(#{2,3})\s+(.+?)\s*$/.exec(lines[i]);
    if (!m) continue;
    const lv = m[1].length;
    if (start >= 0 && lv <= level) return lines.slice(start, i).join("\n");
    if (start < 0 && slugify(m[2].replace(/[*_`]/g, "")) === anchor) {
      start = i;
      level = lv;
    }
  }
  return start >= 0 ? lines.slice(start).join("\n") : null;
}

/** Does the item's `source` (a quote) appear in its section? */
export function sourceInSection(body: string, q: Pick<Question, "section" | "source">): boolean {
  if (!q.source) return false;
  const text = sectionText(body, q.section);
  return text !== null && normaliseText(text).includes(normaliseText(q.source));
}

/** The answer a careful adult who has not read the module would give (`tebakanAwam`, before the "—"). */
export function naiveAnswer(q: Question): string[] | null {
  if (!q.tebakanAwam) return null;
  const head = q.tebakanAwam
    .split(/\s[—–-]\s|:/)[0]
    .trim()
    .toLowerCase();
  if (q.type === "truefalse") return /^benar\b/.test(head) ? ["benar"] : /^salah\b/.test(head) ? ["salah"] : null;
  const ids = head
    .split(/[\s,+]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length && ids.every((id) => /^[a-e]$/.test(id)) ? ids.sort() : null;
}

function keyIds(q: Question): string[] {
  if (q.type === "truefalse") return [q.answer ? "benar" : "salah"];
  return q.type === "single" ? [q.answer] : [...q.answer].sort();
}

// ---------------------------------------------------------------- the report

export interface BankReport {
  questions: number;
  single: number;
  multiple: number;
  truefalse: number;
  ranks: { p1: number; p2: number; p3: number; pn: number };
  allButOne: number;
  allOptions: number;
  benar: number;
  moduleRecall: number;
  commonSense: number;
  cuedDistractors: number;
  cuedKeys: number;
  guesser: { pass: number; label: string; blind: number };
  cueingPairs: [string, string, number][];
  /** Items whose `source` is missing or not in their section. */
  unsourced: string[];
  /** Items without `tebakanAwam`, or whose naive answer is the key while not marked `akalSehat`. */
  unreviewed: string[];
}

export function bankReport(bank: QuizBank, passScore = bank.passScore, body?: string): BankReport {
  const singles = bank.questions.filter((q): q is Single => q.type === "single");
  const multiples = bank.questions.filter((q): q is Multiple => q.type === "multiple");
  const tfs = bank.questions.filter((q) => q.type === "truefalse");
  const best = bestGuesser(bank, passScore);
  let cuedDistractors = 0;
  let cuedKeys = 0;
  for (const q of [...singles, ...multiples]) {
    const key = keySet(q);
    for (const o of q.options) if (cued(o)) key.has(o.id) ? cuedKeys++ : cuedDistractors++;
  }
  const unreviewed = bank.questions
    .filter((q) => {
      const naive = naiveAnswer(q);
      if (!naive) return true;
      const same = naive.join(",") === keyIds(q).join(",");
      return q.akalSehat ? !same : same;
    })
    .map((q) => q.id);
  return {
    questions: bank.questions.length,
    single: singles.length,
    multiple: multiples.length,
    truefalse: tfs.length,
    ranks: keyRanks(bank),
    allButOne: multiples.filter(keyIsAllButOne).length,
    allOptions: multiples.filter(keyIsAllOptions).length,
    benar: tfs.filter((q) => q.answer === true).length,
    moduleRecall: bank.questions.filter((q) => isModuleRecallPrompt(q.prompt)).length,
    commonSense: bank.questions.filter((q) => q.akalSehat).length,
    cuedDistractors,
    cuedKeys,
    guesser: { pass: best.pass, label: strategyLabel(best.strategy), blind: best.blind },
    cueingPairs: cueingPairs(bank),
    unsourced: body === undefined ? [] : bank.questions.filter((q) => !sourceInSection(body, q)).map((q) => q.id),
    unreviewed,
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Rule violations of one bank, as readable sentences (empty when the bank is fine).
 * `body` is the module's MDX: with it, every item's quote is looked up in its section.
 */
export function bankIssues(bank: QuizBank, passScore = bank.passScore, body?: string): string[] {
  const r = bankReport(bank, passScore, body);
  const L = QUALITY_LIMITS;
  const issues: string[] = [];
  if (r.questions < L.minQuestions) issues.push(`${r.questions} questions (at least ${L.minQuestions})`);
  if (bank.draw !== L.draw) issues.push(`draw ${bank.draw} (expected ${L.draw})`);
  for (const [rank, n] of Object.entries(r.ranks))
    if (r.single && n / r.single > L.maxRankKeyShare)
      issues.push(
        `length rank ${rank} holds the key in ${n.toFixed(1)} of ${r.single} single-choice items (${pct(n / r.single)}; at most ${pct(L.maxRankKeyShare)})`,
      );
  if (r.allOptions) issues.push(`${r.allOptions} multiple-choice item(s) keyed on every option`);
  if (r.multiple && r.allButOne / r.multiple > L.maxAllButOneShare)
    issues.push(
      `key is "all but one" in ${r.allButOne} of ${r.multiple} multiple-choice items (at most ${pct(L.maxAllButOneShare)})`,
    );
  if (r.truefalse) {
    const share = r.benar / r.truefalse;
    if (share < L.minBenarShare || share > L.maxBenarShare)
      issues.push(
        `"Benar" is the key in ${r.benar} of ${r.truefalse} true/false items (${pct(share)}; ${pct(L.minBenarShare)}–${pct(L.maxBenarShare)})`,
      );
  }
  if (r.moduleRecall > L.maxModuleRecallPrompts)
    issues.push(`${r.moduleRecall} prompts ask what the module said (at most ${L.maxModuleRecallPrompts})`);
  if (r.commonSense > Math.floor(r.questions * L.maxCommonSenseShare))
    issues.push(
      `${r.commonSense} items are answerable from good sense (akalSehat; at most ${Math.floor(r.questions * L.maxCommonSenseShare)} of ${r.questions})`,
    );
  if (r.guesser.pass > L.maxGuesserPass)
    issues.push(
      `a guesser (${r.guesser.label}) passes one attempt with probability ${(r.guesser.pass * 100).toFixed(2)}% (at most ${L.maxGuesserPass * 100}%)`,
    );
  for (const [a, b, o] of r.cueingPairs)
    issues.push(`the prompt of ${a} repeats ${pct(o)} of the key of ${b}: one answers the other`);
  if (body === undefined) issues.push("the module text was not given: item quotes not checked");
  else if (r.unsourced.length)
    issues.push(`items without a quote (source) found in their section: ${r.unsourced.join(", ")}`);
  if (r.unreviewed.length)
    issues.push(
      `items whose tebakanAwam is missing, or names the key without akalSehat (or akalSehat without the key): ${r.unreviewed.join(", ")}`,
    );
  if (!bank.review) issues.push("the bank does not say how its items were reviewed (review)");
  return issues;
}

/** Normalised prompt for the "no two banks share a question" rule. */
export function promptKey(prompt: string): string {
  return prompt
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Prompts that appear in more than one bank: [prompt, bank names]. */
export function sharedPrompts(banks: { name: string; bank: QuizBank }[]): [string, string[]][] {
  const where = new Map<string, { prompt: string; names: Set<string> }>();
  for (const { name, bank } of banks) {
    for (const q of bank.questions) {
      const key = promptKey(q.prompt);
      const entry = where.get(key) ?? { prompt: q.prompt, names: new Set<string>() };
      entry.names.add(name);
      where.set(key, entry);
    }
  }
  return [...where.values()].filter((e) => e.names.size > 1).map((e) => [e.prompt, [...e.names]]);
}
