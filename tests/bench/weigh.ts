/**
 * What a browser downloads for a page: the bytes on the wire as the server sends them to a
 * phone's browser over HTTPS (`Accept-Encoding: gzip, deflate, br, zstd`, as Chrome on Android
 * sends it: the server answers brotli), and, apart (`firstGzip`), to a client that takes gzip
 * only (a browser over plain HTTP, an old proxy), for the HTML (inline scripts and styles included) and every stylesheet, script and
 * modulepreload it links. One `Visitor` is one browser: an asset it fetched once is cached
 * (hashed /assets/ files are immutable), so `second` is what the same page costs on a later
 * navigation. (Until this stop the bodies were compressed again here at level 6, while the
 * server sent its pages at level 4: the figures were 0.3–0.4 KB lighter than the wire.)
 */
import { get } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

/** What Chrome on Android sends over HTTPS (it offers brotli only over HTTPS). */
export const BROWSER_HTTPS = "gzip, deflate, br, zstd";
/** What a browser sends over plain HTTP. */
export const GZIP_ONLY = "gzip, deflate";

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
  /** The same first load for a client that takes gzip only. */
  firstGzip: number;
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

const assetBytes = new Map<string, number>();

/** GET as a browser that sends `encoding`: the bytes received and the body they decode to. */
function download(
  url: string,
  cookie: string | null,
  encoding = BROWSER_HTTPS,
): Promise<{ status: number; wire: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "Accept-Encoding": encoding };
    if (cookie) headers.Cookie = cookie;
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const coding = res.headers["content-encoding"];
        const body = coding === "gzip" ? gunzipSync(raw) : coding === "br" ? brotliDecompressSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, wire: raw.length, body });
      });
      res.on("error", reject);
    }).on("error", reject);
  });
}

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

  private async asset(url: string, encoding = BROWSER_HTTPS): Promise<number> {
    const key = `${encoding} ${url}`;
    const hit = assetBytes.get(key);
    if (hit !== undefined) return hit;
    const res = await download(new URL(url, this.base).href, null, encoding);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    assetBytes.set(key, res.wire);
    return res.wire;
  }

  async page(path: string): Promise<PageWeight> {
    const res = await download(this.base + path, this.cookie);
    const body = res.body.toString("utf8");
    const html = res.wire;
    const { styles, scripts } = linkedAssets(body);
    let css = 0;
    let js = 0;
    let uncached = 0;
    let assetsGzip = 0;
    for (const s of [...styles, ...scripts]) {
      const n = await this.asset(s);
      if (styles.includes(s)) css += n;
      else js += n;
      if (!this.cached.has(s)) uncached += n;
      this.cached.add(s);
      assetsGzip += await this.asset(s, GZIP_ONLY);
    }
    // The page again as a gzip-only client gets it (a GET: seen twice, changed by neither).
    const gz = await download(this.base + path, this.cookie, GZIP_ONLY);
    return {
      path,
      status: res.status,
      label: pageLabel(body),
      html,
      css,
      js,
      first: html + css + js,
      firstGzip: gz.wire + assetsGzip,
      second: html + uncached,
      styles,
      scripts,
      body,
    };
  }
}
