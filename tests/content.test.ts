/** The real content validates, and broken content is reported by file and field. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError, loadContent } from "~/features/catalogue/content.server";
import { SPM_BIDANG } from "~/db/schema";

/** The content folder under test (CONTENT_DIR lets a writer check a working copy). */
const ROOT = process.env.CONTENT_DIR || "content";

describe("content/", () => {
  const c = loadContent(ROOT);

  it("has the introduction, a module per SPM bidang, the reporting module and the four v2 modules", () => {
    expect(c.modules).toHaveLength(17);
    for (const spm of SPM_BIDANG) expect(c.bySlug.get(`spm-${spm}`)?.frontmatter.spm, spm).toBe(spm);
    for (const slug of [
      "permendagri-13-2024",
      "pencatatan-pelaporan-musrenbang",
      "hari-buka-posyandu-6-spm",
      "pemantauan-pertumbuhan-stunting",
      "pendanaan-dan-perencanaan",
      "rujukan-dan-jejaring",
    ]) {
      expect(c.bySlug.has(slug), slug).toBe(true);
    }
  });

  it.each(loadContent(ROOT).modules.map((m) => [m.slug, m] as const))(
    "%s: 800-1,900 words, objectives, a case study, a quiz bank of 12+ mixed questions",
    (_slug, m) => {
      expect(m.words).toBeGreaterThanOrEqual(800);
      expect(m.words).toBeLessThanOrEqual(1900);
      expect(m.frontmatter.objectives.length).toBeGreaterThan(0);
      expect(m.body).toContain("<StudiKasus");
      expect(m.body).toMatch(/## Ringkasan/);
      expect(m.quiz!.questions.length).toBeGreaterThanOrEqual(12);
      const types = new Set(m.quiz!.questions.map((q) => q.type));
      expect([...types].sort()).toEqual(["multiple", "single", "truefalse"]);
      expect(m.quiz!.questions.every((q) => q.explanation.length > 10)).toBe(true);
    },
  );

  it("defines the default programme over modules that exist", () => {
    expect(c.defaultProgramme.id).toBe("kader-6-spm");
    expect(c.defaultProgramme.requiredModules).toHaveLength(12);
    // Every module belongs to exactly one programme: twelve for kader, five for the Tim Pembina (issue 20).
    const pembina = c.programmes.find((p) => p.id === "pembina-6-spm")!;
    expect(pembina.roles).toEqual(["pembina_desa", "pembina_kecamatan", "pembina_kabupaten"]);
    expect(pembina.requiredModules).toHaveLength(5);
    expect(new Set([...c.defaultProgramme.requiredModules, ...pembina.requiredModules])).toEqual(
      new Set(c.modules.map((m) => m.slug)),
    );
    expect(c.defaultProgramme.attendance).toEqual({
      kind: "pelatihan",
      statuses: ["hadir", "terlambat"],
      minSessions: 1,
    });
  });

  it("gives each module version a stable hash", () => {
    expect(loadContent(ROOT).modules.map((m) => m.hash)).toEqual(c.modules.map((m) => m.hash));
  });
});

function brokenCopy(edit: (root: string) => void): string[] {
  const root = mkdtempSync(path.join(tmpdir(), "akademi-content-"));
  cpSync("content", root, { recursive: true });
  edit(root);
  try {
    loadContent(root);
  } catch (e) {
    expect(e).toBeInstanceOf(ContentError);
    return (e as ContentError).issues.map((i) => i.replace(root, "content"));
  }
  throw new Error("expected a ContentError");
}

describe("broken content is named by file and field", () => {
  const mod = "modules/03-spm-kesehatan";

  it("a frontmatter field of the wrong type", () => {
    const issues = brokenCopy((root) => {
      const f = path.join(root, mod, "index.mdx");
      writeFileSync(f, readFileSync(f, "utf8").replace("minutes: 14", "minutes: lama"));
    });
    expect(issues).toEqual([
      expect.stringMatching(/^content\/modules\/03-spm-kesehatan\/index\.mdx frontmatter: minutes: /),
    ]);
  });

  it("a missing frontmatter block and an unknown component", () => {
    const issues = brokenCopy((root) => {
      const f = path.join(root, mod, "index.mdx");
      writeFileSync(f, readFileSync(f, "utf8").replace(/^---[\s\S]*?---\n/, "") + '\n<Video src="x" />\n');
    });
    expect(issues[0]).toBe(
      "content/modules/03-spm-kesehatan/index.mdx: frontmatter: missing (the file must start with a --- block)",
    );
  });

  it("a quiz answer that is not an option, a duplicate id and too large a draw", () => {
    const issues = brokenCopy((root) => {
      const f = path.join(root, mod, "quiz.yaml");
      writeFileSync(
        f,
        readFileSync(f, "utf8")
          .replace("answer: b\n", "answer: z\n")
          .replace("id: s03", "id: s02")
          .replace("draw: 10", "draw: 80"),
      );
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/quiz\.yaml: questions\[0\]\.answer: "z" is not an option id/),
        expect.stringMatching(/quiz\.yaml: questions\[2\]\.id: duplicate question id "s02"/),
        expect.stringMatching(/quiz\.yaml: draw: draw 80 > \d+ questions/),
      ]),
    );
  });

  it("a programme that requires a module that does not exist", () => {
    const issues = brokenCopy((root) => {
      const f = path.join(root, "programme.yaml");
      writeFileSync(f, readFileSync(f, "utf8").replace("- spm-sosial", "- spm-tidak-ada"));
    });
    expect(issues).toEqual([
      'content/programme.yaml: programmes[0].requiredModules[7]: no module with slug "spm-tidak-ada"',
    ]);
  });

  it("invalid YAML", () => {
    const issues = brokenCopy((root) => writeFileSync(path.join(root, mod, "quiz.yaml"), "draw: [8\n"));
    expect(issues[0]).toMatch(/^content\/modules\/03-spm-kesehatan\/quiz\.yaml: YAML error: /);
  });
});
