/**
 * What a browser downloads for a page, gzip level 6: the HTML (inline scripts and styles
 * included) and every stylesheet, script and modulepreload it links. One `Visitor` is one
 * browser: an asset it fetched once is cached (hashed /assets/ files are immutable), so
 * `second` is what the same page costs on a later navigation.
 */
import { gzipSync } from "node:zlib";

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export interface PageWeight {
  path: string;
  status: number;
  /** The page's own label: its <h1> (or <title> without one). */
  label: string;
  html: number;
  css: number;
  js: number;
  /** Nothing cached: HTML + every linked asset. */
  first: number;
  /** Linked assets already cached by an earlier page of this visitor: HTML + the new ones. */
  second: number;
  styles: string[];
  scripts: string[];
  body: string;
}

/** Linked assets a browser fetches before or while it renders: stylesheets, scripts, modulepreloads. */
export function linkedAssets(html: string): { styles: string[]; scripts: string[] } {
  const styles: string[] = [];
  const scripts: string[] = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (!href) continue;
    if (rel === "stylesheet") styles.push(href);
    else if (rel === "modulepreload") scripts.push(href);
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) scripts.push(m[1]);
  return { styles: [...new Set(styles)], scripts: [...new Set(scripts)] };
}

function textOf(fragment: string): string {
  return fragment
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

export function pageLabel(html: string): string {
  const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1];
  if (h1) return textOf(h1);
  return textOf(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? "(no title)");
}

const assetGzip = new Map<string, number>();

export class Visitor {
  private cached = new Set<string>();
  constructor(
    private base: string,
    readonly cookie: string | null,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(this.base + path, {
      redirect: "manual",
      ...init,
      headers: { ...(this.cookie ? { Cookie: this.cookie } : {}), Origin: this.base, ...init.headers },
    });
  }

  private async asset(url: string): Promise<number> {
    const hit = assetGzip.get(url);
    if (hit !== undefined) return hit;
    const res = await fetch(new URL(url, this.base));
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    const n = gzipSync(Buffer.from(await res.arrayBuffer()), { level: 6 }).length;
    assetGzip.set(url, n);
    return n;
  }

  async page(path: string): Promise<PageWeight> {
    const res = await this.fetch(path);
    const raw = Buffer.from(await res.arrayBuffer());
    const body = raw.toString("utf8");
    const html = gzipSync(raw, { level: 6 }).length;
    const { styles, scripts } = linkedAssets(body);
    let css = 0;
    let js = 0;
    let uncached = 0;
    for (const s of [...styles, ...scripts]) {
      const n = await this.asset(s);
      if (styles.includes(s)) css += n;
      else js += n;
      if (!this.cached.has(s)) uncached += n;
      this.cached.add(s);
    }
    return {
      path,
      status: res.status,
      label: pageLabel(body),
      html,
      css,
      js,
      first: html + css + js,
      second: html + uncached,
      styles,
      scripts,
      body,
    };
  }
}
