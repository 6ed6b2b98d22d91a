/**
 * Roster import, step 1: the upload. Kader and posyandu from CSV or XLSX; the pipeline:
 *
 * upload (streamed to DATA_DIR/imports, 10 MB limit, sha256) → parse (csv-parse or the
 * exceljs streaming reader; non-UTF-8 CSV decoded as windows-1252) → validate every row
 * with zod → resolve against the database within the importer's scope (new, updated,
 * unchanged, error) → staged as a row of `import_stages` for an hour → commit in one
 * transaction with multi-row upserts, one import_batches row and one audit entry.
 * The stage lives in the database, not in a process or on one host's disk, so any app
 * process can commit it (the upload file exists only during its own request), and a
 * commit of the same token twice is one import (advisory lock + the token in the audit entry).
 */

import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import {
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { serverFault } from "~/db.server";
import { env } from "~/env.server";
import { MAX_IMPORT_BYTES } from "~/features/roster-import/columns";

/** Preview lifetime: the stage and its token expire after an hour. */
export const STAGE_TTL_MS = 60 * 60 * 1000;

/** A problem with the whole file (size, format, columns): nothing is staged. */
export class ImportFileError extends Error {}

export function importsDir(): string {
  return path.resolve(env().DATA_DIR, "imports");
}

// ---------------------------------------------------------------- upload

export interface UploadedFile {
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
}

export type UploadResult =
  | { ok: true; file: UploadedFile; fields: Record<string, string> }
  | { ok: false; message: string; fields: Record<string, string> };

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
export const TOO_BIG_MESSAGE = `Berkas terlalu besar: ukuran maksimal ${mb(MAX_IMPORT_BYTES)}. Bagi data menjadi beberapa berkas (misalnya per kecamatan).`;

/**
 * Reads a multipart upload with the file in the field `berkas`: streamed to a temporary
 * file (never held whole in memory), hashed on the way, cut off past the size limit.
 */
export async function receiveImportUpload(request: Request): Promise<UploadResult> {
  const dir = importsDir();
  await mkdir(dir, { recursive: true });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  let tooBig = declared > MAX_IMPORT_BYTES + 64 * 1024;
  let file: UploadedFile | null = null;
  const fileHandler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== "berkas" || filename === undefined) return undefined;
    const tmp = path.join(dir, `${randomBytes(16).toString("hex")}.upload`);
    const hash = createHash("sha256");
    let bytes = 0;
    const out = createWriteStream(tmp, { mode: 0o600 });
    try {
      await pipeline(async function* () {
        for await (const chunk of data) {
          bytes += chunk.byteLength;
          if (tooBig || bytes > MAX_IMPORT_BYTES) {
            tooBig = true;
            // Keep reading (so the browser gets our answer) but stop storing; give up on absurd sizes.
            if (bytes > 8 * MAX_IMPORT_BYTES) throw new ImportFileError(TOO_BIG_MESSAGE);
            continue;
          }
          hash.update(chunk);
          yield chunk;
        }
      }, out);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    if (tooBig) {
      await rm(tmp, { force: true });
      return "";
    }
    file = {
      path: tmp,
      fileName: path.basename(filename.replace(/\\/g, "/")).slice(0, 200) || "berkas",
      bytes,
      sha256: hash.digest("hex"),
    };
    return "uploaded";
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 10_000 })),
    );
  } catch (e) {
    const f = file as UploadedFile | null;
    if (f) await rm(f.path, { force: true });
    if (e instanceof ImportFileError) return { ok: false, message: e.message, fields: {} };
    // The server's disk is full (ENOSPC): not the file's fault; handleError answers 507.
    if (serverFault(e)) throw e;
    return {
      ok: false,
      message: tooBig ? TOO_BIG_MESSAGE : "Unggahan tidak dapat dibaca. Pilih berkas CSV atau XLSX lalu coba lagi.",
      fields: {},
    };
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && k !== "berkas") fields[k] = v.slice(0, 100);
  const f = file as UploadedFile | null;
  if (tooBig) {
    if (f) await rm(f.path, { force: true });
    return { ok: false, message: TOO_BIG_MESSAGE, fields };
  }
  if (!f) return { ok: false, message: "Pilih berkas CSV atau XLSX.", fields };
  if (f.bytes === 0) {
    await rm(f.path, { force: true });
    return {
      ok: false,
      message: "Berkas kosong. Pilih berkas CSV atau XLSX yang berisi data.",
      fields,
    };
  }
  return { ok: true, file: f, fields };
}
