/**
 * The training cascade's facts (issue 20): which kecamatan and desa of a region have a
 * certified Tim Pembina, and how many active posyandu have a certified kader. The rates and
 * the chain breaks are computed from them in cascade.ts (pure).
 */
import { sql, type SQL } from "drizzle-orm";
import { pembinaProgramme } from "~/features/catalogue/content.server";
import { sqlRows } from "~/db.server";
import { withinScope } from "~/db/scope";
import { REPORTING_ZONE } from "~/lib/timezone";
import { NATIONAL_CODE } from "~/lib/region";
import { lru } from "~/lib/lru";
import {
  type CascadeFacts,
  type CascadeParts,
  type CascadeView,
  cascadeParts,
  cascadeView,
} from "~/features/reporting/cascade";

/**
 * "Valid today", the one spelling for kader (kader_progress.cert_expires_at) and pembina
 * (certificates.expires_at): a certificate is valid through its expiry date, WITA.
 */
export function certValidOn(expiresAt: SQL, today: string): SQL {
  return sql`(${expiresAt} is not null and (${expiresAt} at time zone ${REPORTING_ZONE.iana})::date >= ${today}::date)`;
}

export interface CascadeFilter {
  programmeId: string;
  bidang: string | null;
  today: string;
}

/**
 * The facts of a region: each kecamatan and desa in it with whether an active pembina of that
 * level, scoped to it, holds a valid, unrevoked certificate of the pembina programme; and the
 * active posyandu per desa with those having an active kader certified in the dashboard's
 * programme (and bidang), per posyandu on a desa's dashboard. Bounded by the region: one probe
 * per kecamatan/desa on users' scope index and one per posyandu on kader_progress.
 *
 * Read at once with the region's report, whose rows the parts are per: so this gives a function
 * of the rows (cascadeParts, cascade.ts). The nation's facts (every kecamatan, desa and
 * posyandu of the country: ~90,000 objects, ~20 MB of heap, about a second to read at 1.41 M
 * kader) are not kept: their parts (one entry per province) are, per filter, for at most
 * NATIONAL_TTL_MS.
 */
export async function cascadeSource(
  region: { code: string; level: string },
  f: CascadeFilter,
): Promise<(rows: readonly CascadeRow[]) => Promise<CascadeParts>> {
  if (region.code !== NATIONAL_CODE) {
    const facts = await readFacts(region, f);
    return async (rows) => cascadeParts(facts, region, rows);
  }
  const key = `${f.programmeId}|${f.bidang ?? ""}|${f.today}`;
  const made = async (facts: CascadeFacts, rows: readonly CascadeRow[]) => {
    const parts = cascadeParts(facts, region, rows);
    nationalParts.set(key, { rows: rowsKey(rows), parts });
    return parts;
  };
  const hit = nationalParts.get(key);
  // Kept parts serve the same provinces (codes and names) as when they were made: nearly always.
  if (hit) return async (rows) => (rowsKey(rows) === hit.rows ? hit.parts : made(await readFacts(region, f), rows));
  const facts = await readFacts(region, f);
  return (rows) => made(facts, rows);
}

type CascadeRow = { code: string; name: string };
const rowsKey = (rows: readonly CascadeRow[]) => rows.map((r) => `${r.code}=${r.name}`).join(",");

/** How old the national cascade may be (stated on the national dashboard). */
export const NATIONAL_TTL_MS = 10 * 60_000;
/** Programmes × bidang (8) × a day: the filters in use at once; a few KB each. */
const nationalParts = lru<string, { rows: string; parts: CascadeParts }>("national-cascade", 16, {
  maxAgeMs: NATIONAL_TTL_MS,
});

async function readFacts(region: { code: string; level: string }, f: CascadeFilter): Promise<CascadeFacts> {
  const pembina = pembinaProgramme()?.id ?? null;
  // The region's certified teams, read through the users' scope prefix index (the same
  // reason as below: an EXISTS per area scanned every pembina certificate in the country).
  const teamsCertified =
    pembina === null
      ? sql`(select null::text as scope_code, null::text as role where false)`
      : sql`(select distinct u.scope_code, u.role from users u join certificates c on c.user_id = u.id
          where ${withinScope(sql`u.scope_code`, region.code)} and u.role <> 'kader' and u.role in ('pembina_kecamatan', 'pembina_desa')
            and u.active and c.programme_id = ${pembina} and c.revoked_at is null
            and ${certValidOn(sql`c.expires_at`, f.today)})`;
  // The region's certified kader by posyandu, read through the desa prefix index: an EXISTS
  // per posyandu was planned as one hashed scan of every certified kader in the country
  // (319 ms at provinsi 31 on the 1.41 M seed).
  const covered = sql`(select distinct kp.posyandu_id from kader_progress kp
      where ${withinScope(sql`kp.desa_code`, region.code)} and kp.posyandu_id is not null
        and kp.programme_id = ${f.programmeId} and kp.active
        and ${certValidOn(sql`kp.cert_expires_at`, f.today)}
        ${f.bidang === null ? sql`` : sql`and kp.spm_bidang = ${f.bidang}`})`;
  const byPosyandu = region.level === "desa";
  // Above a kecamatan the posyandu only count per row (kabupaten, kecamatan at least) and the
  // chain breaks are per kecamatan (its team and its desa teams): one row per kecamatan, not per
  // desa (the nation: ~7,000 rows instead of ~83,000). `desaCode` then holds the kecamatan.
  const unit = byPosyandu || region.level === "kecamatan" ? sql`p.desa_code` : sql`left(p.desa_code, 8)`;
  const [teams, posyandu] = await Promise.all([
    sqlRows<{ code: string; level: "kecamatan" | "desa"; certified: boolean }>(sql`
      select r.code, r.level, t.scope_code is not null as certified
      from regions r left join ${teamsCertified} t
        on t.scope_code = r.code and t.role = case r.level when 'kecamatan' then 'pembina_kecamatan' else 'pembina_desa' end
      where r.level in ('kecamatan', 'desa') and ${withinScope(sql`r.code`, region.code)}`),
    sqlRows<{ key: string; desa_code: string; total: number; certified: number }>(sql`
      select ${byPosyandu ? sql`p.id::text` : unit} as key, ${unit} as desa_code, count(*)::int as total,
        count(c.posyandu_id)::int as certified
      from posyandu p left join ${covered} c on c.posyandu_id = p.id
      where p.active and ${withinScope(sql`p.desa_code`, region.code)}
      group by 1, 2`),
  ]);
  return {
    teams: teams.map((t) => ({ code: t.code, level: t.level, certified: Boolean(t.certified) })),
    posyandu: posyandu.map((p) => ({
      key: p.key,
      desaCode: p.desa_code,
      total: Number(p.total),
      certified: Number(p.certified),
    })),
  };
}

/** The cascade of a dashboard region (cascadeView) with its facts read here: for the exports. */
export async function regionCascade(
  region: { code: string; level: string },
  report: Parameters<typeof cascadeView>[2],
  f: CascadeFilter,
): Promise<CascadeView> {
  const parts = await cascadeSource(region, f);
  return cascadeView(await parts(report.rows), region, report);
}
