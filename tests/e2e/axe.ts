/**
 * axe-core in every browser test: each page a test's browser loads is checked (WCAG 2.1 A
 * and AA, and axe's best practices), and the test fails on any critical or serious
 * violation. launch() (browser.ts) wires it into every context the tests open; the check is
 * tests/e2e/setup-axe.ts, a setup file of vitest.e2e.config.ts.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface A11yFinding {
  url: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** What the pages of the running test showed (launch() in browser.ts feeds it; setup-axe.ts drains it). */
export const a11y: { findings: A11yFinding[]; pending: Promise<unknown>[] } = { findings: [], pending: [] };

/** Rules switched off, each with its reason (kept short and few). */
const DISABLED: Record<string, string> = {
  // The QR screen refreshes itself every 20 s without JavaScript, by design (the pembina
  // projects it; a new code each minute). It says so on the page and links to a version
  // that does not refresh ("Hentikan penyegaran"): app/routes/sesi.$id.qr.tsx.
  "meta-refresh": "QR screen, by design",
};

/** Runs axe on the page as it is now; an empty list when the page navigated away meanwhile. */
export async function axeFindings(page: Page): Promise<A11yFinding[]> {
  try {
    const url = page.url();
    if (!/^https?:/.test(url)) return [];
    const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
    if (!hasAxe) await page.evaluate(axeSource);
    const violations = await page.evaluate(
      async (disabled) =>
        (
          await (
            window as unknown as {
              axe: {
                run: (
                  ctx: Document,
                  opts: unknown,
                ) => Promise<{
                  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
                }>;
              };
            }
          ).axe.run(document, {
            resultTypes: ["violations"],
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            rules: Object.fromEntries(disabled.map((id) => [id, { enabled: false }])),
          })
        ).violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        })),
      Object.keys(DISABLED),
    );
    return violations
      .filter((v) => v.impact === "critical" || v.impact === "serious")
      .map((v) => ({ url: new URL(url).pathname, ...v }));
  } catch {
    // The page navigated (or closed) while axe ran: the next page load is checked instead.
    return [];
  }
}

/** Every page of the context is checked after each load; findings collect in `sink`. */
export function watchA11y(ctx: BrowserContext, sink: A11yFinding[], pending: Promise<unknown>[]): void {
  const watch = (page: Page) => {
    page.on("load", () => {
      pending.push(axeFindings(page).then((found) => sink.push(...found)));
    });
  };
  for (const p of ctx.pages()) watch(p);
  ctx.on("page", watch);
}

export function formatFindings(findings: A11yFinding[]): string {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const k = `${f.url} ${f.id}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((f) => `${f.url}: ${f.impact} ${f.id} (${f.help}) at ${f.targets.join(", ")}`)
    .join("\n");
}
