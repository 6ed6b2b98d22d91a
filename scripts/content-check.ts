/**
 * Content check: loads content/ (the same validation as the server) and prints, per quiz
 * bank, the item-writing figures and the pass probability of a test-wise guesser
 * (longest option, all but the shortest, a coin for true/false). Exits 1 on a violation.
 *   npm run content:check
 */
import { loadContent } from "~/features/learning/content.server";
import { bankIssues, bankReport, QUALITY_LIMITS, sharedPrompts } from "~/features/learning/quiz-quality";

const c = loadContent(process.env.CONTENT_DIR || "content");
const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : "-");
let failed = 0;
console.log(
  `Quiz banks (${c.modules.length} modules; limits: longest key <= ${QUALITY_LIMITS.maxLongestKeyShare * 100}%, all-but-one <= ${QUALITY_LIMITS.maxAllButOneShare * 100}%, guesser <= ${QUALITY_LIMITS.maxGuesserPass * 100}%)`,
);
console.log("module".padEnd(34) + "items  S/M/TF     draw pass  longest-key  all-but-one  recall  guesser pass");
for (const m of c.modules) {
  if (!m.quiz) continue;
  const passScore = c.defaultProgramme.passScore ?? m.quiz.passScore;
  const r = bankReport(m.quiz, passScore);
  const issues = bankIssues(m.quiz, passScore);
  if (issues.length) failed++;
  console.log(
    m.slug.padEnd(34) +
      String(r.questions).padEnd(7) +
      `${r.single}/${r.multiple}/${r.truefalse}`.padEnd(11) +
      String(m.quiz.draw).padEnd(5) +
      String(passScore).padEnd(6) +
      `${r.longestKey}/${r.single} ${pct(r.longestKey, r.single)}`.padEnd(13) +
      `${r.allButOne}/${r.multiple} ${pct(r.allButOne, r.multiple)}`.padEnd(13) +
      String(r.moduleRecall).padEnd(8) +
      `${(r.guesserPass * 100).toFixed(4)}%` +
      (issues.length ? `  FAIL: ${issues.join("; ")}` : ""),
  );
}
const shared = sharedPrompts(c.modules.filter((m) => m.quiz).map((m) => ({ name: m.slug, bank: m.quiz! })));
for (const [prompt, names] of shared) console.log(`FAIL: the same question in ${names.join(", ")}: "${prompt}"`);
console.log(`Glossary: ${c.glossary.length} terms`);
if (failed || shared.length) process.exit(1);
