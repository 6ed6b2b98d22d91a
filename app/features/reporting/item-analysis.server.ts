/**
 * "Analisis soal": item statistics per quiz bank for a region and a period. A provinsi or
 * kabupaten is read from the stats_item rollup (one row per region, item, month and first-try
 * flag, folded in from stats_item_pending, where a trigger on quiz_attempts puts each graded
 * answer; the pending rows are added at read): the cost is bounded by items × months whatever
 * the number of kader. A kecamatan or desa is summed live from its own graded attempts
 * (bounded by its size; the same SQL right/wrong rule, quiz_item_rows).
 */
import { regionPeriod } from "~/features/reporting/region-period.server";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { withinScope } from "~/db/scope";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth.server";
import { requireRole } from "~/auth.server";
import { onReplica, sqlRows } from "~/db.server";
import type { Role } from "~/db/schema";
import { content, getModule, type ModuleContent } from "~/features/catalogue/content.server";
import { TRUE_FALSE_OPTIONS } from "~/features/learning/quiz-rules";
import type { RegionRecord } from "~/features/regions/regions.server";
import {
  discrimination,
  facility,
  ITEM_FLAG_LABEL,
  itemFlags,
  MIN_RESPONSES,
  type ItemFlag,
  type ItemSums,
} from "~/features/reporting/item-analysis";
import { csvDate, DASHBOARD_CSV } from "~/features/reporting/csv-format";
import { notFound } from "~/lib/http";
import { rolesFor } from "~/lib/permissions";

export const ITEM_ANALYSIS_ROLES: readonly Role[] = rolesFor("item-analysis");

export interface ItemAnalysisQuery {
  region: RegionRecord;
  lineage: { code: string; name: string }[];
  children: { code: string; name: string }[];
  /** First and last month, "YYYY-MM", both included. */
  from: string;
  to: string;
  firstOnly: boolean;
  /** The query string for links and exports. */
  search: string;
}

/** Who may look, which region (in the user's scope) and which period; anything invalid falls back. */
export async function requireItemAnalysis(
  request: Request,
  now = new Date(),
): Promise<{ user: SessionUser; q: ItemAnalysisQuery }> {
  const user = await requireRole(request, ITEM_ANALYSIS_ROLES);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const percobaan = z.enum(["semua", "pertama"]).catch("semua").parse(params.percobaan);
  const { region, lineage, children, from, to } = await regionPeriod(user, params, now);
  const search = new URLSearchParams({
    wilayah: region.code,
    dari: from,
    sampai: to,
    percobaan,
  }).toString();
  return {
    user,
    q: { region, lineage, children, from, to, firstOnly: percobaan === "pertama", search },
  };
}

// ---------------------------------------------------------------- reading the rollups

type ItemRow = ItemSums & { slug: string; questionId: string; section: string };
type OptionRow = { slug: string; questionId: string; optionId: string; n: number };

/** Provinsi and kabupaten are read from the rollups; a kecamatan or desa from its own attempts. */
function fromRollup(region: RegionRecord): boolean {
  return region.level === "provinsi" || region.level === "kabupaten";
}

type Row = Record<string, string | number | null>;

/**
 * The rollup's rows and, as rows of the same shape, the graded answers not yet folded into it
 * (stats_item_pending, signed): one snapshot, so the sums are exact between folds.
 */
function rollupQuery(q: ItemAnalysisQuery, slug?: string) {
  const filter = sql`month >= ${`${q.from}-01`}::date and month <= ${`${q.to}-01`}::date
    ${q.firstOnly ? sql`and first_try` : sql``} ${slug ? sql`and slug = ${slug}` : sql``}`;
  return sql`
    with s as materialized (
      select slug, question_id, section, n, correct, rest_sum, rest_sq, xy_rest, options
      from stats_item where region_code = ${q.region.code} and ${filter}
      union all
      select p.slug, p.question_id, p.section, p.s, p.s * p.ok, p.s * p.rest, p.s * p.rest * p.rest, p.s * p.ok * p.rest,
             (select coalesce(jsonb_object_agg(o, p.s), '{}'::jsonb) from unnest(string_to_array(nullif(p.given, ''), ',')) o)
      from stats_item_pending p where ${withinScope(sql`p.region_code`, q.region.code)} and ${filter})
    select 'i' as kind, slug, question_id, max(section) as section, null as option_id, sum(n) as n, sum(correct) as correct,
           sum(rest_sum) as rest_sum, sum(rest_sq) as rest_sq, sum(xy_rest) as xy_rest
    from s group by slug, question_id
    union all
    select 'o', slug, question_id, null, o.key, sum(o.value::bigint), null, null, null, null
    from s cross join lateral jsonb_each_text(s.options) o group by slug, question_id, o.key`;
}

/** The same sums from the quiz_item_answers rows of a kecamatan or desa (one row per drawn item). */
function liveQuery(q: ItemAnalysisQuery, slug?: string) {
  return sql`
    with r as materialized (
      select slug, question_id, section, given, ok, rest from quiz_item_answers
      where ${withinScope(sql`region_code`, q.region.code)}
        ${slug ? sql`and slug = ${slug}` : sql``}
        and month >= ${`${q.from}-01`}::date and month <= ${`${q.to}-01`}::date
        ${q.firstOnly ? sql`and first_try` : sql``}
    )
    select 'i' as kind, slug, question_id, max(section) as section, null as option_id, count(*) as n, sum(ok) as correct,
           sum(rest) as rest_sum, sum(rest * rest) as rest_sq, sum(ok * rest) as xy_rest
    from r group by slug, question_id
    union all
    select 'g', slug, question_id, null, given, count(*), null, null, null, null
    from r group by slug, question_id, given`;
}

async function readSums(q: ItemAnalysisQuery, slug?: string): Promise<{ items: ItemRow[]; options: OptionRow[] }> {
  const rows = await sqlRows<Row>(fromRollup(q.region) ? rollupQuery(q, slug) : liveQuery(q, slug));
  const items: ItemRow[] = [];
  const options: OptionRow[] = [];
  for (const r of rows) {
    if (r.kind === "i")
      items.push({
        slug: String(r.slug),
        questionId: String(r.question_id),
        section: String(r.section ?? ""),
        n: Number(r.n),
        correct: Number(r.correct),
        restSum: Number(r.rest_sum),
        restSq: Number(r.rest_sq),
        xyRest: Number(r.xy_rest),
      });
    else if (r.kind === "o")
      options.push({
        slug: String(r.slug),
        questionId: String(r.question_id),
        optionId: String(r.option_id),
        n: Number(r.n),
      });
    // A chosen set ("a,c"): every option in it was chosen that many times.
    else
      for (const id of String(r.option_id ?? "")
        .split(",")
        .filter(Boolean))
        options.push({ slug: String(r.slug), questionId: String(r.question_id), optionId: id, n: Number(r.n) });
  }
  return { items, options };
}

// ---------------------------------------------------------------- one bank

export interface OptionStat {
  id: string;
  text: string;
  isKey: boolean;
  chosen: number;
  rate: number | null;
}

export interface ItemStat {
  id: string;
  /** The item as the bank holds it now; null for an item no longer in the bank. */
  prompt: string | null;
  type: string;
  section: string;
  sectionTitle: string;
  n: number;
  facility: number | null;
  discrimination: number | null;
  options: OptionStat[];
  flags: ItemFlag[];
}

export interface SectionStat {
  id: string;
  title: string;
  items: number;
  n: number;
  correct: number;
  /** Share answered wrong; null below MIN_RESPONSES (not ranked). */
  missed: number | null;
}

function itemStats(mod: ModuleContent, rows: ItemRow[], options: OptionRow[]): ItemStat[] {
  const bank = new Map((mod.quiz?.questions ?? []).map((q) => [q.id, q]));
  const heading = new Map(mod.headings.map((h) => [h.id, h.text]));
  const order = [...bank.keys()];
  return rows
    .map((r): ItemStat => {
      const q = bank.get(r.questionId);
      const chosen = new Map<string, number>();
      for (const o of options)
        if (o.questionId === r.questionId) chosen.set(o.optionId, (chosen.get(o.optionId) ?? 0) + o.n);
      const opts =
        q?.type === "truefalse"
          ? TRUE_FALSE_OPTIONS.map((o) => ({ ...o, isKey: (o.id === "benar") === q.answer }))
          : q
            ? q.options.map((o) => ({
                ...o,
                isKey: q.type === "single" ? q.answer === o.id : q.answer.includes(o.id),
              }))
            : [...chosen.keys()].sort().map((id) => ({ id, text: id, isKey: false }));
      const optionStats = opts.map((o) => {
        const c = chosen.get(o.id) ?? 0;
        return { ...o, chosen: c, rate: r.n ? c / r.n : null };
      });
      const section = q?.section ?? r.section;
      return {
        id: r.questionId,
        prompt: q?.prompt ?? null,
        type: q?.type ?? "lama",
        section,
        sectionTitle: heading.get(section) ?? section,
        n: r.n,
        facility: facility(r),
        discrimination: discrimination(r),
        options: optionStats,
        // An item no longer in the bank has no known key: no distractor flag.
        flags: itemFlags(r, q ? optionStats : []),
      };
    })
    .sort((a, b) => {
      const ia = order.indexOf(a.id);
      const ib = order.indexOf(b.id);
      return (ia < 0 ? 1e6 : ia) - (ib < 0 ? 1e6 : ib) || a.id.localeCompare(b.id);
    });
}

/** Per module section: responses and share answered wrong, most missed first. */
export function sectionStats(items: ItemStat[], mod: ModuleContent): SectionStat[] {
  const by = new Map<string, SectionStat>();
  const heading = new Map(mod.headings.map((h) => [h.id, h.text]));
  for (const it of items) {
    const s = by.get(it.section) ?? {
      id: it.section,
      title: heading.get(it.section) ?? it.section,
      items: 0,
      n: 0,
      correct: 0,
      missed: null,
    };
    s.items++;
    s.n += it.n;
    s.correct += Math.round((it.facility ?? 0) * it.n);
    by.set(it.section, s);
  }
  return [...by.values()]
    .map((s) => ({ ...s, missed: s.n >= MIN_RESPONSES ? 1 - s.correct / s.n : null }))
    .sort((a, b) => (b.missed ?? -1) - (a.missed ?? -1) || b.n - a.n);
}

export interface BankAnalysis {
  slug: string;
  title: string;
  draw: number;
  /** Attempts behind the figures (responses / items drawn per attempt). */
  attempts: number;
  items: ItemStat[];
  sections: SectionStat[];
}

export async function bankAnalysis(request: Request, q: ItemAnalysisQuery, slug: string): Promise<BankAnalysis> {
  const mod = getModule(slug);
  if (!mod?.quiz) throw notFound("Kuis tidak ditemukan.");
  const { items, options } = await onReplica(request, () => readSums(q, slug));
  const stats = itemStats(mod, items, options);
  const responses = stats.reduce((a, s) => a + s.n, 0);
  return {
    slug,
    title: mod.frontmatter.title,
    draw: mod.quiz.draw,
    attempts: Math.round(responses / mod.quiz.draw),
    items: stats,
    sections: sectionStats(stats, mod),
  };
}

// ---------------------------------------------------------------- every bank

export interface BankSummary {
  slug: string;
  title: string;
  attempts: number;
  facility: number | null;
  items: number;
  flagged: number;
  /** The most missed section (with enough responses), if any. */
  weakest: SectionStat | null;
}

export async function banksOverview(request: Request, q: ItemAnalysisQuery): Promise<BankSummary[]> {
  const { items, options } = await onReplica(request, () => readSums(q));
  const c = content();
  const order = c.defaultProgramme.requiredModules;
  const slugs = [...new Set([...order, ...c.modules.filter((m) => m.quiz).map((m) => m.slug)])];
  return slugs.flatMap((slug) => {
    const mod = c.bySlug.get(slug);
    if (!mod?.quiz) return [];
    const stats = itemStats(
      mod,
      items.filter((i) => i.slug === slug),
      options.filter((o) => o.slug === slug),
    );
    const n = stats.reduce((a, s) => a + s.n, 0);
    const correct = stats.reduce((a, s) => a + Math.round((s.facility ?? 0) * s.n), 0);
    const sections = sectionStats(stats, mod).filter((s) => s.missed !== null);
    return [
      {
        slug,
        title: mod.frontmatter.title,
        attempts: Math.round(n / mod.quiz.draw),
        facility: n ? correct / n : null,
        items: stats.length,
        flagged: stats.filter((s) => s.flags.length).length,
        weakest: sections[0] ?? null,
      },
    ];
  });
}

// ---------------------------------------------------------------- CSV

/** One line per option of every item (the item's figures repeated), with a header naming scope and period. */
export function bankAnalysisCsv(a: BankAnalysis, q: ItemAnalysisQuery): Response {
  // The dashboard CSV convention (csv-format.ts): ";" , decimal comma, MM/YYYY, BOM.
  const out = stringify(DASHBOARD_CSV);
  (async () => {
    const lines: (string | number)[][] = [
      ["Akademi Posyandu — analisis soal"],
      [`Kuis: ${a.title}`],
      [`Wilayah: ${q.lineage.at(-1)?.name ?? q.region.name} (${q.region.code})`],
      [
        `Periode: ${csvDate(q.from)} s.d. ${csvDate(q.to)} (bulan WITA) · percobaan: ${q.firstOnly ? "pertama saja" : "semua"}`,
      ],
      [`Jumlah percobaan: ${a.attempts}`],
      [],
      [
        "Soal",
        "Bagian modul",
        "Pertanyaan",
        "Jumlah jawaban",
        "Tingkat kemudahan (% benar)",
        "Daya beda",
        "Tanda",
        "Pilihan",
        "Teks pilihan",
        "Kunci",
        "Dipilih",
        "% dipilih",
      ],
    ];
    for (const l of lines) out.write(l);
    for (const it of a.items) {
      const flags = it.flags.map((f) => ITEM_FLAG_LABEL[f]).join(", ");
      for (const o of it.options) {
        const row = [
          it.id,
          it.sectionTitle,
          it.prompt ?? "(soal lama, tidak lagi di bank)",
          it.n,
          it.facility === null ? "" : Math.round(it.facility * 100),
          it.discrimination === null ? "" : Math.round(it.discrimination * 100) / 100,
          flags,
          o.id,
          o.text,
          o.isKey ? "ya" : "",
          o.chosen,
          o.rate === null ? "" : Math.round(o.rate * 100),
        ];
        if (!out.write(row)) await new Promise((r) => out.once("drain", r));
      }
    }
    out.end();
  })().catch((e) => out.destroy(e));
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="analisis-soal-${a.slug}-${q.region.code}-${q.from}-${q.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
