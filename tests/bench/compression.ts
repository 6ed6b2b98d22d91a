/**
 * What each coding costs and saves on the pages a kader opens (issue 23, page weights):
 * `npm run bench:compression`. Fetches the 12 module pages, /istilah and the kader's home from
 * the built server without compression, then compresses each body as the server would: gzip at
 * RESPONSE_GZIP_LEVEL, brotli at the compression middleware's default quality 4 and at
 * RESPONSE_BROTLI_QUALITY (with RESPONSE_BROTLI_LGWIN, as server.ts), timed over many runs in this
 * process (one core). Prints bytes and ms per page and the mean over the pages.
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { RESPONSE_BROTLI_LGWIN, RESPONSE_BROTLI_QUALITY, RESPONSE_GZIP_LEVEL } from "~/lib/gzip-level";
import { loginCookie, startServer } from "./server";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const brotli = (q: number) => (b: Buffer) =>
  brotliCompressSync(b, {
    params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_LGWIN]: RESPONSE_BROTLI_LGWIN },
  });
const CODINGS: [string, (b: Buffer) => Buffer][] = [
  [`gzip ${RESPONSE_GZIP_LEVEL}`, (b) => gzipSync(b, { level: RESPONSE_GZIP_LEVEL })],
  ["brotli 4 (middleware default)", brotli(4)],
  [`brotli ${RESPONSE_BROTLI_QUALITY} (served)`, brotli(RESPONSE_BROTLI_QUALITY)],
];

const server = await startServer();
const pages: { path: string; body: Buffer }[] = [];
try {
  const cookie = await loginCookie(server.baseUrl, "081100000006");
  const get = async (path: string) => {
    const res = await fetch(server.baseUrl + path, { headers: { Cookie: cookie, "Accept-Encoding": "identity" } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const list = (await get("/modul")).toString("utf8");
  const slugs = [...new Set([...list.matchAll(/href="\/modul\/([a-z0-9-]+)"/g)].map((m) => m[1]))];
  for (const path of ["/", "/istilah", ...slugs.map((s) => `/modul/${s}`)]) pages.push({ path, body: await get(path) });
} finally {
  await server.stop();
}

const sums = CODINGS.map(() => ({ bytes: 0, ms: 0 }));
console.log(`Compressing each page ${RUNS} times (bytes, ms per page):`);
console.log(`${"page".padEnd(42)} ${"raw".padStart(7)}  ${CODINGS.map(([n]) => n.padStart(30)).join(" ")}`);
for (const { path, body } of pages) {
  const cells = CODINGS.map(([, fn], i) => {
    for (let k = 0; k < 20; k++) fn(body); // warm-up
    const t = performance.now();
    let out = fn(body);
    for (let k = 1; k < RUNS; k++) out = fn(body);
    const ms = (performance.now() - t) / RUNS;
    sums[i].bytes += out.length;
    sums[i].ms += ms;
    return `${String(out.length).padStart(7)} B ${ms.toFixed(3).padStart(7)} ms`.padStart(30);
  });
  console.log(`${path.padEnd(42)} ${String(body.length).padStart(7)}  ${cells.join(" ")}`);
}
console.log(
  `${"mean".padEnd(42)} ${"".padStart(7)}  ${sums.map((s) => `${String(Math.round(s.bytes / pages.length)).padStart(7)} B ${(s.ms / pages.length).toFixed(3).padStart(7)} ms`.padStart(30)).join(" ")}`,
);
