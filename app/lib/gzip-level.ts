/**
 * The gzip level of the server's answers (the compression middleware in server.ts, the parts
 * of a page around a fragment, the sizes "Simpan semua modul" announces). Level 5: the heaviest
 * module page's HTML in 9,704 bytes instead of level 4's 9,963, for 0.05 ms more CPU (level 6:
 * 9,692 bytes, 0.15 ms more). What is compressed once (a fragment, /assets) uses higher levels.
 */
export const RESPONSE_GZIP_LEVEL = 5;

/**
 * The brotli quality of the server's answers, for clients that take brotli (every browser over
 * HTTPS): 5. `npm run bench:compression`, over the kader's home, /istilah and the 12 module
 * pages: gzip 5 makes 7,219 bytes a page in 0.18 ms; the compression middleware's own brotli
 * default, 4, made 7,271 bytes (more than gzip) in 0.19 ms; quality 5 makes 6,961 bytes (3.6%
 * less than gzip) in 0.32 ms, 0.13 ms more CPU per page.
 */
export const RESPONSE_BROTLI_QUALITY = 5;

/**
 * The brotli window of the server's answers: 2^18 = 256 KB (lgwin 18) instead of zlib's default
 * 4 MB; every page fits in it (server.ts, `npm run bench:compression`).
 */
export const RESPONSE_BROTLI_LGWIN = 18;
