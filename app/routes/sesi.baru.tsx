import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { WorkshopForm } from "~/features/workshops/workshop-form";
import { workshopFormInput, workshopFormSchema } from "~/features/workshops/rules";
import { fieldErrors } from "~/features/accounts/users.server";
import { workshopFormOptions } from "~/features/workshops/form-options.server";
import { createWorkshop } from "~/features/workshops/sessions.server";
import { SCHEDULER_ROLES } from "~/features/workshops/rules";
import { content } from "~/features/catalogue/content.server";
import { readForm } from "~/lib/http";
import { formKeyField, newFormKey } from "~/form-key.server";
import { z } from "zod";
import { WORKSHOP_KINDS } from "~/db/schema";
import { KIND_LABEL } from "~/features/workshops/rules";

export const meta: MetaFunction = () => [{ title: "Jadwalkan kegiatan · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, SCHEDULER_ROLES);
  // ?jenis=sosialisasi opens the form for that kind; the follow-up modules are pre-checked for a pelatihan only.
  const kind = z
    .enum(WORKSHOP_KINDS)
    .catch("pelatihan")
    .parse(new URL(request.url).searchParams.get("jenis") ?? undefined);
  const defaults = {
    kind,
    audience: kind === "sosialisasi" && user.role !== "pembina_kecamatan" ? "pembina" : "kader",
    regionCode: user.scopeCode.split(".").length >= 2 ? user.scopeCode : "",
    moduleSlugs: kind === "pelatihan" ? content().defaultProgramme.requiredModules : [],
    formKey: newFormKey(),
  };
  return { options: await workshopFormOptions(user), defaults };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, SCHEDULER_ROLES);
  const input = workshopFormInput(await readForm(request));
  const parsed = workshopFormSchema.safeParse(input);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: input }, { status: 400 });
  const key = formKeyField.safeParse(input.formKey);
  if (!key.success) return data({ errors: { form: key.error.issues[0].message }, values: input }, { status: 400 });
  const result = await createWorkshop(user, parsed.data, key.data);
  if (!result.ok) return data({ errors: result.errors, values: input }, { status: 400 });
  throw redirect(`/sesi/${result.id}?dibuat=1`);
}

export default function SesiBaru() {
  const { options, defaults } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-lg space-y-3">
      <p className="text-sm">
        <Link to="/sesi">‹ Kegiatan</Link>
      </p>
      <h1>Jadwalkan kegiatan</h1>
      <p className="text-sm text-stone-600">
        Kegiatan disimpan sebagai draf. Umumkan setelah siap agar peserta dapat mendaftar.
      </p>
      <p className="flex flex-wrap gap-x-3 text-sm" aria-label="Jenis kegiatan">
        {WORKSHOP_KINDS.map((k) =>
          k === defaults.kind ? (
            <strong key={k}>{KIND_LABEL[k]}</strong>
          ) : (
            <Link key={k} to={`/sesi/baru?jenis=${k}`}>
              {KIND_LABEL[k]}
            </Link>
          ),
        )}
      </p>
      <WorkshopForm
        options={options}
        values={(a?.values as Record<string, unknown>) ?? defaults}
        errors={a?.errors ?? {}}
        submitLabel="Simpan draf"
      />
    </section>
  );
}
