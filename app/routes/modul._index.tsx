import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { content } from "~/features/learning/content.server";
import { ModuleCard } from "~/features/learning/module-card";
import { SPM_OR_UMUM } from "~/features/learning/content-schema";
import { SPM_LABEL } from "~/lib/roles";
import { formatKb, offlineSize } from "~/features/learning/offline.server";
import { SaveAllButton } from "~/features/learning/save-all-button";
import { modulesInProgrammeOrder, progressFor, toCard } from "~/features/learning/progress.server";

export const meta: MetaFunction = () => [{ title: "Modul · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const c = content();
  const required = new Set(c.defaultProgramme.requiredModules);
  const progress = await progressFor(user.id);
  const cards = modulesInProgrammeOrder().map((m) => toCard(m, progress.get(m.slug), required.has(m.slug)));
  const groups = SPM_OR_UMUM.map((spm) => ({
    spm,
    label: SPM_LABEL[spm],
    modules: cards.filter((m) => m.spm === spm),
  })).filter((g) => g.modules.length);
  const done = cards.filter((m) => m.required && m.state === "lulus").length;
  const offline = user.role === "kader" ? formatKb(await offlineSize(user.id)) : null;
  return { groups, done, required: required.size, programme: c.defaultProgramme.title, offline };
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
        <section key={g.spm} aria-labelledby={`spm-${g.spm}`}>
          <h2 id={`spm-${g.spm}`}>{g.spm === "umum" ? "Umum" : `Bidang ${g.label}`}</h2>
          <ul className="mt-2 space-y-3">
            {g.modules.map((m) => (
              <ModuleCard key={m.slug} m={m} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
