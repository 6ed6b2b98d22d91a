import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { activationState, newIssueNonce, nonceValid, resetPassword } from "~/features/accounts/activation.server";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { UserForm } from "~/features/accounts/user-form";
import { formatCode } from "~/features/accounts/activation-code";
import { notFound, readFormObject } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { canManageAccount, ROLE_LABEL, ROLES, SPM_LABEL } from "~/lib/roles";
import { userFormOptions } from "~/features/accounts/user-form-options.server";
import {
  fieldErrors,
  getUserInScope,
  setUserActive,
  updateUser,
  updateUserSchema,
} from "~/features/accounts/users.server";
import { REPORTING_ZONE } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.name ?? "Pengguna"} · Akademi Posyandu` },
];

const MANAGERS = rolesFor("users-manage");

function idParam(id: string | undefined): string {
  if (!id || !/^[a-z0-9]{8,40}$/.test(id)) throw notFound("Pengguna tidak ditemukan.");
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, MANAGERS);
  const account = await getUserInScope(user, idParam(params.id));
  const editable = account.id !== user.id && canManageAccount(user, account);
  const activation = await activationState(account.id);
  return {
    activation: activation
      ? {
          activated: activation.activated,
          pendingUntil: activation.pendingUntil ? activation.pendingUntil.toISOString() : null,
        }
      : null,
    nonce: editable ? newIssueNonce() : null,
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
  const form = await readFormObject(request);
  if (form.intent === "nonaktifkan" || form.intent === "aktifkan") {
    await setUserActive(user, id, form.intent === "aktifkan");
    throw redirect(`/admin/pengguna/${id}?tersimpan=1`);
  }
  if (form.intent === "atur-ulang-sandi") {
    if (!nonceValid(form.nonce)) {
      return data(
        { resetError: "Halaman ini sudah terlalu lama dibuka. Muat ulang halaman lalu coba lagi." },
        { status: 400 },
      );
    }
    const reset = await resetPassword(user, id, form.nonce);
    if (!reset.ok) return data({ resetError: reset.message }, { status: 400 });
    return { reset: { code: formatCode(reset.code), expiresAt: reset.expiresAt.toISOString() } };
  }
  const parsed = updateUserSchema.safeParse(form);
  if (!parsed.success)
    return data({ errors: fieldErrors(parsed.error), values: form as Record<string, string> }, { status: 400 });
  const result = await updateUser(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors, values: form as Record<string, string> }, { status: 400 });
  throw redirect(`/admin/pengguna/${id}?tersimpan=1`);
}

const fmtDate = new Intl.DateTimeFormat("id-ID", { dateStyle: "long", timeZone: REPORTING_ZONE.iana });

export default function PenggunaDetail() {
  const { account: u, editable, options, activation, nonce } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const formState = a && "values" in a ? a : undefined;
  const [search] = useSearchParams();
  return (
    <section className="mx-auto max-w-lg space-y-4">
      <p className="text-sm">
        <Link to="/admin/pengguna">‹ Pengguna</Link>
      </p>
      <h1>{u.name}</h1>
      {u.role === "kader" ? (
        <p className="text-sm">
          <Link to={`/kader/${u.id}`}>Kemajuan belajar, kuis, praktik dan sertifikat ›</Link>
        </p>
      ) : null}
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
        {activation ? (
          <>
            <dt className="text-stone-500">Kata sandi</dt>
            <dd>
              {activation.activated
                ? "Sudah dibuat"
                : activation.pendingUntil
                  ? `Belum aktivasi (kode berlaku sampai ${fmtDate.format(new Date(activation.pendingUntil))})`
                  : "Belum aktivasi (belum ada kode)"}
            </dd>
          </>
        ) : null}
      </dl>
      {a && "reset" in a ? (
        <div className="alert-ok" role="status">
          <p className="font-semibold">Kata sandi lama tidak berlaku lagi dan semua sesi akun ini diakhiri.</p>
          <p className="mt-1">
            Kode aktivasi baru:{" "}
            <strong className="font-mono text-lg tracking-widest" data-reset-code>
              {a.reset.code}
            </strong>
          </p>
          <p className="mt-1 text-sm">
            Serahkan kode ini kepada {u.name}. Ia membuat kata sandi baru di halaman /aktivasi dengan nomor HP {u.phone}{" "}
            dan kode ini, sebelum {fmtDate.format(new Date(a.reset.expiresAt))}. Kode tidak ditampilkan lagi setelah
            halaman ini ditutup.
          </p>
        </div>
      ) : null}
      {a && "resetError" in a ? (
        <p className="alert-error" role="alert">
          {a.resetError}
        </p>
      ) : null}
      {editable ? (
        <div className="card space-y-3">
          <h2>Tindakan</h2>
          <div className="flex flex-wrap gap-2">
            <Form method="post">
              <input type="hidden" name="intent" value={u.active ? "nonaktifkan" : "aktifkan"} />
              <button type="submit" className="btn-secondary">
                {u.active ? "Nonaktifkan akun" : "Aktifkan kembali"}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="atur-ulang-sandi" />
              <input type="hidden" name="nonce" value={nonce ?? ""} />
              <button type="submit" className="btn-secondary">
                Atur ulang kata sandi
              </button>
            </Form>
          </div>
          <p className="text-xs text-stone-600">
            Atur ulang kata sandi: kata sandi lama dan semua sesi berakhir, lalu dibuat kode aktivasi baru (berlaku 30
            hari) untuk membuat kata sandi baru.
          </p>
        </div>
      ) : null}
      {editable && options ? (
        <>
          <h2>Ubah akun</h2>
          <UserForm
            mode="edit"
            options={options}
            values={formState?.values ?? { ...u, active: u.active }}
            errors={formState?.errors ?? {}}
          />
        </>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
