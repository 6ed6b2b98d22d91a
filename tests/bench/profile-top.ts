/**
 * The functions that dominate a V8 CPU profile (`node --cpu-prof`): self time and
 * inclusive time, in percent of the samples.
 *   npx tsx tests/bench/profile-top.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, rowsArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/build\//, "build/");
  return `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const incl = new Map<string, number>();
for (const s of prof.samples) {
  const leaf = byId.get(s)!;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + 1);
  }
}
const total = prof.samples.length;
const idle = self.get("(idle) :0") ?? 0;
const busy = total - idle;
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(root)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((v / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
const rows = Number(rowsArg ?? 25);
console.log(`${total} samples, ${((idle / total) * 100).toFixed(0)}% idle; percentages of the busy samples`);
console.log("self:\n" + top(self, rows).join("\n"));
console.log("inclusive:\n" + top(incl, rows).join("\n"));
