/** Roster import, step 4: the preview, staged for an hour, with counts and row errors. */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { notFound } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { SPM_LABEL } from "~/lib/roles";
import { rowMessage, SHOWN_ERRORS, type ImportKind } from "~/features/roster-import/columns";
import {
  Actor,
  KaderPlan,
  PosyanduPlan,
  RowStatus,
  planKader,
  planPosyandu,
} from "~/features/roster-import/plan.server";
import { KaderInput, PosyanduInput, addError, parseImportFile } from "~/features/roster-import/parse.server";
import { ImportFileError, STAGE_TTL_MS, UploadedFile, importsDir } from "~/features/roster-import/upload.server";

const TOKEN_RE = /^[a-f0-9]{32}$/;

// ---------------------------------------------------------------- staging

export interface ImportCounts {
  baru: number;
  diperbarui: number;
  sama: number;
  error: number;
}

export interface SampleRow {
  line: number;
  status: RowStatus;
  name: string;
  detail: string;
}

export interface StagedImport {
  v: 1;
  token: string;
  kind: ImportKind;
  actorId: string;
  scopeCode: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  encoding: string;
  createdAt: string;
  expiresAt: string;
  dataRows: number;
  skipped: number;
  headerLine: number;
  ignoredColumns: string[];
  counts: ImportCounts;
  /** The first SHOWN_ERRORS row errors, in line order. */
  errors: string[];
  /** The first changes, for a look before saving. */
  sample: SampleRow[];
  /** Validated rows, kept only when there is no error (a file with errors cannot be saved). */
  rows: (KaderInput | PosyanduInput)[];
}

export function stagePath(token: string): string {
  if (!TOKEN_RE.test(token)) throw notFound("Pratinjau impor tidak ditemukan.");
  return path.join(importsDir(), `${token}.json`);
}

/** Removes stage and upload files older than the preview lifetime. */
export async function sweepImports(now = Date.now()): Promise<number> {
  const dir = importsDir();
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/\.(json|upload|tmp)$/.test(name)) continue;
    const p = path.join(dir, name);
    try {
      const s = await stat(p);
      if (now - s.mtimeMs > STAGE_TTL_MS) {
        await rm(p, { force: true });
        removed++;
      }
    } catch {
      // removed by another process meanwhile
    }
  }
  return removed;
}

function mergeErrors(...maps: Map<number, string[]>[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of maps) for (const [line, msgs] of m) for (const msg of msgs) addError(out, line, msg);
  return out;
}

export function errorLines(errors: Map<number, string[]>, limit: number): string[] {
  return [...errors.keys()]
    .sort((a, b) => a - b)
    .slice(0, limit)
    .map((line) => rowMessage(line, errors.get(line)!));
}

function countStatuses(plans: { status: RowStatus }[], errorRows: number): ImportCounts {
  const c: ImportCounts = { baru: 0, diperbarui: 0, sama: 0, error: errorRows };
  for (const p of plans) c[p.status]++;
  return c;
}

export type StageResult = { ok: true; token: string; staged: StagedImport } | { ok: false; message: string };

/**
 * Parses, validates and resolves an uploaded file and stages it for an hour. The upload
 * file is removed either way.
 */
export async function stageImport(
  actor: Actor,
  kind: ImportKind,
  file: UploadedFile,
  now = new Date(),
): Promise<StageResult> {
  try {
    await sweepImports(now.getTime());
    const parsed = await parseImportFile(kind, file.path, file.fileName, now);
    const plan =
      kind === "kader"
        ? await planKader(db, actor, parsed.rows as KaderInput[])
        : await planPosyandu(db, actor, parsed.rows as PosyanduInput[]);
    const errors = mergeErrors(parsed.errors, plan.errors);
    const counts = countStatuses(plan.plans, errors.size);
    const sample: SampleRow[] = [];
    for (const p of plan.plans as (KaderPlan | PosyanduPlan)[]) {
      if (p.status === "sama") continue;
      sample.push({
        line: p.line,
        status: p.status,
        name: p.name,
        detail:
          "phone" in p
            ? `${formatPhone(p.phone)} · ${p.posyanduName} · ${SPM_LABEL[p.spmBidang]}`
            : `${p.desaCode}${p.registrationNo ? ` · No. reg ${p.registrationNo}` : ""}`,
      });
      if (sample.length >= 20) break;
    }
    const token = randomBytes(16).toString("hex");
    const staged: StagedImport = {
      v: 1,
      token,
      kind,
      actorId: actor.id,
      scopeCode: actor.scopeCode,
      fileName: file.fileName,
      fileSha256: file.sha256,
      fileBytes: file.bytes,
      encoding: parsed.encoding,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + STAGE_TTL_MS).toISOString(),
      dataRows: parsed.dataRows,
      skipped: parsed.skipped,
      headerLine: parsed.headerLine,
      ignoredColumns: parsed.ignoredColumns,
      counts,
      errors: errorLines(errors, SHOWN_ERRORS),
      sample,
      rows: errors.size ? [] : parsed.rows,
    };
    const target = stagePath(token);
    await writeFile(target + ".tmp", JSON.stringify(staged), { mode: 0o600 });
    await rename(target + ".tmp", target);
    return { ok: true, token, staged };
  } catch (e) {
    if (e instanceof ImportFileError) return { ok: false, message: e.message };
    throw e;
  } finally {
    await rm(file.path, { force: true });
  }
}

/** The staged preview of this actor (404 for unknown tokens and for other people's). */
export async function readStaged(actor: Pick<SessionUser, "id">, token: string): Promise<StagedImport> {
  let text: string;
  try {
    text = await readFile(stagePath(token), "utf8");
  } catch (e) {
    if (e instanceof Response) throw e;
    throw notFound("Pratinjau impor tidak ditemukan atau sudah dihapus. Unggah ulang berkas.");
  }
  const staged = JSON.parse(text) as StagedImport;
  if (staged.v !== 1 || staged.actorId !== actor.id) throw notFound("Pratinjau impor tidak ditemukan.");
  return staged;
}

export function isExpired(staged: StagedImport, now = new Date()): boolean {
  return new Date(staged.expiresAt).getTime() <= now.getTime();
}
