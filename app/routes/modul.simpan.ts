import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth.server";
import { readForm } from "~/lib/http";
import { offlineBundle } from "~/features/learning/offline.server";
import { rolesFor } from "~/lib/permissions";

/**
 * POST /modul/simpan (kader only, called by the page script behind "Simpan semua modul"):
 * draws the quiz attempts still needed and answers the list of pages to store offline.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ message: "Metode tidak didukung." }, { status: 405 });
  const user = await requireRole(request, rolesFor("learn"));
  await readForm(request); // the page script posts an empty form; anything else is refused like any form
  return Response.json(await offlineBundle(user.id), { headers: { "Cache-Control": "no-store" } });
}

export function loader() {
  return Response.json({ message: "Gunakan tombol Simpan semua modul di halaman Modul." }, { status: 405 });
}
