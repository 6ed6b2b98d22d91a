/**
 * A part of a page rendered once and sent to many viewers (a cached dashboard's content,
 * app/features/reporting/dashboard-page.server.tsx), spliced into each response's bytes
 * instead of being copied through React's stream and gzip-compressed again on every view
 * (issue 23: compressing 20–70 KB cost ~0.6 ms of a cached view's ~3.3 ms).
 *
 * How: the route renders `fragmentMarker(nonce)` (app/lib/fragment-marker.ts) where the part
 * goes, and its loader hands the fragment to the request (`context.htmlFragment`).
 * entry.server.tsx then cuts the page at the marker (`spliceFragment`):
 * - for a client that accepts gzip, one gzip member: the bytes before the marker and after
 *   it are compressed per response; the fragment's own deflate stream, made once and ended
 *   by a sync flush (byte-aligned, not final, no reference outside itself), goes between
 *   them as it is; the trailer's CRC-32 and length are of the whole page;
 * - otherwise the plain bytes, in order.
 * Either way the client gets exactly the page React would have rendered with the part inline.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import { acceptsEncoding } from "~/lib/accept-encoding";
import { RESPONSE_GZIP_LEVEL } from "~/lib/gzip-level";

/** The fragment is compressed once, so it can afford more. */
const FRAGMENT_LEVEL = 6;

export class HtmlFragment {
  /** UTF-8, off the JavaScript heap. */
  readonly bytes: Buffer;
  #deflated?: Buffer;

  constructor(html: string) {
    this.bytes = Buffer.from(html, "utf8");
  }

  get html(): string {
    return this.bytes.toString("utf8");
  }

  /** Raw deflate, ended by a sync flush: it can stand between other deflate blocks. */
  get deflated(): Buffer {
    this.#deflated ??= deflateRawSync(this.bytes, { level: FRAGMENT_LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
    return this.#deflated;
  }
}

/** Whether the request takes a gzip body (`Accept-Encoding`: gzip, or else `*`, with a q above 0). */
export function acceptsGzip(header: string | null): boolean {
  return acceptsEncoding(header, "gzip");
}

/**
 * The page with `fragment` where `marker` stands (once), gzip-compressed or plain; null when
 * the marker is not in the page exactly once (an error page rendered instead: sent as it is).
 */
export function spliceFragment(
  page: Buffer,
  marker: string,
  fragment: HtmlFragment,
  gzip: boolean,
): Buffer<ArrayBuffer> | null {
  const mark = Buffer.from(marker, "utf8");
  const at = page.indexOf(mark);
  if (at < 0 || page.indexOf(mark, at + 1) >= 0) return null;
  const before = page.subarray(0, at);
  const after = page.subarray(at + mark.length);
  if (!gzip) return Buffer.concat([before, fragment.bytes, after]);
  const head = deflateRawSync(before, { level: RESPONSE_GZIP_LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
  const tail = deflateRawSync(after, { level: RESPONSE_GZIP_LEVEL });
  // CRC-32 of the whole page: continued over the three parts (the fragment's bytes are in memory).
  const crc = crc32(after, crc32(fragment.bytes, crc32(before)));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((before.length + fragment.bytes.length + after.length) >>> 0, 4);
  // ID1 ID2, deflate, no flags, no time, no extra flags, OS "unknown".
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  return Buffer.concat([header, head, fragment.deflated, tail, trailer]);
}
