/**
 * The gzip level of the server's answers (the compression middleware in server.ts, the parts
 * of a page around a fragment, the sizes "Simpan semua modul" announces). Level 5: the heaviest
 * module page's HTML in 9,704 bytes instead of level 4's 9,963, for 0.05 ms more CPU (level 6:
 * 9,692 bytes, 0.15 ms more). What is compressed once (a fragment, /assets) uses higher levels.
 */
export const RESPONSE_GZIP_LEVEL = 5;
