/**
 * Two stylesheets for the kader pages without a rule twice (vite.config.ts, at build):
 * - kader.css, linked on every kader page: built by Tailwind from what a module page renders
 *   (its @source list), so the heaviest kader page downloads only what it uses;
 * - kader-lain.css, linked after it on the other kader pages: built from every kader page's
 *   files, then cut down here to the rules kader.css does not have.
 *
 * The cut keeps the cascade of the whole sheet: a page that links both gets exactly what one
 * stylesheet built from every kader file would give. Both files are taken from that whole sheet
 * in its own order, so two rules in the same file keep their order. A rule that goes to the
 * second file comes after every rule of the first; where that could change which one wins (an
 * earlier rule of the whole sheet that shares a property family with a later rule of the first
 * file, in the same cascade layer), the earlier rule stays in the first file, until no such pair
 * is left. Rules in different layers never decide by order, so they are not compared; nor are
 * at-rules without rules (@property, @page: one per name).
 */
import postcss, { type AtRule, type Container, type Root, type Rule } from "postcss";

/** Longhands that a shorthand of another name sets: compared as one family. */
const FAMILY: Record<string, string> = {
  top: "inset",
  right: "inset",
  bottom: "inset",
  left: "inset",
  gap: "gap",
  "row-gap": "gap",
  "column-gap": "gap",
  "place-items": "align",
  "place-content": "align",
  "place-self": "align",
  "justify-items": "align",
  "justify-content": "align",
  "justify-self": "align",
  "text-wrap": "white-space",
  "white-space": "white-space",
};

/**
 * The family of a property: its first word (padding-inline-start and padding are one family),
 * vendor prefix dropped; custom properties by their whole name. Wider than the shorthand rules
 * of CSS (text-align and text-decoration are one family), never narrower, so a pair it misses
 * cannot decide anything by order.
 */
export function family(prop: string): string {
  if (prop.startsWith("--")) return prop;
  const p = prop.replace(/^-(webkit|moz|ms)-/, "");
  return FAMILY[p] ?? p.split("-")[0];
}

interface Leaf {
  node: Rule | AtRule;
  /** The at-rules and selectors around it, outermost first. */
  context: string;
  /** The cascade layer ("" unlayered). */
  layer: string;
  families: Set<string>;
}

const isContainer = (n: Rule | AtRule): boolean => !!n.nodes?.some((c) => c.type === "rule" || c.type === "atrule");

/** Every style rule and every at-rule without nested rules (@property, @page, a @layer statement), in order. */
function leaves(root: Root): Leaf[] {
  const out: Leaf[] = [];
  const walk = (c: Container, context: string, layer: string) => {
    for (const n of c.nodes ?? []) {
      if (n.type !== "rule" && n.type !== "atrule") continue;
      if (isContainer(n)) {
        const here = n.type === "rule" ? n.selector : `@${n.name} ${n.params}`;
        walk(n, `${context}${here}{`, n.type === "atrule" && n.name === "layer" ? n.params : layer);
      } else {
        const families = new Set<string>();
        n.each((d) => {
          if (d.type === "decl") families.add(family(d.prop));
        });
        out.push({ node: n, context, layer, families });
      }
    }
  };
  walk(root, "", "");
  return out;
}

const selectorKey = (context: string, selector: string) => `${context}\u0000${selector}`;
const leafKey = (l: Leaf) =>
  l.node.type === "rule" ? null : `${l.context}\u0000@${l.node.name} ${l.node.params}${l.node.nodes ? "{}" : ";"}`;

/** (context, selector, declaration) of every declaration: what a page gets from a sheet. */
function declarations(root: Root): Set<string> {
  const out = new Set<string>();
  for (const l of leaves(root)) {
    const heads = l.node.type === "rule" ? l.node.selectors : [`@${l.node.name} ${l.node.params}`];
    for (const h of heads) {
      let any = false;
      l.node.each((d) => {
        if (d.type !== "decl") return;
        any = true;
        out.add(`${l.context}\u0000${h}\u0000${d.prop}:${d.value}${d.important ? "!important" : ""}`);
      });
      if (!any) out.add(`${l.context}\u0000${h}`);
    }
  }
  return out;
}

/** Takes a leaf out, and every rule or at-rule around it that has nothing left. */
function take(leaf: Leaf) {
  let p = leaf.node.parent;
  leaf.node.remove();
  while (p && p.type !== "root" && !p.nodes?.length) {
    const up = p.parent;
    p.remove();
    p = up;
  }
}

export interface Split {
  /** The first file: every rule of `whole` that the first file's own build has, and what had to stay with them. */
  first: string;
  /** The second file: the rest of `whole`. */
  rest: string;
  /** Rules of the whole sheet kept in the first file for the cascade's sake. */
  kept: number;
}

/**
 * Splits `whole` (the stylesheet built from every kader file) into the rules of `firstBuild`
 * (the stylesheet built from the module page's files) and the rest, as described above.
 * Throws when the first file would lack a declaration its own build has.
 */
export function splitSheets(whole: string, firstBuild: string): Split {
  const firstRoot = postcss.parse(firstBuild);
  const inFirst = new Set<string>();
  for (const l of leaves(firstRoot)) {
    const k = leafKey(l);
    if (k) inFirst.add(k);
    else for (const s of (l.node as Rule).selectors) inFirst.add(selectorKey(l.context, s));
  }

  // A rule of the whole sheet with selectors on both sides becomes two rules, side by side.
  const wholeRoot = postcss.parse(whole);
  for (const l of leaves(wholeRoot)) {
    if (l.node.type !== "rule") continue;
    const rule = l.node;
    const mine = rule.selectors.filter((s) => inFirst.has(selectorKey(l.context, s)));
    if (mine.length && mine.length < rule.selectors.length) {
      const others = rule.selectors.filter((s) => !mine.includes(s));
      rule.cloneAfter({ selectors: others });
      rule.selectors = mine;
    }
  }

  const all = leaves(wholeRoot);
  const first = all.map((l) => {
    const k = leafKey(l);
    return k ? inFirst.has(k) : (l.node as Rule).selectors.every((s) => inFirst.has(selectorKey(l.context, s)));
  });
  // A rule left for the second file that an earlier position lost to a later rule of the first:
  // it stays in the first file (and may pull earlier rules after it).
  let kept = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < all.length; i++) {
      if (first[i] || all[i].node.type !== "rule") continue;
      for (let j = i + 1; j < all.length; j++) {
        if (!first[j] || all[j].node.type !== "rule" || all[j].layer !== all[i].layer) continue;
        if ([...all[i].families].some((f) => all[j].families.has(f))) {
          first[i] = true;
          kept++;
          changed = true;
          break;
        }
      }
    }
  }

  const firstOut = wholeRoot.clone();
  const restOut = wholeRoot.clone();
  const firstLeaves = leaves(firstOut);
  const restLeaves = leaves(restOut);
  for (let i = 0; i < all.length; i++) take(first[i] ? restLeaves[i] : firstLeaves[i]);
  restOut.walkComments((c) => {
    c.remove();
  });

  const got = declarations(firstOut);
  const missing = [...declarations(firstRoot)].filter((d) => !got.has(d));
  if (missing.length) throw new Error(`split-sheets: the first sheet would lack ${missing.slice(0, 5).join(", ")}`);
  return { first: firstOut.toString(), rest: restOut.toString(), kept };
}
