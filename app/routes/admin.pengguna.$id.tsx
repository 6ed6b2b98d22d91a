import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { UserForm } from "~/components/user-form";
import { notFound } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { canManageAccount, ROLE_LABEL, ROLES, SPM_LABEL } from "~/lib/roles";
import { userFormOptions } from "~/user-form-options.server";
import { fieldErrors, getUserInScope, updateUser, updateUserSchema } from "~/users.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.account.name ?? "Pengguna"} · Akademi Posyandu` }];

const MANAGERS = ROLES.filter((r) => r !== "kader");

function idParam(id: string | undefined): string {
  if (!id || !/^[a-z0-9]{8,40}$/.test(id)) throw notFound("Pengguna tidak ditemukan.");
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const account = await getUserInScope(user, idParam(params.id));
  const editable = account.id !== user.id && canManageAccount(user, account);
  return {
    account: {
      ...account,
      phone: formatPhone(account.phone),
      roleLabel: ROLE_LABEL[account.role],
      bidang: account.spmBidang ? SPM_LABEL[account.spmBidang] : null,
      createdAt: account.createdAt.toISOString(),
    },
    editable,
    options: editable ? await userFormOptions(user) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const id = idParam(params.id);
  await getUserInScope(user, id);
  const form = Object.fromEntries(await request.formData());
  const parsed = updateUserSchema.safeParse(form);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: form as Record<string, string> }, { status: 400 });
  const result = await updateUser(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors, values: form as Record<string, string> }, { status: 400 });
  throw redirect(`/admin/pengguna/${id}?tersimpan=1`);
}

export default function PenggunaDetail() {
  const { account: u, editable, options } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <p className="text-sm">
        <Link to="/admin/pengguna">‹ Pengguna</Link>
      </p>
      <h1>{u.name}</h1>
      {search.get("dibuat") ? <p className="alert-ok">Akun dibuat.</p> : null}
      {search.get("tersimpan") ? <p className="alert-ok">Perubahan disimpan.</p> : null}
      <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-500">Peran</dt>
        <dd>{u.roleLabel}</dd>
        <dt className="text-stone-500">Wilayah</dt>
        <dd>
          {u.scopeName} ({u.scopeCode})
        </dd>
        {u.posyanduName ? (
          <>
            <dt className="text-stone-500">Posyandu</dt>
            <dd>{u.posyanduName}</dd>
          </>
        ) : null}
        {u.bidang ? (
          <>
            <dt className="text-stone-500">Bidang</dt>
            <dd>{u.bidang}</dd>
          </>
        ) : null}
        <dt className="text-stone-500">Nomor HP</dt>
        <dd>{u.phone}</dd>
        <dt className="text-stone-500">Status</dt>
        <dd>{u.active ? "Aktif" : "Nonaktif"}</dd>
      </dl>
      {editable && options ? (
        <>
          <h2>Ubah akun</h2>
          <UserForm mode="edit" options={options} values={a?.values ?? { ...u, active: u.active }} errors={a?.errors ?? {}} />
        </>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
