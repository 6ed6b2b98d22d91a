/**
 * Import boundaries (docs/ARCHITECTURE.md, "Layers and the order of the features"), which
 * Biome's noRestrictedImports cannot see because they depend on what a specifier resolves to:
 *   - features import only features below them in FEATURE_ORDER; an upward import fails,
 *     except the ones named in KNOWN_UPWARD, a list that may only shrink (an entry that no
 *     longer occurs fails too, so a removed import is taken off the list);
 *   - app/lib and app/components never import a feature; app/lib never imports a server module;
 *   - no circle of imports among the modules under app/ (routes aside: nothing imports them);
 *   - a server module (*.server.ts) never imports a UI module (a .tsx that is not .server.tsx);
 *     not even for a type: types a component needs live in the feature's .ts files;
 *   - a feature's plain .ts (a pure module) never imports a server module.
 * Run by `npm run lint` (exits 1 with one line per problem); tests/check-boundaries.test.ts
 * runs checkBoundaries() on small trees of its own.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Lowest first: a feature may import those before it, never those after it. */
export const FEATURE_ORDER = [
  "catalogue",
  "projection",
  "regions",
  "certification",
  "workshops",
  "learning",
  "accounts",
  "coaching",
  "reporting",
  "roster-import",
] as const;

/**
 * Upward imports that cannot be removed yet, "from-file -> to-file" (paths under
 * app/features): empty since the catalogue, the projection and coaching became layers of
 * their own (docs/ARCHITECTURE.md, "Known upward imports"). Do not add to this list.
 */
export const KNOWN_UPWARD: readonly string[] = [];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.tsx?$/.test(name)) yield p;
  }
}

const isServer = (f: string) => /\.server\.tsx?$/.test(f);
/** A .server.tsx renders React to HTML on the server (the MDX body): it may import UI. */
const rendersUi = (f: string) => f.endsWith(".server.tsx");
const isUi = (f: string) => f.endsWith(".tsx") && !isServer(f);
const isPure = (f: string) =>
  /\.ts$/.test(f) && !isServer(f) && (f.startsWith("app/lib/") || f.startsWith("app/features/"));
const featureOf = (f: string) => (f.startsWith("app/features/") ? f.split("/")[2] : null);

/** The problems of the tree under `root` (its app/ folder), one line each; [] when none. */
export function checkBoundaries(root: string, known: readonly string[] = KNOWN_UPWARD): string[] {
  const resolve = (spec: string): string | null => {
    if (!spec.startsWith("~/")) return null;
    const base = path.join("app", spec.slice(2));
    for (const ext of ["", ".ts", ".tsx", "/index.ts", "/index.tsx"])
      if (/\.tsx?$/.test(base + ext) && existsSync(path.join(root, base + ext))) return base + ext;
    return null;
  };
  const problems: string[] = [];
  const seenUpward = new Set<string>();
  const graph = new Map<string, string[]>();
  for (const abs of files(path.join(root, "app"))) {
    const file = path.relative(root, abs).split(path.sep).join("/");
    if (file.startsWith("app/routes/")) continue;
    const src = readFileSync(abs, "utf8");
    const edges: string[] = [];
    for (const m of src.matchAll(/(?:^|\n)\s*(import|export)\s+[^"';]*?from\s+["']([^"']+)["']/g)) {
      const target = resolve(m[2]);
      if (!target) continue;
      if (!/^\s*import\s+type\b/.test(m[0].trimStart()) || m[1] === "export") edges.push(target);
      if (isServer(file) && !rendersUi(file) && isUi(target))
        problems.push(`${file}: server module imports UI ${target}`);
      if (isPure(file) && isServer(target)) problems.push(`${file}: pure module imports server module ${target}`);
      const from = featureOf(file);
      const to = featureOf(target);
      if ((file.startsWith("app/lib/") || file.startsWith("app/components/")) && to)
        problems.push(`${file}: shared module imports feature ${target}`);
      if (from && to && from !== to) {
        const rank = (f: string) => FEATURE_ORDER.indexOf(f as (typeof FEATURE_ORDER)[number]);
        if (rank(from) < 0) problems.push(`${file}: feature "${from}" is not in FEATURE_ORDER`);
        else if (rank(to) < 0) problems.push(`${target}: feature "${to}" is not in FEATURE_ORDER`);
        else if (rank(to) > rank(from)) {
          const key = `${file.slice("app/features/".length)} -> ${target.slice("app/features/".length)}`;
          if (known.includes(key)) seenUpward.add(key);
          else problems.push(`${file}: imports ${target} upward (${from} is below ${to})`);
        }
      }
    }
    graph.set(file, edges);
  }
  for (const key of known)
    if (!seenUpward.has(key)) problems.push(`KNOWN_UPWARD: "${key}" no longer occurs; take it off the list`);
  for (const circle of circles(graph)) problems.push(`circle of imports: ${circle.join(" -> ")}`);
  return problems;
}

/** Each circle of the graph once (Tarjan's strongly connected components of 2 or more, or a self-import). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkBoundaries(process.cwd());
  if (problems.length) {
    console.error(`Batas impor dilanggar (${problems.length}):\n${problems.join("\n")}`);
    process.exit(1);
  }
  console.log("Batas impor: tidak ada pelanggaran.");
}
