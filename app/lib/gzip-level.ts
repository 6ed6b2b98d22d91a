/**
 * The gzip level of the server's answers (the compression middleware in server.ts, the parts
 * of a page around a fragment, the sizes "Simpan semua modul" announces). Level 5: the heaviest
 * module page's HTML in 9,704 bytes instead of level 4's 9,963, for 0.05 ms more CPU (level 6:
 * 9,692 bytes, 0.15 ms more). What is compressed once (a fragment, /assets) uses higher levels.
 */
export const RESPONSE_GZIP_LEVEL = 5;

/**
 * The brotli quality of the server's answers, for clients that take brotli (every browser over
 * HTTPS): 5. The compression middleware's own default, 4, made the heaviest module page 9,825
 * bytes, more than gzip 5's 9,704, in the same 0.35 ms; quality 5 makes it 9,304 bytes (4% less
 * than gzip) for ~0.13 ms more CPU per page (6: 9,283 bytes, a little slower still).
 */
export const RESPONSE_BROTLI_QUALITY = 5;
