import { useNonce } from "~/components/nonce";
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import type { ProgrammeStanding } from "~/features/certification/evaluate.server";
import { standingWithCatchUp } from "~/features/certification/standing.server";
import { stateOf, STATE_LABEL } from "~/features/certification/certificates.server";
import { can } from "~/lib/permissions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getModule } from "~/features/catalogue/content.server";
import { attendanceLabel, missingLabel, PRACTICE_RESULT_LABEL } from "~/features/certification/rule";
import { tanggalWita } from "~/lib/timezone";
import { quizStatus, requireQuizModule } from "~/features/learning/quiz.server";
import { recertificationText, ruleSentence } from "~/features/certification/rule-text";
import { lockoutMessage, pembinaContacts } from "~/features/coaching/kader-progress.server";
import { PembinaContacts } from "~/features/coaching/pembina-contacts";
import { env } from "~/env.server";
import { forbidden } from "~/lib/http";
import { publicOrigin } from "~/lib/url";

export const meta: MetaFunction = () => [{ title: "Sertifikat saya · Akademi Posyandu" }];

/** A certificate issued this recently is announced on /sertifikat ("Selamat, sertifikat Anda terbit"). */
const FRESH_MS = 7 * 86_400_000;

function view(s: ProgrammeStanding, now: Date, origin: string, locked: Set<string>) {
  const latest = s.certificates[s.certificates.length - 1] ?? null;
  const state = s.valid ? "berlaku" : latest ? stateOf(latest, now) : "belum";
  const cert = (c: NonNullable<typeof latest>) => ({
    code: c.code,
    cycle: c.cycle,
    issued: tanggalWita(c.issuedAt),
    expires: tanggalWita(c.expiresAt),
    state: stateOf(c, now),
    stateLabel: STATE_LABEL[stateOf(c, now)],
    revokedReason: c.revokedReason,
    /** The same link as the QR code: the signature lets anyone check it is genuine. */
    verifyHref: `/verifikasi/${c.code}?s=${c.signature}`,
    verifyUrl: `${origin}/verifikasi/${c.code}?s=${c.signature}`,
    fresh: !c.revokedAt && now.getTime() - c.issuedAt.getTime() < FRESH_MS,
  });
  return {
    id: s.programme.id,
    title: s.programme.title,
    /** How a certificate is earned, and earned again (rule-text.ts, from the programme). */
    rule: ruleSentence(s.programme),
    recertification: recertificationText(s.programme),
    state,
    current: latest ? cert(latest) : null,
    progress: s.valid
      ? null
      : {
          summary: s.rule.summary,
          modulesDone: s.rule.modulesDone,
          modulesRequired: s.rule.modulesRequired,
          attendance: { ...s.rule.attendance, label: attendanceLabel(s.rule.attendance) },
          practice: {
            required: s.rule.practice.required,
            done: s.rule.practice.done,
            tasks: s.rule.practice.tasks.map((t) => ({
              ...t,
              resultLabel: t.result ? PRACTICE_RESULT_LABEL[t.result] : "belum diamati",
            })),
          },
          missing: s.rule.missing.map((m) => ({
            slug: m.slug,
            title: getModule(m.slug)?.frontmatter.title ?? m.slug,
            label: locked.has(m.slug)
              ? `${missingLabel(m)}; kesempatan kuis habis: Tim Pembina desa atau kecamatan Anda dapat membuka kesempatan baru`
              : missingLabel(m),
            href: m.completed ? `/modul/${m.slug}/kuis` : `/modul/${m.slug}`,
          })),
        },
    history: s.certificates
      .slice(0, -1)
      .reverse()
      .map((c) => cert(c)),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.role, "certificate-own")) {
    if (can(user.role, "certificates-view")) throw redirect("/admin/sertifikat");
    throw forbidden(
      "Halaman ini untuk kader dan Tim Pembina. Sertifikat di wilayah Anda dapat diunduh dari tautan yang diberikan kader atau DPMD.",
    );
  }
  const now = new Date();
  // A missed issuance (e.g. a failure earlier) is caught up here (standing.server.ts).
  const standings = await standingWithCatchUp(user.id, now);
  // Quizzes whose attempts are all used: say who can open another round.
  const locked = new Set<string>();
  for (const slug of new Set(
    standings.flatMap((s) =>
      s.valid ? [] : s.rule.missing.filter((m) => !m.quizPassed && m.bestScore !== null).map((m) => m.slug),
    ),
  )) {
    if ((await quizStatus(user.id, requireQuizModule(slug), now)).lockedOut) locked.add(slug);
  }
  const origin = publicOrigin(env().APP_URL);
  const lockedTitles = [...locked].map((slug) => getModule(slug)?.frontmatter.title ?? slug);
  return {
    programmes: standings.map((s) => view(s, now, origin, locked)),
    // A quiz with every attempt used: who opens another round, and how to reach her.
    contacts: locked.size ? await pembinaContacts(user, lockoutMessage(lockedTitles.join('", "'))) : null,
  };
}

const BOX: Record<string, string> = {
  berlaku: "border-emerald-300 bg-emerald-50 text-emerald-900",
  kedaluwarsa: "border-amber-300 bg-amber-50 text-amber-900",
  dicabut: "border-red-300 bg-red-50 text-red-900",
  belum: "border-stone-300 bg-white text-stone-900",
};

export default function SertifikatSaya() {
  const nonce = useNonce();
  const d = useLoaderData<typeof loader>();
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1>Sertifikat saya</h1>
      {d.programmes.map((p) => (
        <article key={p.id} className="space-y-3" aria-labelledby={`prog-${p.id}`}>
          <h2 id={`prog-${p.id}`}>{p.title}</h2>
          <div className={`rounded-lg border-2 p-4 ${BOX[p.state]}`} role="status">
            {p.state === "berlaku" && p.current ? (
              <>
                <p className="text-lg font-bold">
                  {p.current.fresh ? "Selamat, sertifikat Anda terbit" : "✓ Sertifikat berlaku"}
                </p>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt>Kode</dt>
                  <dd className="font-mono font-semibold">{p.current.code}</dd>
                  <dt>Diterbitkan</dt>
                  <dd>{p.current.issued}</dd>
                  <dt>Berlaku sampai</dt>
                  <dd>{p.current.expires}</dd>
                </dl>
                <div className="mt-3 flex flex-col gap-2">
                  <a href={`/sertifikat/${p.current.code}.pdf`} className="btn w-full" download>
                    Unduh sertifikat (PDF)
                  </a>
                  <a href={`/sertifikat/${p.current.code}.jwt`} className="btn-secondary w-full" download>
                    Unduh kredensial digital (Open Badges)
                  </a>
                  <Link to={p.current.verifyHref} className="btn-secondary w-full">
                    Lihat halaman verifikasi
                  </Link>
                  <a
                    href={`https://wa.me/?text=${encodeURIComponent(`Sertifikat ${p.title} saya (${p.current.code}) dapat diperiksa di ${p.current.verifyUrl}`)}`}
                    className="btn-secondary w-full"
                    rel="noopener"
                  >
                    Bagikan lewat WhatsApp
                  </a>
                  <label htmlFor={`tautan-${p.id}`} className="text-sm">
                    Salin tautan
                  </label>
                  <div className="flex gap-2">
                    <input
                      id={`tautan-${p.id}`}
                      readOnly
                      value={p.current.verifyUrl}
                      className="font-mono text-xs"
                      data-copy
                    />
                    <button type="button" className="btn-secondary" data-copy-button={`tautan-${p.id}`} hidden>
                      Salin
                    </button>
                  </div>
                </div>
                <p className="mt-2 text-xs">
                  Tautan halaman verifikasi sama dengan kode QR di sertifikat: bagikan tautan itu bila ada yang ingin
                  memeriksa keaslian sertifikat Anda.
                </p>
              </>
            ) : null}
            {p.state === "kedaluwarsa" && p.current ? (
              <>
                <p className="text-lg font-bold">Sertifikat kedaluwarsa</p>
                <p className="mt-1 text-sm">
                  Sertifikat {p.current.code} berlaku sampai {p.current.expires}. {p.recertification}
                </p>
              </>
            ) : null}
            {p.state === "dicabut" && p.current ? (
              <>
                <p className="text-lg font-bold">Sertifikat dicabut</p>
                <p className="mt-1 text-sm">Sertifikat {p.current.code} sudah dicabut dan tidak berlaku lagi.</p>
                {p.current.revokedReason ? <p className="mt-1 text-sm">Alasan: {p.current.revokedReason}</p> : null}
                <p className="mt-1 text-sm">{p.recertification} Bila ada pertanyaan, hubungi DPMD.</p>
              </>
            ) : null}
            {p.state === "belum" ? (
              <>
                <p className="text-lg font-bold">Belum bersertifikat</p>
                <p className="mt-1 text-sm">{p.rule}</p>
              </>
            ) : null}
          </div>

          {p.progress ? (
            <div className="card space-y-2">
              <h3 className="font-semibold">Kemajuan</h3>
              <p className="text-sm" data-testid="ringkasan">
                {p.progress.summary}
              </p>
              <div className="h-2 w-full overflow-hidden rounded bg-stone-200" aria-hidden="true">
                <div
                  className="h-2 bg-emerald-600"
                  style={{
                    width: `${Math.round((100 * p.progress.modulesDone) / Math.max(1, p.progress.modulesRequired))}%`,
                  }}
                />
              </div>
              <ul className="space-y-1 text-sm">
                <li>
                  {p.progress.attendance.ok ? "✓" : "○"} Kehadiran {p.progress.attendance.kind}:{" "}
                  {p.progress.attendance.label}
                  {!p.progress.attendance.ok
                    ? ` (ikuti sesi ${p.progress.attendance.kind} yang dijadwalkan Tim Pembina)`
                    : ""}
                </li>
              </ul>
              {p.progress.practice.tasks.length ? (
                <div data-testid="praktik">
                  <p className="pt-1 text-sm font-semibold">
                    Praktik lapangan: {Math.min(p.progress.practice.done, p.progress.practice.required)} dari{" "}
                    {p.progress.practice.required} tugas kompeten
                  </p>
                  <p className="text-xs text-stone-600">
                    Tim Pembina desa atau kecamatan mengamati Anda mengerjakan tugas ini di Posyandu atau di lingkungan.
                  </p>
                  <ul className="text-sm">
                    {p.progress.practice.tasks.map((t) => (
                      <li key={t.taskId}>
                        {t.result === "kompeten" ? "✓" : "○"} {t.title}: {t.resultLabel}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {p.progress.missing.length ? (
                <>
                  <p className="pt-1 text-sm font-semibold">Modul yang belum lulus:</p>
                  <ul className="divide-y divide-stone-100 text-sm">
                    {p.progress.missing.map((m) => (
                      <li key={m.slug} className="py-2">
                        <Link to={m.href}>{m.title}</Link>
                        <span className="block text-xs text-stone-600">{m.label}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          ) : null}

          {p.history.length ? (
            <div className="card">
              <h3 className="font-semibold">Sertifikat sebelumnya</h3>
              <ul className="mt-1 divide-y divide-stone-100 text-sm">
                {p.history.map((c) => (
                  <li key={c.code} className="flex justify-between gap-2 py-2">
                    <span className="font-mono">{c.code}</span>
                    <span>
                      {c.issued} – {c.expires} · {c.stateLabel}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </article>
      ))}
      {d.contacts ? (
        <div className="card space-y-2">
          <h2 className="text-base">Tim Pembina yang dapat membuka kesempatan kuis baru</h2>
          <PembinaContacts contacts={d.contacts} />
        </div>
      ) : null}
      {/* Inline, so it carries this response's CSP nonce (entry.server.tsx). */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: COPY_SCRIPT }} />
    </section>
  );
}

/** "Salin" needs the clipboard, so the button shows only where this tiny script runs; the link stays selectable without it. */
const COPY_SCRIPT = `document.querySelectorAll("[data-copy-button]").forEach(function(b){var i=document.getElementById(b.getAttribute("data-copy-button"));if(!i||!navigator.clipboard)return;b.hidden=false;b.onclick=function(){navigator.clipboard.writeText(i.value).then(function(){b.textContent="Tersalin"})}})`;

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
