/**
 * Import boundaries that depend on what a specifier resolves to, which Biome's
 * noRestrictedImports (biome.json, folder rules) cannot see:
 *   - a server module (*.server.ts) never imports a UI module (a .tsx that is not .server.tsx);
 *     not even for a type: types a component needs live in the feature's .ts files;
 *   - a pure module in app/lib or a feature's plain .ts never imports a server module.
 * Run by `npm run lint`. Exits 1 with one line per violation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.tsx?$/.test(name)) yield p;
  }
}

function resolve(spec: string): string | null {
  if (!spec.startsWith("~/")) return null;
  const base = path.join("app", spec.slice(2));
  for (const ext of [".ts", ".tsx", "/index.ts", "/index.tsx"]) if (existsSync(base + ext)) return base + ext;
  return null;
}

const isServer = (f: string) => /\.server\.tsx?$/.test(f);
/** A .server.tsx renders React to HTML on the server (the MDX body): it may import UI. */
const rendersUi = (f: string) => f.endsWith(".server.tsx");
const isUi = (f: string) => f.endsWith(".tsx") && !isServer(f);
const isPure = (f: string) =>
  /\.ts$/.test(f) && !isServer(f) && (f.startsWith("app/lib/") || f.startsWith("app/features/"));

const problems: string[] = [];
for (const file of files("app")) {
  if (file.startsWith("app/routes/")) continue;
  const src = readFileSync(file, "utf8");
  for (const m of src.matchAll(/(?:^|\n)\s*import\s+[^"']*?from\s+["']([^"']+)["']/g)) {
    const target = resolve(m[1]);
    if (!target) continue;
    if (isServer(file) && !rendersUi(file) && isUi(target))
      problems.push(`${file}: server module imports UI ${target}`);
    if (isPure(file) && isServer(target)) problems.push(`${file}: pure module imports server module ${target}`);
  }
}
if (problems.length) {
  console.error(`Batas impor dilanggar (${problems.length}):\n${problems.join("\n")}`);
  process.exit(1);
}
console.log("Batas impor: tidak ada pelanggaran.");
