import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { content, mainProgrammeFor, programmesOf } from "~/features/catalogue/content.server";
import { ModuleCard } from "~/features/learning/module-card";
import { formatKb, offlineSize } from "~/features/learning/offline.server";
import { SaveAllButton } from "~/features/learning/save-all-button";
import { modulesInProgrammeOrder, progressFor, toCard } from "~/features/learning/progress.server";

export const meta: MetaFunction = () => [{ title: "Modul · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const c = content();
  // A pembina's "wajib" are her programme's modules; everyone else sees the kader programme.
  const programme = mainProgrammeFor(user.role) ?? c.defaultProgramme;
  const required = new Set(programme.requiredModules);
  const progress = await progressFor(user.id);
  // One order on every page (Beranda, "Lanjutkan", this list): the programme's, never by bidang.
  // The programme's modules first, then any other module; each card names its bidang.
  // A kader's list leaves out the modules of programmes for other roles (the Tim Pembina's);
  // a pembina also sees the kader modules she coaches on, under "Modul lain".
  const shown = (slug: string) => {
    const of = programmesOf(slug);
    return user.role !== "kader" || !of.length || of.some((p) => p.roles.includes(user.role));
  };
  const cards = modulesInProgrammeOrder(programme)
    .filter((m) => shown(m.slug))
    .map((m) => toCard(m, progress.get(m.slug), required.has(m.slug)));
  const groups = [
    { id: "wajib", label: `Wajib untuk ${programme.title}`, modules: cards.filter((m) => m.required) },
    { id: "lain", label: "Modul lain", modules: cards.filter((m) => !m.required) },
  ].filter((g) => g.modules.length);
  const done = cards.filter((m) => m.required && m.state === "lulus").length;
  const offline = user.role === "kader" ? formatKb(await offlineSize(user.id)) : null;
  return { groups, done, required: required.size, programme: programme.title, offline };
}

export default function Katalog() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="space-y-5">
      <div>
        <h1>Modul</h1>
        <p className="text-sm text-stone-600">
          {d.programme}: {d.done} dari {d.required} modul wajib lulus.
        </p>
        {d.offline ? <SaveAllButton size={d.offline} /> : null}
      </div>
      {d.groups.map((g) => (
        <section key={g.id} aria-labelledby={`modul-${g.id}`}>
          <h2 id={`modul-${g.id}`}>{g.label}</h2>
          <ul className="mt-2 space-y-3">
            {g.modules.map((m) => (
              <ModuleCard key={m.slug} m={m} showSpm />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
