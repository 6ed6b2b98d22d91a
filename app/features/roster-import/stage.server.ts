/**
 * Roster import, step 4: the preview, staged for an hour, with counts and row errors.
 * The stage is a row of `import_stages` in the database (not a file on one host), so any
 * app process can show and commit it.
 */
import { randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { and, eq, lte, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db, type Conn } from "~/db.server";
import { importStages } from "~/db/schema";
import { notFound } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { SPM_LABEL } from "~/lib/roles";
import { rowMessage, SHOWN_ERRORS, type ImportKind } from "~/features/roster-import/columns";
import {
  type Actor,
  type KaderPlan,
  type PosyanduPlan,
  type RowStatus,
  planKader,
  planPosyandu,
} from "~/features/roster-import/plan.server";
import { type KaderInput, type PosyanduInput, addError, parseImportFile } from "~/features/roster-import/parse.server";
import { ImportFileError, STAGE_TTL_MS, type UploadedFile, importsDir } from "~/features/roster-import/upload.server";

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

export function checkToken(token: string): string {
  if (!TOKEN_RE.test(token)) throw notFound("Pratinjau impor tidak ditemukan.");
  return token;
}

/** Removes expired stages and upload files older than the preview lifetime. */
export async function sweepImports(now = Date.now()): Promise<number> {
  const gone = await db
    .delete(importStages)
    .where(lte(importStages.expiresAt, new Date(now)))
    .returning({ token: importStages.token });
  let removed = gone.length;
  const dir = importsDir();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
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

/** Forgets a stage (its rows hold names and phone numbers) once it is saved. */
export async function dropStage(conn: Conn, token: string): Promise<void> {
  await conn.delete(importStages).where(eq(importStages.token, token));
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
    const { rows, ...summary } = staged;
    await db.insert(importStages).values({
      token,
      actorId: actor.id,
      kind,
      summary: JSON.stringify(summary),
      rows: JSON.stringify(rows),
      createdAt: now,
      expiresAt: new Date(staged.expiresAt),
    });
    return { ok: true, token, staged };
  } catch (e) {
    if (e instanceof ImportFileError) return { ok: false, message: e.message };
    throw e;
  } finally {
    await rm(file.path, { force: true });
  }
}

/**
 * The staged preview of this actor (404 for unknown tokens and for other people's).
 * The validated rows are read only when asked for (the commit), not for the preview page.
 */
export async function readStaged(
  actor: Pick<SessionUser, "id">,
  token: string,
  opts: { rows?: boolean; conn?: Conn } = {},
): Promise<StagedImport> {
  checkToken(token);
  const conn = opts.conn ?? db;
  const [row] = await conn
    .select({ summary: importStages.summary, rows: opts.rows ? importStages.rows : sql<string>`''` })
    .from(importStages)
    .where(and(eq(importStages.token, token), eq(importStages.actorId, actor.id)));
  if (!row) throw notFound("Pratinjau impor tidak ditemukan atau sudah dihapus. Unggah ulang berkas.");
  const staged = JSON.parse(row.summary) as Omit<StagedImport, "rows">;
  if (staged.v !== 1) throw notFound("Pratinjau impor tidak ditemukan.");
  const rows = opts.rows ? (JSON.parse(row.rows) as StagedImport["rows"]) : [];
  return { ...staged, rows };
}

export function isExpired(staged: StagedImport, now = new Date()): boolean {
  return new Date(staged.expiresAt).getTime() <= now.getTime();
}
