/** Roster import, step 5: commit a staged preview in one transaction, exactly once per token; history. */
import { kaderInputsChanged } from "~/features/certification/evaluate.server";
import { desc, eq, sql } from "drizzle-orm";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { db, type Conn, type Tx, sqlRows } from "~/db.server";
import { importBatches, users } from "~/db/schema";
import { SHOWN_ERRORS, type ImportKind } from "~/features/roster-import/columns";
import { withinScope } from "~/db/scope";
import { newUserId } from "~/features/accounts/users.server";
import { type StagedImport, dropStage, errorLines, isExpired, readStaged } from "~/features/roster-import/stage.server";
import type { KaderInput, PosyanduInput } from "~/features/roster-import/parse.server";
import { type Actor, chunks, planKader, planPosyandu } from "~/features/roster-import/plan.server";

const UPSERT_CHUNK = 1000;

// ---------------------------------------------------------------- commit

export interface CommittedImport {
  batchId: number;
  kind: ImportKind;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  fileName: string;
  /** Kader imports: the posyandu of the file's kader (for printing their activation codes). */
  posyanduIds: number[];
}

/** Posyandu ids kept with a kader import for the result page's activation-code links. */
const MAX_LINKED_POSYANDU = 1000;

/** The batch already committed from this token by this actor, if any. */
export async function findCommitted(conn: Conn, actorId: string, token: string): Promise<CommittedImport | null> {
  const rows = await sqlRows<{
    detail: Record<string, unknown> | string;
    entity_id: string;
  }>(
    sql`
      select entity_id, detail from audit_log
      where entity = 'import_batch' and actor_id = ${actorId} and detail->>'token' = ${token}
      limit 1`,
    conn,
  );
  if (!rows[0]) return null;
  const d = (typeof rows[0].detail === "string" ? JSON.parse(rows[0].detail) : rows[0].detail) as Record<
    string,
    unknown
  >;
  return {
    batchId: Number(rows[0].entity_id),
    kind: d.kind as ImportKind,
    rows: Number(d.rows),
    inserted: Number(d.inserted),
    updated: Number(d.updated),
    unchanged: Number(d.unchanged),
    fileName: String(d.fileName ?? ""),
    posyanduIds: Array.isArray(d.posyanduIds) ? d.posyanduIds.map(Number).filter(Number.isInteger) : [],
  };
}

/** For the preview page: the saved batch of this token, if it was saved. */
export function committedImport(actor: Pick<SessionUser, "id">, token: string): Promise<CommittedImport | null> {
  return findCommitted(db, actor.id, token);
}

export type CommitResult =
  | { ok: true; committed: CommittedImport; repeated: boolean }
  | { ok: false; message: string; errors: string[] };

class ConcurrentChange extends Error {}

/**
 * Saves a staged import in one transaction: all rows or none. Idempotent per token.
 */
export async function commitImport(actor: SessionUser, token: string, now = new Date()): Promise<CommitResult> {
  const done = await findCommitted(db, actor.id, token);
  if (done) return { ok: true, committed: done, repeated: true };
  let staged: StagedImport;
  try {
    staged = await readStaged(actor, token, { rows: true });
  } catch (e) {
    // A concurrent commit of the same token may have saved it and removed the stage.
    const saved = await findCommitted(db, actor.id, token);
    if (saved) return { ok: true, committed: saved, repeated: true };
    throw e;
  }
  if (isExpired(staged, now)) {
    return {
      ok: false,
      message: "Pratinjau ini sudah kedaluwarsa (lebih dari 1 jam). Unggah ulang berkas.",
      errors: [],
    };
  }
  if (staged.counts.error > 0) {
    return {
      ok: false,
      message: "Berkas masih berisi baris yang salah. Perbaiki berkas lalu unggah ulang; tidak ada data yang disimpan.",
      errors: staged.errors,
    };
  }
  try {
    const result = await db.transaction(async (tx) => {
      // One commit at a time, whatever its token: a commit plans against what earlier commits
      // saved, so the same file uploaded twice and saved at once reports each new kader once
      // (the second batch finds them "sama"). Imports are rare; waiting for one is cheap.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('roster-import'))`);
      const again = await findCommitted(tx, actor.id, token);
      if (again) return { ok: true as const, committed: again, repeated: true };
      const result =
        staged.kind === "kader"
          ? await applyKader(tx, actor, staged.rows as KaderInput[])
          : await applyPosyandu(tx, actor, staged.rows as PosyanduInput[]);
      if ("errors" in result) {
        return {
          ok: false as const,
          message:
            "Data berubah sejak pratinjau dibuat, sehingga beberapa baris kini salah. Tidak ada data yang disimpan; unggah ulang berkas.",
          errors: result.errors,
        };
      }
      const [batch] = await tx
        .insert(importBatches)
        .values({
          kind: staged.kind,
          actorId: actor.id,
          scopeCode: actor.scopeCode,
          fileName: staged.fileName,
          fileSha256: staged.fileSha256,
          rows: staged.dataRows,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
        })
        .returning({ id: importBatches.id });
      const committed: CommittedImport = {
        batchId: batch.id,
        kind: staged.kind,
        rows: staged.dataRows,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        fileName: staged.fileName,
        posyanduIds: result.posyanduIds ?? [],
      };
      await audit(
        {
          actorId: actor.id,
          action: `import.${staged.kind}`,
          entity: "import_batch",
          entityId: batch.id,
          regionCode: actor.scopeCode,
          detail: {
            token,
            kind: staged.kind,
            fileName: staged.fileName,
            fileSha256: staged.fileSha256,
            rows: staged.dataRows,
            inserted: result.inserted,
            updated: result.updated,
            unchanged: result.unchanged,
            posyanduIds: committed.posyanduIds,
          },
        },
        tx,
      );
      // The rows (names and phone numbers) need not stay once saved.
      await dropStage(tx, token);
      return { ok: true as const, committed, repeated: false };
    });
    return result;
  } catch (e) {
    if (e instanceof ConcurrentChange) {
      return {
        ok: false,
        message: "Data berubah bersamaan dengan impor ini. Tidak ada data yang disimpan; unggah ulang berkas.",
        errors: [],
      };
    }
    throw e;
  }
}

type Applied = { inserted: number; updated: number; unchanged: number; posyanduIds?: number[] } | { errors: string[] };

async function applyKader(tx: Tx, actor: Actor, rows: KaderInput[]): Promise<Applied> {
  const { plans, errors } = await planKader(tx, actor, rows);
  if (errors.size) return { errors: errorLines(errors, SHOWN_ERRORS) };
  const changed = plans.filter((p) => p.status !== "sama");
  const scope = actor.scopeCode;
  // One JSON parameter per chunk (json_to_recordset): far cheaper than thousands of bind
  // parameters, on PGlite and on PostgreSQL alike.
  for (const part of chunks(changed, UPSERT_CHUNK)) {
    const json = JSON.stringify(
      part.map((p) => ({
        id: p.userId ?? newUserId(),
        name: p.name,
        phone: p.phone,
        scope_code: p.desaCode,
        posyandu_id: p.posyanduId,
        spm_bidang: p.spmBidang,
        gender: p.gender,
        birth_year: p.birthYear,
      })),
    );
    const written = await sqlRows<{ id: string }>(
      sql`
        insert into users (id, name, phone, role, scope_code, posyandu_id, spm_bidang, gender, birth_year)
        select t.id, t.name, t.phone, 'kader', t.scope_code, t.posyandu_id, t.spm_bidang, t.gender, t.birth_year
        from json_to_recordset(${json}::json)
          as t(id text, name text, phone text, scope_code text, posyandu_id int, spm_bidang text, gender text, birth_year smallint)
        on conflict (phone) do update set
          name = excluded.name,
          scope_code = excluded.scope_code,
          posyandu_id = excluded.posyandu_id,
          spm_bidang = excluded.spm_bidang,
          gender = coalesce(excluded.gender, users.gender),
          birth_year = coalesce(excluded.birth_year, users.birth_year)
        where users.role = 'kader' and ${withinScope(users.scopeCode, scope)}
        returning users.id`,
      tx,
    );
    // A row skipped by the guard means someone changed that account meanwhile: roll back.
    if (written.length !== part.length) throw new ConcurrentChange();
    // Placement and activation of accounts are no input of the rule: the projection only.
    await kaderInputsChanged(
      tx,
      written.map((w) => w.id),
      { certify: false },
    );
  }
  const inserted = changed.filter((p) => p.status === "baru").length;
  return {
    posyanduIds: [...new Set(plans.map((p) => p.posyanduId))].slice(0, MAX_LINKED_POSYANDU),
    inserted,
    updated: changed.length - inserted,
    unchanged: plans.length - changed.length,
  };
}

async function applyPosyandu(tx: Tx, actor: Actor, rows: PosyanduInput[]): Promise<Applied> {
  const { plans, errors } = await planPosyandu(tx, actor, rows);
  if (errors.size) return { errors: errorLines(errors, SHOWN_ERRORS) };
  const fresh = plans.filter((p) => p.status === "baru");
  const changed = plans.filter((p) => p.status === "diperbarui");
  for (const part of chunks(fresh, UPSERT_CHUNK)) {
    const json = JSON.stringify(
      part.map((p) => ({
        name: p.name,
        desa_code: p.desaCode,
        registration_no: p.registrationNo,
        address: p.address,
      })),
    );
    await tx.execute(sql`
      insert into posyandu (name, desa_code, registration_no, address)
      select t.name, t.desa_code, t.registration_no, t.address
      from json_to_recordset(${json}::json) as t(name text, desa_code text, registration_no text, address text)`);
  }
  for (const part of chunks(changed, 500)) {
    const values = sql.join(
      part.map((p) => sql`(${p.id}::int, ${p.name}::text, ${p.registrationNo}::text, ${p.address}::text)`),
      sql`, `,
    );
    const updated = await sqlRows<{ id: number }>(
      sql`
        update posyandu p set name = v.name,
          registration_no = coalesce(v.reg, p.registration_no),
          address = coalesce(v.address, p.address)
        from (values ${values}) as v(id, name, reg, address)
        where p.id = v.id and ${withinScope(sql`p.desa_code`, actor.scopeCode)}
        returning p.id`,
      tx,
    );
    if (updated.length !== part.length) throw new ConcurrentChange();
  }
  return {
    inserted: fresh.length,
    updated: changed.length,
    unchanged: plans.length - fresh.length - changed.length,
  };
}

// ---------------------------------------------------------------- history

export async function recentBatches(scope: string, limit = 10) {
  return db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      fileName: importBatches.fileName,
      rows: importBatches.rows,
      inserted: importBatches.inserted,
      updated: importBatches.updated,
      unchanged: importBatches.unchanged,
      at: importBatches.at,
      actorName: users.name,
    })
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.actorId))
    .where(withinScope(importBatches.scopeCode, scope))
    .orderBy(desc(importBatches.at), desc(importBatches.id))
    .limit(limit);
}
