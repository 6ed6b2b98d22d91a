import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { content } from "~/features/catalogue/content.server";
import { presentStatuses } from "~/features/catalogue/present";
import { env } from "~/env.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { isWithinScope } from "~/lib/region";
import { formatRange, zoneForRegion } from "~/lib/timezone";
import { publicOrigin } from "~/lib/url";
import {
  AUDIENCE_LABEL,
  canEnrolInto,
  canSchedule,
  canSelfCancel,
  audienceOf,
  canTakeAttendance,
  ENROLMENT_LABEL,
  KIND_LABEL,
  selfEnrolProblem,
  STATUS_LABEL,
  whatsappShareUrl,
} from "~/features/workshops/rules";
import { regionLineage } from "~/features/regions/regions.server";
import { placeName } from "~/features/regions/place-name";
import { transitionWorkshop, workshopIdParam } from "~/features/workshops/sessions.server";
import { getVisibleWorkshop } from "~/features/workshops/access.server";
import { checkinOpen } from "~/features/workshops/check-in";
import { cancelEnrolment, participants, selfEnrol } from "~/features/workshops/enrolment.server";
import { readFormObject } from "~/lib/http";
import {
  createSessionTest,
  getSessionTest,
  participantTest,
  sessionTestSummary,
} from "~/features/learning/session-test.server";
import { fmt1, fmt2 } from "~/features/learning/session-test";
import { evaluationSummary } from "~/features/workshops/evaluation.server";
import { listSpeakers } from "~/features/workshops/speakers.server";
import { PRESENT } from "~/features/workshops/measure-access.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await getVisibleWorkshop(user, workshopIdParam(params));
  const zone = zoneForRegion(w.regionCode);
  const lineage = await regionLineage(w.regionCode);
  const list = await participants(w.id);
  const mine = list.find((p) => p.userId === user.id);
  const when = formatRange(w.startsAt, w.endsAt, zone);
  const url = `${publicOrigin(env().APP_URL)}/sesi/${w.id}`;
  const modules = content().bySlug;
  const present = presentStatuses(content(), w.kind);
  const now = new Date();
  const canRoster = canTakeAttendance(user, w);
  // Pre/post test and evaluation (issue 20): the summaries for staff, the links for a participant.
  const test = canRoster ? await getSessionTest(w.id) : null;
  const measured = canRoster
    ? {
        hasTest: !!test,
        items: test?.questions.length ?? 0,
        summary: test ? await sessionTestSummary(w.id) : null,
        evaluation: await evaluationSummary(w.id),
      }
    : null;
  const attended = !!mine?.attendance && (PRESENT as readonly string[]).includes(mine.attendance);
  const participant = !canRoster && (mine?.enrolment === "enrolled" || attended);
  const taking = participant && w.status !== "cancelled" ? await participantTest(user, w.id) : null;
  return {
    id: w.id,
    title: w.title,
    kind: KIND_LABEL[w.kind],
    audience: AUDIENCE_LABEL[w.audience],
    status: w.status,
    statusLabel: STATUS_LABEL[w.status],
    cancelledReason: w.cancelledReason,
    when,
    venue: w.venue,
    description: w.description,
    // Names, never the code: "Kecamatan Muara Ancalong, Kabupaten Kutai Timur".
    region: lineage.length ? placeName(lineage) : w.regionCode,
    capacity: w.capacity,
    graceMinutes: w.graceMinutes,
    enrolled: list.filter((p) => p.enrolment === "enrolled").length,
    waitlisted: list.filter((p) => p.enrolment === "waitlisted").length,
    present: list.filter((p) => p.attendance && present.has(p.attendance)).length,
    modules: w.moduleSlugs.map((s) => ({ slug: s, title: modules.get(s)?.frontmatter.title ?? s })),
    mine: mine
      ? { enrolment: mine.enrolment ? ENROLMENT_LABEL[mine.enrolment] : null, attendance: mine.attendance }
      : null,
    canSchedule: canSchedule(user, w),
    canRoster,
    speakers: await listSpeakers(w.id),
    measured,
    testLink: taking?.test?.questions.length && taking.phase ? taking.phase : null,
    canEvaluate: attended && !canRoster && w.status !== "cancelled",
    canEnrol: canEnrolInto(user, w),
    canSelfEnrol: selfEnrolProblem(user, w, mine?.enrolment ?? null, now) === null,
    canSelfCancel: canSelfCancel(mine, w, now),
    // Only an announced session is shared: a draft may still change or never happen.
    whatsapp: w.status === "published" ? whatsappShareUrl({ title: w.title, when, venue: w.venue, url }) : null,
    // Participants find the check-in while the session runs (the QR screen, or the code at /hadir).
    checkinOpen:
      w.status === "published" &&
      checkinOpen(w.startsAt, w.endsAt, now) &&
      audienceOf(user.role) === w.audience &&
      isWithinScope(user.scopeCode, w.regionCode) &&
      !mine?.attendance,
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("umumkan") }),
  z.object({ intent: z.literal("selesai") }),
  z.object({ intent: z.literal("batalkan"), reason: z.string().trim().max(500, "Alasan terlalu panjang.") }),
  z.object({ intent: z.literal("daftar") }),
  z.object({ intent: z.literal("batal-daftar") }),
  z.object({ intent: z.literal("buat-tes") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  const parsed = intentSchema.safeParse(await readFormObject(request));
  if (!parsed.success) return data({ message: "Permintaan tidak dikenal." }, { status: 400 });
  const form = parsed.data;
  switch (form.intent) {
    case "umumkan":
    case "selesai":
    case "batalkan": {
      const to = form.intent === "umumkan" ? "published" : form.intent === "selesai" ? "completed" : "cancelled";
      const r = await transitionWorkshop(user, id, to, form.intent === "batalkan" ? form.reason : undefined);
      if (!r.ok) return data({ message: r.message }, { status: 400 });
      throw redirect(`/sesi/${id}?status=${to}`);
    }
    case "daftar": {
      const r = await selfEnrol(user, id);
      if (!r.ok) return data({ message: r.message }, { status: 400 });
      throw redirect(`/sesi/${id}?daftar=${r.status}`);
    }
    case "buat-tes": {
      const r = await createSessionTest(user, id);
      if (!r.ok) return data({ message: r.message }, { status: 400 });
      throw redirect(`/sesi/${id}?tes=dibuat#tes`);
    }
    case "batal-daftar": {
      const r = await cancelEnrolment(user, id, user.id);
      if (!r.ok) return data({ message: r.message }, { status: 400 });
      throw redirect(`/sesi/${id}?daftar=batal`);
    }
  }
}

const NOTICE: Record<string, string> = {
  "dibuat=1": "Kegiatan disimpan sebagai draf.",
  "status=published": "Kegiatan diumumkan: peserta dapat mendaftar.",
  "status=completed": "Kegiatan ditandai selesai.",
  "status=cancelled": "Kegiatan dibatalkan.",
  "daftar=enrolled": "Anda terdaftar sebagai peserta.",
  "daftar=waitlisted": "Kuota penuh: Anda masuk daftar tunggu dan akan naik otomatis bila ada yang batal.",
  "daftar=batal": "Pendaftaran Anda dibatalkan.",
  "tes=dibuat": "Soal pre-test dan post-test sudah dibuat.",
  "evaluasi=1": "Terima kasih, evaluasi Anda tersimpan.",
};

export default function SesiDetail() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  const notice = Object.entries(NOTICE).find(([k]) => search.toString().includes(k))?.[1];
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to="/sesi">‹ Kegiatan</Link>
      </p>
      <div>
        <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
          {d.kind} · untuk {d.audience} · {d.statusLabel}
        </p>
        <h1 className="mt-1">{d.title}</h1>
      </div>
      {notice ? <p className="alert-ok">{notice}</p> : null}
      <FormError message={a?.message} />
      {d.status === "cancelled" ? <p className="alert-error">Dibatalkan: {d.cancelledReason}</p> : null}
      <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-500">Waktu</dt>
        <dd>{d.when}</dd>
        <dt className="text-stone-500">Tempat</dt>
        <dd>{d.venue}</dd>
        <dt className="text-stone-500">Wilayah</dt>
        <dd>{d.region}</dd>
        <dt className="text-stone-500">Peserta</dt>
        <dd>
          {d.enrolled} dari {d.capacity}
          {d.waitlisted ? ` · ${d.waitlisted} daftar tunggu` : ""} · {d.present} hadir
        </dd>
        {d.modules.length ? (
          <>
            <dt className="text-stone-500">Modul</dt>
            <dd>{d.modules.map((m) => m.title).join(", ")}</dd>
          </>
        ) : null}
      </dl>
      {d.description ? <p className="whitespace-pre-line text-sm">{d.description}</p> : null}
      {d.speakers.length ? (
        <div className="card text-sm">
          <h2 className="text-base">Narasumber</h2>
          <ul className="mt-1 space-y-1">
            {d.speakers.map((s) => (
              <li key={s.id}>
                <strong>{s.name}</strong>, {s.organisation}: {s.topic}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {d.mine ? (
        <p className="alert-ok">
          Status Anda: {d.mine.enrolment ?? "—"}
          {d.mine.attendance ? ` · kehadiran: ${d.mine.attendance}` : ""}
        </p>
      ) : null}
      {d.checkinOpen ? (
        <p className="card flex flex-wrap items-center justify-between gap-2 text-sm">
          <span>Kegiatan sedang berlangsung. Pindai kode QR di layar, atau ketik kodenya.</span>
          <Link to="/hadir" className="btn">
            Absen hadir
          </Link>
        </p>
      ) : null}
      {d.testLink || d.canEvaluate ? (
        <div className="flex flex-wrap gap-2">
          {d.testLink ? (
            <Link to={`/sesi/${d.id}/tes`} className="btn">
              {d.testLink === "pre" ? "Kerjakan pre-test" : "Kerjakan post-test"}
            </Link>
          ) : null}
          {d.canEvaluate ? (
            <Link to={`/sesi/${d.id}/evaluasi`} className="btn-secondary">
              Isi evaluasi
            </Link>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {d.canSelfEnrol ? (
          <Form method="post">
            <input type="hidden" name="intent" value="daftar" />
            <button type="submit" className="btn">
              Daftar
            </button>
          </Form>
        ) : null}
        {d.canSelfCancel ? (
          <Form method="post">
            <input type="hidden" name="intent" value="batal-daftar" />
            <button type="submit" className="btn-secondary">
              Batalkan pendaftaran saya
            </button>
          </Form>
        ) : null}
        <a href={`/sesi/${d.id}.ics`} className="btn-secondary">
          Simpan ke kalender
        </a>
        {d.whatsapp ? (
          <a href={d.whatsapp} className="btn-secondary" rel="noopener">
            Bagikan ke WhatsApp
          </a>
        ) : null}
      </div>
      {d.canRoster || d.canEnrol ? (
        <nav className="card grid grid-cols-2 gap-2 text-sm" aria-label="Kelola kegiatan">
          {d.canEnrol ? <Link to={`/sesi/${d.id}/peserta`}>Peserta</Link> : null}
          {d.canRoster ? <Link to={`/sesi/${d.id}/absensi`}>Absensi</Link> : null}
          {d.canRoster && d.status === "published" ? <Link to={`/sesi/${d.id}/qr`}>Layar QR absen</Link> : null}
          {d.status === "published" ? <Link to={`/sesi/${d.id}/pengingat`}>Kirim pengingat (WhatsApp)</Link> : null}
          {d.canRoster ? <a href={`/sesi/${d.id}/daftar-hadir.pdf`}>Daftar hadir (PDF)</a> : null}
          {d.canRoster ? <a href={`/sesi/${d.id}/absensi.csv`}>Unduh absensi (CSV)</a> : null}
          {d.canRoster ? <a href={`/sesi/${d.id}/absensi.xlsx`}>Unduh absensi (XLSX)</a> : null}
          {d.canSchedule && (d.status === "draft" || d.status === "published") ? (
            <Link to={`/sesi/${d.id}/ubah`}>Ubah jadwal</Link>
          ) : null}
          {d.canSchedule ? <Link to={`/sesi/${d.id}/narasumber`}>Narasumber</Link> : null}
        </nav>
      ) : null}
      {d.measured ? <MeasuredSections id={d.id} m={d.measured} /> : null}
      {d.canSchedule ? (
        <div className="card space-y-3">
          {d.status === "draft" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="umumkan" />
              <button type="submit" className="btn w-full">
                Umumkan kegiatan
              </button>
            </Form>
          ) : null}
          {d.status === "published" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="selesai" />
              <button type="submit" className="btn-secondary w-full">
                Tandai selesai
              </button>
            </Form>
          ) : null}
          {d.status === "draft" || d.status === "published" ? (
            <details>
              <summary className="cursor-pointer text-sm text-red-800">Batalkan kegiatan…</summary>
              <Form method="post" className="mt-2 space-y-2">
                <input type="hidden" name="intent" value="batalkan" />
                <label htmlFor="reason">Alasan pembatalan</label>
                <input id="reason" name="reason" required minLength={5} />
                <button type="submit" className="btn-secondary">
                  Batalkan kegiatan
                </button>
              </Form>
            </details>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

type Measured = NonNullable<Awaited<ReturnType<typeof loader>>["measured"]>;

/** For staff: the pre/post test (create, print, type in, summary) and the evaluation summary. */
function MeasuredSections({ id, m }: { id: number; m: Measured }) {
  const s = m.summary;
  const e = m.evaluation;
  return (
    <>
      <section id="tes" className="card space-y-2 text-sm" aria-labelledby="tes-h">
        <h2 id="tes-h" className="text-base">
          Pre-test dan post-test
        </h2>
        {!m.hasTest ? (
          <Form method="post">
            <input type="hidden" name="intent" value="buat-tes" />
            <p className="mb-2">
              Soal diambil sekali dari bank soal modul kegiatan, sama untuk pre-test dan post-test.
            </p>
            <button type="submit" className="btn-secondary">
              Buat soal tes
            </button>
          </Form>
        ) : (
          <>
            <p>
              {m.items} soal · <a href={`/sesi/${id}/tes/cetak`}>Cetak lembar tes</a> ·{" "}
              <Link to={`/sesi/${id}/tes/isi`}>Isi hasil tes kertas</Link>
            </p>
            {s ? (
              <p>
                Hasil masuk: {s.preCount} pre-test, {s.postCount} post-test; {s.pairs} peserta dengan keduanya.
              </p>
            ) : null}
            {!s || s.pairs < 1 ? (
              <p data-testid="gain">Belum cukup data: belum ada peserta dengan pre-test dan post-test.</p>
            ) : (
              <>
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="gain">
                  <dt className="text-stone-500">Rata-rata pre-test</dt>
                  <dd>{fmt1(s.avgPre)}</dd>
                  <dt className="text-stone-500">Rata-rata post-test</dt>
                  <dd>{fmt1(s.avgPost)}</dd>
                  <dt className="text-stone-500">Rata-rata kenaikan</dt>
                  <dd>{fmt1(s.avgGain)} poin</dd>
                  <dt className="text-stone-500">Gain ternormalisasi (g)</dt>
                  <dd>{fmt2(s.normalisedGain)}</dd>
                </dl>
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-xs">
                    <caption className="sr-only">Persentase jawaban benar per bagian modul</caption>
                    <thead>
                      <tr>
                        <th scope="col">Bagian modul</th>
                        <th scope="col" className="px-2 text-right">
                          n
                        </th>
                        <th scope="col" className="px-2 text-right">
                          Benar pre
                        </th>
                        <th scope="col" className="px-2 text-right">
                          Benar post
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.sections.map((r) => (
                        <tr key={`${r.moduleTitle}-${r.sectionTitle}`} className="border-t border-stone-200 align-top">
                          <td className="py-1">
                            {r.sectionTitle}
                            <span className="block text-stone-500">{r.moduleTitle}</span>
                          </td>
                          <td className="px-2 text-right">{r.pairs}</td>
                          <td className="px-2 text-right">{fmt1(r.preRight)}%</td>
                          <td className="px-2 text-right">{fmt1(r.postRight)}%</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </>
        )}
      </section>
      <section id="evaluasi" className="card space-y-2 text-sm" aria-labelledby="evaluasi-h">
        <h2 id="evaluasi-h" className="text-base">
          Evaluasi peserta
        </h2>
        {e.n < 1 ? (
          <p>Belum ada evaluasi.</p>
        ) : (
          <>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="evaluasi">
              <dt className="text-stone-500">Jumlah pengisi</dt>
              <dd>{e.n}</dd>
              <dt className="text-stone-500">Kesesuaian materi</dt>
              <dd>{fmt1(e.relevance)} dari 5</dd>
              <dt className="text-stone-500">Kejelasan</dt>
              <dd>{fmt1(e.clarity)} dari 5</dd>
              <dt className="text-stone-500">Narasumber</dt>
              <dd>{fmt1(e.speaker)} dari 5</dd>
            </dl>
            {e.comments.length ? (
              <>
                <h3 className="text-sm font-semibold">Saran peserta (tanpa nama)</h3>
                <ul className="list-disc space-y-1 pl-5">
                  {e.comments.map((c, i) => (
                    <li key={i} className="whitespace-pre-line">
                      {c}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
