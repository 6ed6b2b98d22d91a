import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { login, loginSchema, requireAnonymous } from "~/auth.server";
import { Field, FormError } from "~/components/form";
import { assertSameOrigin, safeRedirect, readFormObject } from "~/lib/http";
import { fieldErrors } from "~/features/accounts/users.server";

export const meta: MetaFunction = () => [{ title: "Masuk · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await readFormObject(request);
  const parsed = loginSchema.safeParse(form);
  const loginValue = typeof form.login === "string" ? form.login.slice(0, 254) : "";
  if (!parsed.success) {
    return data({ errors: fieldErrors(parsed.error), formError: undefined, login: loginValue }, { status: 400 });
  }
  const result = await login(parsed.data, context?.clientIp ?? "unknown", request.headers.get("Cookie"));
  if (!result.ok) {
    return data(
      { errors: {} as Record<string, string>, formError: result.message, login: loginValue },
      { status: result.status },
    );
  }
  // The session, and this browser remembered for the account (README, "Batas percobaan masuk").
  const headers = new Headers([
    ["Set-Cookie", result.cookie],
    ["Set-Cookie", result.deviceCookie],
  ]);
  throw redirect(safeRedirect(parsed.data.redirectTo, "/"), { headers });
}

export default function Masuk() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData?.errors ?? {};
  return (
    <section className="mx-auto max-w-sm">
      <h1>Masuk</h1>
      <p className="mt-1 text-sm text-stone-600">Gunakan nomor HP (atau email) dan kata sandi Anda.</p>
      <Form method="post" className="card mt-4 space-y-4" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          label="Nomor HP atau email"
          name="login"
          type="text"
          inputMode="tel"
          autoComplete="username"
          defaultValue={actionData?.login ?? ""}
          error={errors.login}
          required
        />
        <Field
          label="Kata sandi"
          name="password"
          type="password"
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <button type="submit" className="btn w-full">
          Masuk
        </button>
      </Form>
      <p className="mt-4 text-sm">
        Baru pertama kali dan punya kode aktivasi? <Link to="/aktivasi">Aktifkan akun</Link>.
      </p>
      <p className="mt-2 text-sm">
        Lupa kata sandi? Hubungi Tim Pembina Posyandu di desa atau kecamatan Anda untuk kode aktivasi baru.
      </p>
    </section>
  );
}
