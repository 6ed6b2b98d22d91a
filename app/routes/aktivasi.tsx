import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { activateAccount } from "~/features/accounts/activation.server";
import { passwordSchema, requireAnonymous } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import { normalizeCode } from "~/features/accounts/activation-code";
import { assertSameOrigin, readFormObject } from "~/lib/http";
import { phoneField } from "~/lib/phone";
import { fieldErrors } from "~/features/accounts/users.server";

export const meta: MetaFunction = () => [{ title: "Aktivasi akun · Akademi Posyandu" }];

const schema = z
  .object({
    phone: phoneField("Isi nomor HP."),
    code: z
      .string({ error: "Isi kode aktivasi." })
      .trim()
      .min(1, "Isi kode aktivasi.")
      .max(20, "Kode aktivasi terdiri dari 8 huruf/angka, misalnya ABCD-2345.")
      .transform((v, ctx) => {
        const c = normalizeCode(v);
        if (!c) {
          ctx.addIssue({ code: "custom", message: "Kode aktivasi terdiri dari 8 huruf/angka, misalnya ABCD-2345." });
          return z.NEVER;
        }
        return c;
      }),
    password: passwordSchema,
    confirm: z.string({ error: "Ulangi kata sandi baru." }).min(1, "Ulangi kata sandi baru."),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Ulangan kata sandi tidak sama." });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  await requireAnonymous(request);
  const form = await readFormObject(request);
  // Passwords are never echoed back; phone and code are.
  const values = {
    phone: typeof form.phone === "string" ? form.phone.slice(0, 30) : "",
    code: typeof form.code === "string" ? form.code.slice(0, 20) : "",
  };
  const parsed = schema.safeParse(form);
  if (!parsed.success)
    return data({ errors: fieldErrors(parsed.error), formError: undefined, values }, { status: 400 });
  const result = await activateAccount(parsed.data, context?.clientIp ?? "unknown", request.headers.get("Cookie"));
  if (!result.ok)
    return data({ errors: {} as Record<string, string>, formError: result.message, values }, { status: result.status });
  const headers = new Headers([
    ["Set-Cookie", result.cookie],
    ["Set-Cookie", result.deviceCookie],
  ]);
  throw redirect("/selamat-datang", { headers });
}

export default function Aktivasi() {
  const a = useActionData<typeof action>();
  const errors = a?.errors ?? {};
  return (
    <section className="mx-auto max-w-sm">
      <h1>Aktivasi akun</h1>
      <p className="mt-1 text-sm text-stone-600">
        Untuk masuk pertama kali. Isi nomor HP Anda dan kode aktivasi dari Tim Pembina Posyandu, lalu buat kata sandi
        sendiri.
      </p>
      <Form method="post" className="card mt-4 space-y-4" noValidate>
        <FormError message={a?.formError} />
        <Field
          label="Nomor HP"
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="username"
          defaultValue={a?.values.phone ?? ""}
          error={errors.phone}
          required
        />
        <Field
          label="Kode aktivasi"
          name="code"
          type="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          defaultValue={a?.values.code ?? ""}
          error={errors.code}
          hint="8 huruf/angka, misalnya ABCD-2345."
          required
        />
        <Field
          label="Kata sandi baru"
          name="password"
          type="password"
          autoComplete="new-password"
          error={errors.password}
          hint="Minimal 8 karakter."
          required
        />
        <Field
          label="Ulangi kata sandi baru"
          name="confirm"
          type="password"
          autoComplete="new-password"
          error={errors.confirm}
          required
        />
        <button type="submit" className="btn w-full">
          Aktifkan dan masuk
        </button>
      </Form>
      <p className="mt-4 text-sm">
        Sudah punya kata sandi? <Link to="/masuk">Masuk</Link>. Kode hilang atau kedaluwarsa? Minta kode baru kepada Tim
        Pembina Posyandu.
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
