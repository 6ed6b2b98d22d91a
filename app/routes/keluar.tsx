import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/auth.server";
import { readForm } from "~/lib/http";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return redirect("/masuk", { headers: { "Set-Cookie": await logout(request) } });
}
