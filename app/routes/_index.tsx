import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { areaSummary } from "~/features/regions/area.server";
import { ModuleCard } from "~/features/learning/module-card";
import { myModules } from "~/features/learning/progress.server";
import { formatKb, offlineSize } from "~/features/learning/offline.server";
import { SaveAllButton } from "~/features/learning/save-all-button";
import { OutboxPanel } from "~/features/learning/outbox-panel";
import { kaderNextStep } from "~/features/learning/next-step.server";
import { upcomingSessions } from "~/features/workshops/upcoming.server";
import { requireUser } from "~/auth.server";
import { db } from "~/db.server";
import { posyandu, type Role } from "~/db/schema";
import { LEVEL_LABEL } from "~/lib/region";
import { ROLE_LABEL } from "~/lib/roles";
import { getRegion, regionLineage } from "~/features/regions/regions.server";
import { content, mainProgrammeFor } from "~/features/catalogue/content.server";
import { ruleSentence } from "~/features/certification/rule-text";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Beranda · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role === "kader") {
    const [p] = user.posyanduId
      ? await db.select({ name: posyandu.name }).from(posyandu).where(eq(posyandu.id, user.posyanduId))
      : [];
    const lineage = await regionLineage(user.scopeCode);
    const modules = await myModules(user.id);
    const sessions = await upcomingSessions(user.id);
    const next = await kaderNextStep(user.id, sessions);
    const offline = formatKb(await offlineSize(user.id));
    return {
      kind: "kader" as const,
      next,
      sessions,
      offline,
      name: user.name,
      posyandu: p?.name ?? null,
      places: lineage
        .slice(1)
        .map((r) => r.name)
        .reverse(),
      modules,
      passed: modules.filter((m) => m.required && m.state === "lulus").length,
      required: modules.filter((m) => m.required).length,
      rule: ruleSentence(content().defaultProgramme),
    };
  }
  const region = await getRegion(user.scopeCode);
  const summary = await areaSummary(user.scopeCode);
  return {
    kind: "area" as const,
    learning: await pembinaLearning(user),
    name: user.name,
    role: ROLE_LABEL[user.role],
    region: region ? { code: region.code, name: region.name, level: LEVEL_LABEL[region.level] } : null,
    ...summary,
  };
}

/** A Tim Pembina member is a learner first (issue 20): her programme's next step and progress. */
async function pembinaLearning(user: { id: string; role: Role }) {
  const programme = mainProgrammeFor(user.role);
  if (!programme) return null;
  const sessions = await upcomingSessions(user.id);
  const [next, modules] = await Promise.all([
    kaderNextStep(user.id, sessions, programme),
    myModules(user.id, programme),
  ]);
  return {
    programme: programme.title,
    next,
    passed: modules.filter((m) => m.required && m.state === "lulus").length,
    required: modules.filter((m) => m.required).length,
    rule: ruleSentence(programme),
  };
}

export default function Beranda() {
  const d = useLoaderData<typeof loader>();
  if (d.kind === "kader") {
    return (
      <section className="space-y-4">
        <div>
          <h1>Halo, {d.name}</h1>
          <p className="text-sm text-stone-600">
            {d.posyandu ?? "Posyandu belum ditetapkan"} · {d.places.join(", ")}
          </p>
        </div>
        <OutboxPanel />
        <Link
          to={d.next.href}
          className="card block border-brand-600 bg-brand-50 no-underline hover:no-underline"
          data-testid="lanjutkan"
        >
          <span className="block text-xs font-semibold uppercase tracking-wide text-brand-700">{d.next.label}</span>
          <span className="mt-1 block text-lg font-bold text-stone-900">{d.next.title}</span>
          <span className="mt-1 block text-sm text-stone-700">{d.next.detail}</span>
          <span className="btn mt-3 w-full">Lanjutkan ›</span>
        </Link>
        {d.sessions.length ? (
          <section aria-labelledby="sesi-saya">
            <h2 id="sesi-saya">Kegiatan saya</h2>
            <ul className="mt-2 space-y-3">
              {d.sessions.map((s) => (
                <li key={s.id} className="card">
                  <Link to={`/sesi/${s.id}`} className="block min-h-11 font-semibold">
                    {s.kindLabel}: {s.title}
                  </Link>
                  <p className="text-sm text-stone-700">{s.when}</p>
                  <p className="text-sm text-stone-600">
                    {s.venue} · {s.place}
                    {s.waitlisted ? " · daftar tunggu" : ""}
                  </p>
                  <a href={`/sesi/${s.id}.ics`} className="btn-secondary mt-2" download>
                    Tambah ke kalender
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="modul-saya">
          <h2 id="modul-saya">Modul saya</h2>
          <p className="text-sm text-stone-600">
            {d.passed} dari {d.required} modul wajib sudah lulus kuis.
          </p>
          <ul className="mt-2 space-y-3">
            {d.modules.map((m) => (
              <ModuleCard key={m.slug} m={m} showSpm />
            ))}
          </ul>
          <SaveAllButton size={d.offline} />
        </section>
        <div className="card">
          <h2>Sertifikat</h2>
          <p className="mt-1 text-sm" data-testid="aturan-sertifikat">
            {d.rule}
          </p>
          <Link to="/sertifikat" className="btn-secondary mt-3">
            Lihat status sertifikat
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section className="space-y-4">
      <div>
        <h1>{d.region ? `${d.region.level} ${d.region.name}` : "Wilayah"}</h1>
        <p className="text-sm text-stone-600">
          {d.role} · {d.name}
        </p>
      </div>
      {d.learning ? (
        <section className="card space-y-2" aria-labelledby="belajar" data-testid="belajar-pembina">
          <h2 id="belajar">Belajar: {d.learning.programme}</h2>
          <p className="text-sm text-stone-600">
            {d.learning.passed} dari {d.learning.required} modul wajib sudah lulus kuis.
          </p>
          <Link
            to={d.learning.next.href}
            className="block rounded border border-brand-600 bg-brand-50 p-3 no-underline"
          >
            <span className="block text-xs font-semibold uppercase text-brand-700">{d.learning.next.label}</span>
            <span className="block font-bold text-stone-900">{d.learning.next.title}</span>
            <span className="block text-sm text-stone-700">{d.learning.next.detail}</span>
          </Link>
          <p className="text-sm">{d.learning.rule}</p>
          <Link to="/sertifikat" className="btn-secondary">
            Status sertifikat saya
          </Link>
        </section>
      ) : null}
      <div className="grid grid-cols-2 gap-3">
        <div className="card">
          <p className="text-2xl font-bold">{d.posyandu.toLocaleString("id-ID")}</p>
          <p className="text-sm text-stone-600">Posyandu aktif</p>
        </div>
        <div className="card">
          <p className="text-2xl font-bold">{d.kader.toLocaleString("id-ID")}</p>
          <p className="text-sm text-stone-600">Kader aktif</p>
        </div>
      </div>
      {d.children.length ? (
        <ScrollRegion label="Wilayah di bawah Anda">
          <h2>Wilayah di bawah Anda</h2>
          <table className="table mt-2">
            <thead>
              <tr>
                <th>Wilayah</th>
                <th className="text-right">Posyandu</th>
                <th className="text-right">Kader</th>
              </tr>
            </thead>
            <tbody>
              {d.children.map((c) => (
                <tr key={c.code}>
                  <td>
                    <Link to={`/posyandu?wilayah=${c.code}`}>{c.name}</Link>
                    <span className="block text-xs text-stone-500">{c.code}</span>
                  </td>
                  <td className="text-right">{c.posyandu.toLocaleString("id-ID")}</td>
                  <td className="text-right">{c.kader.toLocaleString("id-ID")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}
