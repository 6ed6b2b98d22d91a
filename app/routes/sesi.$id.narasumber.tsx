import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { schedulableOr404 } from "~/features/workshops/measure-access.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { addSpeaker, listSpeakers, removeSpeaker } from "~/features/workshops/speakers.server";
import { readFormObject } from "~/lib/http";
import { parseIntId } from "~/lib/query";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Narasumber: ${data?.title ?? "Kegiatan"} · Akademi Posyandu` },
];

/** The narasumber of a session (issue 20): add and remove, for those who may schedule it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await schedulableOr404(user, workshopIdParam(params));
  return { id: w.id, title: w.title, speakers: await listSpeakers(w.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  await schedulableOr404(user, id);
  const form = await readFormObject(request);
  if (form.intent === "hapus") {
    const speakerId = parseIntId(typeof form.speakerId === "string" ? form.speakerId : undefined);
    if (!speakerId)
      return data({ errors: {} as Record<string, string>, message: "Narasumber tidak dikenal." }, { status: 400 });
    await removeSpeaker(user, id, speakerId);
    throw redirect(`/sesi/${id}/narasumber?dihapus=1`);
  }
  if (form.intent === "tambah") {
    const r = await addSpeaker(user, id, form);
    if (!r.ok) return data({ errors: r.errors, message: "Periksa isian yang ditandai." }, { status: 400 });
    throw redirect(`/sesi/${id}/narasumber?ditambah=1`);
  }
  return data({ errors: {} as Record<string, string>, message: "Permintaan tidak dikenal." }, { status: 400 });
}

export default function Narasumber() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors = a?.errors ?? {};
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ {d.title}</Link>
      </p>
      <h1>Narasumber</h1>
      <FormError message={a?.message} />
      {d.speakers.length ? (
        <ul className="space-y-2">
          {d.speakers.map((s) => (
            <li key={s.id} className="card flex items-start justify-between gap-2 text-sm">
              <span>
                <strong>{s.name}</strong>, {s.organisation}
                <br />
                Topik: {s.topic}
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="hapus" />
                <input type="hidden" name="speakerId" value={s.id} />
                <button type="submit" className="btn-secondary" aria-label={`Hapus ${s.name}`}>
                  Hapus
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm">Belum ada narasumber.</p>
      )}
      <Form method="post" className="card space-y-3">
        <h2 className="text-base">Tambah narasumber</h2>
        <input type="hidden" name="intent" value="tambah" />
        <Field label="Nama" name="name" required minLength={2} maxLength={120} error={errors.name} />
        <Field
          label="Dinas/organisasi"
          name="organisation"
          required
          minLength={2}
          maxLength={120}
          error={errors.organisation}
        />
        <Field label="Topik" name="topic" required minLength={2} maxLength={120} error={errors.topic} />
        <button type="submit" className="btn w-full">
          Tambah
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
