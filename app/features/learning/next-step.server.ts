/** Loads the facts for the kader's "Lanjutkan" step (see next-step.ts for the decision). */
import { content, programmesOf } from "~/features/catalogue/content.server";
import { moduleSections } from "~/features/catalogue/mdx.server";
import { nextStep, type NextStep, type StepModule } from "~/features/learning/next-step";
import { assignedSlugs, modulesInProgrammeOrder, progressFor } from "~/features/learning/progress.server";
import { resumeSection, sectionsRead } from "~/features/catalogue/sections";
import { kaderStanding } from "~/features/certification/evaluate.server";
import type { Programme } from "~/features/catalogue/content-schema";
import type { UpcomingSession } from "~/features/workshops/upcoming.server";
import { ruleSteps } from "~/features/certification/rule-text";

/** The next step in a programme: the kader's by default, the Tim Pembina's for a pembina. */
export async function kaderNextStep(
  userId: string,
  sessions: UpcomingSession[],
  p: Programme = content().defaultProgramme,
): Promise<NextStep> {
  const [progress, assigned, standings] = await Promise.all([
    progressFor(userId),
    assignedSlugs(userId),
    kaderStanding(userId),
  ]);
  const standing = standings.find((s) => s.programme.id === p.id);
  const quizPassed = new Map(standing?.rule.modules.map((m) => [m.slug, m.quizPassed]) ?? []);
  const required = new Set(p.requiredModules);
  const mods = modulesInProgrammeOrder(p).filter((m) => required.has(m.slug) || assigned.includes(m.slug));
  const modules: StepModule[] = await Promise.all(
    mods.map(async (m) => {
      const p = progress.get(m.slug);
      const { sections } = await moduleSections(m);
      const resumeId = p?.lastSection ? resumeSection(sections, p.lastSection) : null;
      const resume = resumeId ? sections.find((s) => s.id === resumeId)! : null;
      return {
        slug: m.slug,
        title: m.frontmatter.title,
        opened: !!p,
        completed: !!p?.completedAt,
        hasQuiz: !!m.quiz && programmesOf(m.slug).length > 0,
        quizPassed: quizPassed.get(m.slug) ?? !!p?.passedAt,
        resume: resume ? { id: resume.id, title: resume.title } : null,
        sectionsRead: sectionsRead(sections, p?.lastSection),
        sections: sections.length,
        readAt: p?.readAt?.getTime() ?? null,
      };
    }),
  );
  const attendanceStep = ruleSteps(p).find((s) => s.key === "kehadiran");
  return nextStep({
    modules,
    attendanceOk: !!standing?.rule.attendance.ok,
    attendance: { kind: p.attendance.kind, title: attendanceStep?.title ?? "" },
    practiceOk: !!standing?.rule.practice.ok,
    certified: !!standing?.valid,
    sessions: sessions.filter((s) => s.kind === p.attendance.kind && !s.waitlisted),
  });
}
