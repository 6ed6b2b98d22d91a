import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { WorkshopForm } from "~/features/workshops/workshop-form";
import { toLocalInput, zoneForRegion } from "~/lib/timezone";
import { workshopFormInput, workshopFormSchema } from "~/features/workshops/rules";
import { fieldErrors } from "~/features/accounts/users.server";
import { workshopFormOptions } from "~/features/workshops/form-options.server";
import { updateWorkshop, workshopIdParam } from "~/features/workshops/sessions.server";
import { requireSchedulable } from "~/features/workshops/access.server";
import { readForm } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Ubah kegiatan · Akademi Posyandu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await requireSchedulable(user, workshopIdParam(params));
  const zone = zoneForRegion(w.regionCode);
  return {
    id: w.id,
    options: await workshopFormOptions(user),
    values: {
      title: w.title,
      kind: w.kind,
      audience: w.audience,
      regionCode: w.regionCode,
      venue: w.venue,
      description: w.description,
      startsAt: toLocalInput(w.startsAt, zone),
      endsAt: toLocalInput(w.endsAt, zone),
      capacity: w.capacity,
      graceMinutes: w.graceMinutes,
      moduleSlugs: w.moduleSlugs,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = workshopIdParam(params);
  await requireSchedulable(user, id);
  const input = workshopFormInput(await readForm(request));
  const parsed = workshopFormSchema.safeParse(input);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: input }, { status: 400 });
  const result = await updateWorkshop(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors, values: input }, { status: 400 });
  throw redirect(`/sesi/${id}`);
}

export default function SesiUbah() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-lg space-y-3">
      <p className="text-sm">
        <Link to={`/sesi/${d.id}`}>‹ Kembali</Link>
      </p>
      <h1>Ubah kegiatan</h1>
      <WorkshopForm
        options={d.options}
        values={(a?.values as Record<string, unknown>) ?? d.values}
        errors={a?.errors ?? {}}
        submitLabel="Simpan perubahan"
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
