/**
 * The import-boundary check (scripts/check-boundaries.ts) on small trees of its own, and on
 * the project: it must pass here and fail on each kind of problem it names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkBoundaries } from "../scripts/check-boundaries";

const made: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "batas-"));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}
afterEach(() => {
  for (const r of made.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe("import boundaries", () => {
  it("the project itself passes", () => {
    expect(checkBoundaries(process.cwd())).toEqual([]);
  });

  it("a downward import passes; an upward one fails, naming both features", () => {
    const down = tree({
      "app/features/regions/scope.server.ts": "export const x = 1;\n",
      "app/features/reporting/view.server.ts": 'import { x } from "~/features/regions/scope.server";\n',
    });
    expect(checkBoundaries(down, [])).toEqual([]);
    const up = tree({
      "app/features/regions/scope.server.ts": 'import { y } from "~/features/reporting/view.server";\n',
      "app/features/reporting/view.server.ts": "export const y = 1;\n",
    });
    expect(checkBoundaries(up, [])).toEqual([
      "app/features/regions/scope.server.ts: imports app/features/reporting/view.server.ts upward (regions is below reporting)",
    ]);
    // A known exception passes, and fails once the import is gone (the list only shrinks).
    expect(checkBoundaries(up, ["regions/scope.server.ts -> reporting/view.server.ts"])).toEqual([]);
    expect(checkBoundaries(down, ["regions/scope.server.ts -> reporting/view.server.ts"])).toEqual([
      'KNOWN_UPWARD: "regions/scope.server.ts -> reporting/view.server.ts" no longer occurs; take it off the list',
    ]);
  });

  it("a circle of imports fails; a type-only import does not make one", () => {
    const circle = tree({
      "app/features/workshops/a.server.ts": 'import { b } from "~/features/workshops/b.server";\nexport const a = 1;\n',
      "app/features/workshops/b.server.ts": 'import { a } from "~/features/workshops/a.server";\nexport const b = 1;\n',
    });
    expect(checkBoundaries(circle, [])).toEqual([
      "circle of imports: app/features/workshops/a.server.ts -> app/features/workshops/b.server.ts",
    ]);
    const typeOnly = tree({
      "app/features/workshops/a.server.ts": 'import { b } from "~/features/workshops/b.server";\nexport type A = 1;\n',
      "app/features/workshops/b.server.ts":
        'import type { A } from "~/features/workshops/a.server";\nexport const b = 1;\n',
    });
    expect(checkBoundaries(typeOnly, [])).toEqual([]);
  });

  it("shared code never imports a feature; a server module never a UI module; a pure module never a server one", () => {
    const bad = tree({
      "app/components/chart.tsx": 'import { f } from "~/features/reporting/figures";\n',
      "app/features/reporting/figures.ts": 'import { q } from "~/features/reporting/q.server";\nexport const f = 1;\n',
      "app/features/reporting/q.server.ts": 'import { Card } from "~/features/reporting/card";\nexport const q = 1;\n',
      "app/features/reporting/card.tsx": "export const Card = 1;\n",
    });
    expect(checkBoundaries(bad, []).sort()).toEqual([
      "app/components/chart.tsx: shared module imports feature app/features/reporting/figures.ts",
      "app/features/reporting/figures.ts: pure module imports server module app/features/reporting/q.server.ts",
      "app/features/reporting/q.server.ts: server module imports UI app/features/reporting/card.tsx",
    ]);
  });
});
