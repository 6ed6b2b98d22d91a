import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { changePassword, passwordSchema, requireUser } from "~/auth.server";
import { Field, FormError } from "~/components/form";
import { formatPhone } from "~/lib/phone";
import { ROLE_LABEL } from "~/lib/roles";
import { regionLineage } from "~/features/regions/regions.server";
import { placeName } from "~/features/regions/place-name";
import { fieldErrors } from "~/features/accounts/users.server";
import { readFormObject } from "~/lib/http";

export const meta: MetaFunction = () => [{ title: "Akun saya · Akademi Posyandu" }];

const schema = z
  .object({
    current: z.string({ error: "Isi kata sandi saat ini." }).min(1, "Isi kata sandi saat ini."),
    next: passwordSchema,
    confirm: z.string({ error: "Ulangi kata sandi baru." }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "Ulangan kata sandi tidak sama." })
  .refine((v) => v.next !== v.current, { path: ["next"], message: "Kata sandi baru harus berbeda dari yang lama." });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lineage = await regionLineage(user.scopeCode);
  // Names, never a bare code: "Desa Senyiur, Kecamatan Muara Ancalong, Kabupaten Kutai Timur".
  // Pembina, DPMD and admin also see their code (roster files and imports name regions by it).
  const place = lineage.length ? placeName(lineage) : user.scopeCode;
  const changed = new URL(request.url).searchParams.get("sandi") === "diganti";
  return {
    changed,
    name: user.name,
    phone: formatPhone(user.phone),
    role: ROLE_LABEL[user.role],
    region: user.role === "kader" || !lineage.length ? place : `${place} (${user.scopeCode})`,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = schema.safeParse(await readFormObject(request));
  if (!parsed.success) return data({ ok: false, errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await changePassword(user.id, parsed.data.current, parsed.data.next);
  if (!result.ok)
    return data({ ok: false, errors: { [result.field]: result.message } as Record<string, string> }, { status: 400 });
  // Post/redirect/get with the new session cookie: the old session is gone, so a page
  // rendered with this request's cookie would send the user to /masuk.
  throw redirect("/akun?sandi=diganti", { headers: { "Set-Cookie": result.cookie } });
}

export default function Akun() {
  const me = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section className="mx-auto max-w-md space-y-4">
      <h1>Akun saya</h1>
      <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-500">Nama</dt>
        <dd>{me.name}</dd>
        <dt className="text-stone-500">Nomor HP</dt>
        <dd>{me.phone}</dd>
        <dt className="text-stone-500">Peran</dt>
        <dd>{me.role}</dd>
        <dt className="text-stone-500">Wilayah</dt>
        <dd>{me.region}</dd>
      </dl>
      <Form method="post" className="card space-y-4" noValidate>
        <h2>Ganti kata sandi</h2>
        {me.changed && !result ? (
          <p className="alert-ok" role="status">
            Kata sandi sudah diganti. Sesi di perangkat lain telah diakhiri.
          </p>
        ) : null}
        <FormError message={errors.form} />
        <Field
          label="Kata sandi saat ini"
          name="current"
          type="password"
          autoComplete="current-password"
          error={errors.current}
        />
        <Field
          label="Kata sandi baru"
          name="next"
          type="password"
          autoComplete="new-password"
          error={errors.next}
          hint="Minimal 8 karakter."
        />
        <Field
          label="Ulangi kata sandi baru"
          name="confirm"
          type="password"
          autoComplete="new-password"
          error={errors.confirm}
        />
        <button type="submit" className="btn">
          Simpan kata sandi
        </button>
      </Form>
    </section>
  );
}
