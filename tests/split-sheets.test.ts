/**
 * scripts/split-sheets.ts: kader.css (what a module page uses) and kader-lain.css (the rest of
 * the kader sheet) must give a page that links both exactly what the whole sheet gives.
 */
import postcss from "postcss";
import { describe, expect, it } from "vitest";
import { family, splitSheets } from "../scripts/split-sheets";

/** The style rules of a sheet as "selector{declarations}", in order, with their at-rules. */
function rules(css: string): string[] {
  const out: string[] = [];
  postcss.parse(css).walkRules((r) => {
    const at: string[] = [];
    for (let p = r.parent; p && p.type === "atrule"; p = p.parent) at.unshift(`@${p.name} ${p.params}`);
    out.push(`${at.join(" ")} ${r.selector}{${r.nodes.map((d) => d.toString()).join(";")}}`.trim());
  });
  return out;
}

const WHOLE =
  "@layer theme,base,components,utilities;" +
  "@layer components{.kotak{padding:.75rem}.card{border-width:1px}}" +
  "@layer utilities{.p-4{padding:1rem}.mt-1{margin-top:.25rem}.px-3{padding-inline:.75rem}.table-fixed{table-layout:fixed}" +
  ".block,.inline{display:block}@media print{.print\\:p-0{padding:0}}}" +
  ".prose-modul h2{margin-top:1.75rem}";

describe("splitSheets", () => {
  it("gives the first file every rule of its own build and the second the rest, nothing twice", () => {
    const first =
      "@layer theme,base,components,utilities;@layer components{.kotak{padding:.75rem}}" +
      "@layer utilities{.mt-1{margin-top:.25rem}}.prose-modul h2{margin-top:1.75rem}";
    const s = splitSheets(WHOLE, first);
    expect(rules(s.first)).toEqual(
      expect.arrayContaining([
        "@layer components .kotak{padding:.75rem}",
        "@layer utilities .mt-1{margin-top:.25rem}",
        ".prose-modul h2{margin-top:1.75rem}",
      ]),
    );
    expect(s.first).toContain("@layer theme,base,components,utilities;");
    expect(rules(s.rest)).toContain("@layer components .card{border-width:1px}");
    expect(rules(s.rest)).toContain("@layer utilities @media print .print\\:p-0{padding:0}");
    const both = [...rules(s.first), ...rules(s.rest)];
    expect(new Set(both).size).toBe(both.length);
    expect(both.sort()).toEqual(rules(WHOLE).sort());
  });

  it("keeps in the first file an earlier rule that a later one of the first file would otherwise lose to", () => {
    // .p-4 comes before .px-3 in the whole sheet: on <div class="p-4 px-3"> padding-inline is .75rem.
    // Sent in the second file, after .px-3, it would win with 1rem. So it stays in the first, before .px-3.
    const s = splitSheets(WHOLE, "@layer utilities{.px-3{padding-inline:.75rem}}");
    const first = rules(s.first);
    expect(first.indexOf("@layer utilities .p-4{padding:1rem}")).toBeGreaterThanOrEqual(0);
    expect(first.indexOf("@layer utilities .p-4{padding:1rem}")).toBeLessThan(
      first.indexOf("@layer utilities .px-3{padding-inline:.75rem}"),
    );
    expect(rules(s.rest).some((r) => r.includes(".p-4"))).toBe(false);
    // A rule of another family, or in another layer, or after it, does not need to.
    expect(rules(s.rest)).toContain("@layer utilities .table-fixed{table-layout:fixed}");
    expect(rules(s.rest)).toContain("@layer components .card{border-width:1px}");
    expect(rules(s.rest)).toContain("@layer utilities @media print .print\\:p-0{padding:0}");
    expect(s.kept).toBe(1);
  });

  it("splits a rule whose selectors are on both sides", () => {
    const s = splitSheets(WHOLE, "@layer utilities{.block{display:block}}");
    expect(rules(s.first)).toContain("@layer utilities .block{display:block}");
    expect(rules(s.rest)).toContain("@layer utilities .inline{display:block}");
  });

  it("refuses a split that would leave the first file without a declaration of its own build", () => {
    expect(() => splitSheets(WHOLE, "@layer utilities{.mt-1{margin-top:.5rem}}")).toThrow(/would lack/);
  });

  it("compares properties by family: a shorthand with its longhands, prefixes dropped", () => {
    expect(family("padding-inline-start")).toBe(family("padding"));
    expect(family("-webkit-text-decoration")).toBe(family("text-decoration-line"));
    expect(family("column-gap")).toBe(family("gap"));
    expect(family("top")).toBe(family("inset"));
    expect(family("place-items")).toBe(family("align-items"));
    expect(family("--tw-font-weight")).not.toBe(family("--tw-leading"));
  });
});
