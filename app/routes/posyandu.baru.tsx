import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { PosyanduForm } from "~/features/regions/posyandu-form";
import { ROLES } from "~/lib/roles";
import { createPosyandu, posyanduFormSchema } from "~/features/regions/posyandu.server";
import { desaPicker } from "~/features/regions/regions.server";
import { fieldErrors } from "~/features/accounts/users.server";
import { readFormObject } from "~/lib/http";
import { formKeyField, newFormKey } from "~/form-key.server";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Tambah posyandu · Akademi Posyandu" }];

const MANAGERS = rolesFor("users-manage");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  return {
    ...(await desaPicker(user.scopeCode, new URL(request.url).searchParams.get("kecamatan"))),
    formKey: newFormKey(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const form = await readFormObject(request);
  const parsed = posyanduFormSchema.safeParse(form);
  if (!parsed.success)
    return data({ errors: fieldErrors(parsed.error), values: form as Record<string, string> }, { status: 400 });
  const key = formKeyField.safeParse(form.formKey);
  if (!key.success)
    return data(
      {
        errors: { form: key.error.issues[0].message } as Record<string, string>,
        values: form as Record<string, string>,
      },
      { status: 400 },
    );
  const result = await createPosyandu(user, parsed.data, key.data);
  if (!result.ok) return data({ errors: result.errors, values: form as Record<string, string> }, { status: 400 });
  throw redirect(`/posyandu/${result.id}`);
}

export default function PosyanduBaru() {
  const { desa, kecamatan, kecamatanOptions, formKey } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-lg space-y-3">
      <p className="text-sm">
        <Link to="/posyandu">‹ Posyandu</Link>
      </p>
      <h1>Tambah posyandu</h1>
      <PosyanduForm
        desa={desa}
        kecamatan={kecamatan}
        kecamatanOptions={kecamatanOptions}
        values={a?.values ?? { formKey }}
        errors={a?.errors ?? {}}
        submitLabel="Simpan posyandu"
      />
    </section>
  );
}
