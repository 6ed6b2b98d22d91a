/**
 * After every browser test: axe's findings on the pages it visited (tests/e2e/axe.ts) must
 * hold no critical or serious violation.
 */
import { afterEach, expect } from "vitest";
import { a11y, formatFindings } from "./axe";

afterEach(async () => {
  await Promise.all(a11y.pending.splice(0));
  const found = a11y.findings.splice(0);
  expect(formatFindings(found), "axe: critical or serious accessibility violations").toBe("");
});
