/**
 * The client build's hashed files (/assets: the stylesheets, the kader script; immutable)
 * compressed once and kept: brotli at quality 11 for clients that take it (every browser over
 * HTTPS), gzip at level 9 for the others. Through the compression middleware they were
 * compressed again on every request at its own level: the kader stylesheet went out as 5.44 KB
 * (gzip 4); gzip 9 gives 5.16 KB and brotli 11 4.42 KB, on every phone's first load. Both are
 * made off the main thread (brotli 11 takes ~15 ms for the stylesheet, ~270 ms for the largest
 * staff chunk), on the first request for each.
 * Anything else (a name it does not know, neither coding accepted) goes on to express.static.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { RequestHandler } from "express";
import { acceptsEncoding } from "~/lib/accept-encoding";
import { lru } from "~/lib/lru";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

type Coding = "br" | "gzip";

const COMPRESS: Record<Coding, (bytes: Buffer) => Promise<Buffer>> = {
  br: (bytes) =>
    promisify(brotliCompress)(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gzip: (bytes) => promisify(gzip)(bytes, { level: 9 }),
};

/** A build has about a hundred such files, in up to two codings; what is not read stays on disk. */
const kept = lru<string, Promise<Buffer | null>>("aset-terkompresi", 256);

export function compressedAssets(dir: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const accept = req.get("Accept-Encoding") ?? null;
    const coding: Coding | null = acceptsEncoding(accept, "br")
      ? "br"
      : acceptsEncoding(accept, "gzip")
        ? "gzip"
        : null;
    if (!coding) return next();
    const name = req.path.slice(1);
    const type = TYPES[path.extname(name)];
    // One file name of the build's own alphabet: no directory, no "..".
    if (!type || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) return next();
    const file = path.join(dir, name);
    const key = `${coding} ${file}`;
    let body = kept.get(key);
    if (!body) {
      body = readFile(file).then(
        (bytes) => COMPRESS[coding](bytes),
        () => null,
      );
      kept.set(key, body);
    }
    body.then(
      (bytes) => {
        if (!bytes) {
          kept.delete(key); // not a file of this build: express.static answers (404)
          return next();
        }
        res.set({
          "Content-Type": type,
          "Content-Encoding": coding,
          "Content-Length": String(bytes.length),
          "Cache-Control": "public, max-age=31536000, immutable",
          Vary: "Accept-Encoding",
        });
        res.end(req.method === "HEAD" ? undefined : bytes);
      },
      () => {
        kept.delete(key); // compression failed: the file goes out as express.static sends it
        next();
      },
    );
  };
}
