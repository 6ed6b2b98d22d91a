/**
 * Content check: loads content/ (the same validation as the server) and prints, per quiz
 * bank, the item-writing figures and the strongest strategy of the guesser family with its
 * exact pass probability per attempt (README, "Aturan menulis soal"). Exits 1 on a violation.
 *   npm run content:check            the table and every violation
 *   npm run content:check -- --items one line per item: section, quote found, naive answer, cues
 */
import { env } from "~/env.server";
import { loadContent } from "~/features/catalogue/content.server";
import {
  bankIssues,
  bankReport,
  cuesOf,
  guesserFamily,
  naiveAnswer,
  QUALITY_LIMITS,
  sharedPrompts,
  sourceInSection,
  strategyLabel,
  strategyPassProbability,
} from "~/features/learning/quiz-quality";

const c = loadContent(env().CONTENT_DIR);
const showItems = process.argv.includes("--items");
const L = QUALITY_LIMITS;
const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : "-");
let failed = 0;
const family = guesserFamily();
console.log(
  `Quiz banks (${c.modules.length} modules). Limits: every one of ${family.length} guesser strategies passes <= ${L.maxGuesserPass * 100}% per attempt; ` +
    `no length rank holds > ${L.maxRankKeyShare * 100}% of single-choice keys; Benar ${L.minBenarShare * 100}-${L.maxBenarShare * 100}% of true/false keys; ` +
    `akalSehat <= ${L.maxCommonSenseShare * 100}% of items; every item quotes its section.`,
);
console.log(
  `${"module".padEnd(32)}items S/M/TF    keys by length rank (1/2/3/short)  Benar  akalSehat  blind     best guesser`,
);
const problems: string[] = [];
for (const m of c.modules) {
  if (!m.quiz) continue;
  const passScore = c.defaultProgramme.passScore ?? m.quiz.passScore;
  const r = bankReport(m.quiz, passScore, m.body);
  const issues = bankIssues(m.quiz, passScore, m.body);
  if (issues.length) failed++;
  const ranks = [r.ranks.p1, r.ranks.p2, r.ranks.p3, r.ranks.pn].map((n) => pct(n, r.single)).join("/");
  console.log(
    m.slug.padEnd(32) +
      String(r.questions).padEnd(6) +
      `${r.single}/${r.multiple}/${r.truefalse}`.padEnd(10) +
      ranks.padEnd(36) +
      `${r.benar}/${r.truefalse}`.padEnd(7) +
      `${r.commonSense}/${r.questions}`.padEnd(11) +
      `${(r.guesser.blind * 100).toFixed(3)}%`.padEnd(10) +
      `${(r.guesser.pass * 100).toFixed(3)}% (${r.guesser.label})`,
  );
  for (const i of issues) problems.push(`FAIL ${m.slug}: ${i}`);
  if (showItems) {
    for (const q of m.quiz.questions) {
      const cues =
        q.type === "truefalse"
          ? cuesOf(q.prompt)
          : q.options.flatMap((o) => cuesOf(o.text).map((cue) => `${o.id}:${cue}`));
      console.log(
        `    ${q.id.padEnd(5)} ${q.type.padEnd(9)} ${q.section.slice(0, 38).padEnd(39)} quote ${sourceInSection(m.body, q) ? "ok " : "NO "} ` +
          `awam ${(naiveAnswer(q) ?? ["?"]).join(",").padEnd(6)} ${q.akalSehat ? "akalSehat " : ""}${cues.length ? `cues ${cues.join(" ")}` : ""}`,
      );
    }
    // The five strongest strategies, so a writer sees what to fix.
    const top = family
      .map((s) => ({ s, p: strategyPassProbability(m.quiz!, s, passScore) }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 5);
    for (const t of top) console.log(`      ${(t.p * 100).toFixed(3)}%  ${strategyLabel(t.s)}`);
  }
}
const shared = sharedPrompts(c.modules.filter((m) => m.quiz).map((m) => ({ name: m.slug, bank: m.quiz! })));
for (const [prompt, names] of shared) problems.push(`FAIL: the same question in ${names.join(", ")}: "${prompt}"`);
for (const p of problems) console.log(p);
console.log(`Glossary: ${c.glossary.length} terms`);
console.log(failed || shared.length ? `${failed} bank(s) fail` : "Every bank passes.");
if (failed || shared.length) process.exit(1);
