/**
 * "Kebutuhan pelatihan" (issue 20): for a kecamatan or desa, the module sections its active
 * kader miss most, from graded quiz items (quiz_item_answers, stamped with the taker's desa)
 * and pre/post test items of sessions (workshop_test_answers, the participant's desa), over
 * a period of months (WITA); and, in one step, a draft pelatihan for the ticked sections
 * with the kader who missed them enrolled (or, for those who may not schedule, a WhatsApp
 * reminder list). The figures are summed live: an area this small has few rows.
 */
import { regionPeriod } from "~/features/reporting/region-period.server";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth.server";
import { requireRole } from "~/auth.server";
import { onReplica, sqlRows } from "~/db.server";
import type { Role } from "~/db/schema";
import { withinScope } from "~/db/scope";
import { env } from "~/env.server";
import { FORM_KEY_RE } from "~/form-key.server";
import { getModule, kaderProgrammes } from "~/features/catalogue/content.server";
import type { RegionRecord } from "~/features/regions/regions.server";
import {
  defaultSchedule,
  modulesOf,
  type NeedRow,
  type NeedSums,
  needsReminder,
  parseSectionKey,
  rankNeeds,
  trainingDescription,
  trainingTitle,
} from "~/features/reporting/training-needs";
import { enrolUsers } from "~/features/workshops/enrolment.server";
import { MAX_CAPACITY, whatsappChatUrl, workshopFormSchema } from "~/features/workshops/rules";
import { createWorkshop } from "~/features/workshops/sessions.server";
import { can, rolesFor } from "~/lib/permissions";
import { formatPhone } from "~/lib/phone";
import { REPORTING_ZONE, toLocalInput, zoneForRegion } from "~/lib/timezone";
import { publicOrigin } from "~/lib/url";

export const TRAINING_NEEDS_ROLES: readonly Role[] = rolesFor("training-needs");

export interface TrainingNeedsQuery {
  region: RegionRecord;
  /** A kecamatan or desa: figures are shown. Above it (kabupaten, provinsi): pick an area first. */
  isArea: boolean;
  lineage: { code: string; name: string }[];
  /** The regions one level down (kecamatan to pick, or desa of a kecamatan). */
  children: { code: string; name: string }[];
  from: string;
  to: string;
  search: string;
}

/** Who may look, which area (in the user's scope) and which months; anything malformed falls back. */
export async function requireTrainingNeeds(
  request: Request,
  now = new Date(),
): Promise<{ user: SessionUser; q: TrainingNeedsQuery }> {
  const user = await requireRole(request, TRAINING_NEEDS_ROLES);
  const p = new URL(request.url).searchParams;
  const { region, lineage, children, from, to } = await regionPeriod(
    user,
    { wilayah: p.get("wilayah") ?? undefined, dari: p.get("dari") ?? undefined, sampai: p.get("sampai") ?? undefined },
    now,
  );
  const search = new URLSearchParams({ wilayah: region.code, dari: from, sampai: to }).toString();
  const isArea = region.level === "kecamatan" || region.level === "desa";
  return { user, q: { region, isArea, lineage, children, from, to, search } };
}

// ---------------------------------------------------------------- the figures

/** The modules of the kader programmes: the only ones counted. */
function kaderSlugs(): string[] {
  return [...new Set(kaderProgrammes().flatMap((p) => p.requiredModules))];
}

function list(values: string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/**
 * One row per answered item of an active kader of the area in the period: quiz items (the
 * desa stamped when graded) and session pre/post test items (her desa now; the session's
 * month). `current`: quiz items too only of kader who still live in the area (invitations).
 */
function answersOfArea(q: TrainingNeedsQuery, slugs: string[], current = false): SQL {
  const area = q.region.code;
  const from = `${q.from}-01`;
  const to = `${q.to}-01`;
  return sql`
    select qa.user_id, a.slug, a.section, a.ok
    from quiz_item_answers a
    join quiz_attempts qa on qa.id = a.attempt_id
    join users u on u.id = qa.user_id
    where ${withinScope(sql`a.region_code`, area)} and a.month >= ${from}::date and a.month <= ${to}::date
      and a.slug in (${list(slugs)}) and a.section <> '' and u.role = 'kader' and u.active
      ${current ? sql`and ${withinScope(sql`u.scope_code`, area)}` : sql``}
    union all
    select t.user_id, t.slug, t.section, t.ok
    from workshop_test_answers t
    join users u on u.id = t.user_id
    join workshops w on w.id = t.workshop_id
    where ${withinScope(sql`u.scope_code`, area)} and u.role = 'kader' and u.active
      and t.slug in (${list(slugs)}) and t.section <> ''
      and date_trunc('month', w.starts_at at time zone ${REPORTING_ZONE.iana})::date between ${from}::date and ${to}::date`;
}

function titles(slug: string, section: string): { moduleTitle: string; sectionTitle: string } {
  const mod = getModule(slug);
  return {
    moduleTitle: mod?.frontmatter.title ?? slug,
    sectionTitle: mod?.headings.find((h) => h.id === section)?.text ?? section,
  };
}

/** Per module section: answers, wrong answers, miss rate (hidden below MIN_RESPONSES), kader who missed. */
export async function trainingNeeds(request: Request, q: TrainingNeedsQuery): Promise<NeedRow[]> {
  if (!q.isArea) return [];
  const slugs = kaderSlugs();
  if (!slugs.length) return [];
  const sums = await onReplica(request, () =>
    sqlRows<{ slug: string; section: string; n: number; missed: number; kader_missed: number }>(sql`
      with src as (${answersOfArea(q, slugs)})
      select slug, section, count(*)::int as n, count(*) filter (where ok = 0)::int as missed,
             count(distinct user_id) filter (where ok = 0)::int as kader_missed
      from src group by slug, section`),
  );
  const rows: NeedSums[] = sums.map((r) => ({
    slug: r.slug,
    section: r.section,
    n: Number(r.n),
    missed: Number(r.missed),
    kaderMissed: Number(r.kader_missed),
  }));
  return rankNeeds(rows, titles);
}

export interface Invitee {
  id: string;
  name: string;
  phone: string;
}

/** The active kader living in the area who answered an item of these sections wrong in the period. */
export async function kaderWhoMissed(
  q: TrainingNeedsQuery,
  sections: { slug: string; section: string }[],
): Promise<Invitee[]> {
  if (!sections.length || !q.isArea) return [];
  const pairs = sql.join(
    sections.map((s) => sql`(${s.slug}, ${s.section})`),
    sql`, `,
  );
  return sqlRows<Invitee>(sql`
    with src as (${answersOfArea(q, kaderSlugs(), true)})
    select u.id, u.name, u.phone from users u
    where u.id in (select user_id from src where ok = 0 and (slug, section) in (${pairs}))
    order by u.name, u.id`);
}

// ---------------------------------------------------------------- the one-step session

const MAX_SECTIONS = 50;

export const needsFormSchema = z.object({
  sections: z
    .array(z.string())
    .min(1, "Pilih minimal satu bagian modul.")
    .max(MAX_SECTIONS, `Pilih paling banyak ${MAX_SECTIONS} bagian modul.`)
    .transform((keys, ctx) => {
      const slugs = new Set(kaderSlugs());
      const out: { slug: string; section: string }[] = [];
      for (const key of new Set(keys)) {
        const k = parseSectionKey(key);
        if (!k || !slugs.has(k.slug) || !getModule(k.slug)?.headings.some((h) => h.id === k.section)) {
          ctx.addIssue({ code: "custom", message: "Bagian modul tidak dikenal. Muat ulang halaman lalu coba lagi." });
          return z.NEVER;
        }
        out.push(k);
      }
      return out;
    }),
  formKey: z.string({ error: "Formulir tidak valid. Muat ulang halaman lalu coba lagi." }).regex(FORM_KEY_RE, {
    error: "Formulir tidak valid. Muat ulang halaman lalu coba lagi.",
  }),
});

export type NeedsAction =
  | { kind: "created"; id: number }
  | { kind: "whatsapp"; modules: string[]; people: (Invitee & { phoneText: string; wa: string })[] }
  | { kind: "invalid"; errors: Record<string, string> };

/**
 * "Buat draf sesi": a draft pelatihan for the area with the modules of the ticked sections,
 * and the kader who missed them enrolled. The form key makes a repeated submit answer the
 * same session (createWorkshop), and enrolling again changes nothing (enrolUsers). Who may
 * not schedule gets the same people as a WhatsApp reminder list.
 */
export async function sessionFromNeeds(
  user: SessionUser,
  q: TrainingNeedsQuery,
  form: FormData,
  now = new Date(),
): Promise<NeedsAction> {
  if (!q.isArea) return { kind: "invalid", errors: { wilayah: "Pilih kecamatan atau desa terlebih dahulu." } };
  const parsed = needsFormSchema.safeParse({
    sections: form.getAll("sections").map(String),
    formKey: form.get("formKey"),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
    return { kind: "invalid", errors };
  }
  const sections = parsed.data.sections;
  const slugs = modulesOf(sections);
  const moduleTitles = slugs.map((s) => titles(s, "").moduleTitle);
  const people = await kaderWhoMissed(q, sections);

  if (!can(user.role, "session-schedule")) {
    const url = `${publicOrigin(env().APP_URL)}/modul`;
    return {
      kind: "whatsapp",
      modules: moduleTitles,
      people: people.map((p) => ({
        ...p,
        phoneText: formatPhone(p.phone),
        wa: whatsappChatUrl(p.phone, needsReminder(p.name, moduleTitles, url)),
      })),
    };
  }

  const zone = zoneForRegion(q.region.code);
  const when = defaultSchedule(toLocalInput(now, zone).slice(0, 10));
  const workshopForm = workshopFormSchema.safeParse({
    title: trainingTitle(moduleTitles),
    kind: "pelatihan",
    audience: "kader",
    regionCode: q.region.code,
    venue: "Belum ditentukan",
    description: trainingDescription(sections.map((s) => titles(s.slug, s.section))),
    startsAt: when.startsAt,
    endsAt: when.endsAt,
    capacity: Math.min(MAX_CAPACITY, Math.max(1, people.length)),
    moduleSlugs: slugs,
  });
  if (!workshopForm.success) return { kind: "invalid", errors: { form: workshopForm.error.issues[0].message } };
  const created = await createWorkshop(user, workshopForm.data, parsed.data.formKey);
  if (!created.ok) return { kind: "invalid", errors: created.errors };
  if (people.length)
    await enrolUsers(
      user,
      created.id,
      people.map((p) => p.id),
    );
  return { kind: "created", id: created.id };
}
