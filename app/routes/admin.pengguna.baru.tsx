import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { UserForm } from "~/features/accounts/user-form";
import { forbidden, readFormObject } from "~/lib/http";
import { assignableRoles, ROLES } from "~/lib/roles";
import { userFormOptions } from "~/features/accounts/user-form-options.server";
import { createUser, createUserSchema, fieldErrors } from "~/features/accounts/users.server";
import { formKeyField, newFormKey } from "~/form-key.server";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Tambah pengguna · Akademi Posyandu" }];

const MANAGERS = rolesFor("users-manage");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  if (!assignableRoles(user.role).length) throw forbidden();
  return { options: await userFormOptions(user), formKey: newFormKey() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const form = await readFormObject(request);
  const { password: _pw, ...echo } = form as Record<string, string>; // passwords are never echoed back
  const parsed = createUserSchema.safeParse(form);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: echo }, { status: 400 });
  const key = formKeyField.safeParse(form.formKey);
  if (!key.success) return data({ errors: { form: key.error.issues[0].message }, values: echo }, { status: 400 });
  const result = await createUser(user, parsed.data, key.data);
  if (!result.ok) return data({ errors: result.errors, values: echo }, { status: 400 });
  throw redirect(`/admin/pengguna/${result.id}?dibuat=1`);
}

export default function PenggunaBaru() {
  const { options, formKey } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-lg space-y-3">
      <p className="text-sm">
        <Link to="/admin/pengguna">‹ Pengguna</Link>
      </p>
      <h1>Tambah pengguna</h1>
      <UserForm mode="create" options={options} values={a?.values ?? { formKey }} errors={a?.errors ?? {}} />
    </section>
  );
}
