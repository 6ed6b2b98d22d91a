import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PracticeSheet } from "~/features/certification/practice-sheet";
import {
  pembinaAreas,
  pembinaSheet,
  recordPembinaObservations,
  sheetFailure,
} from "~/features/certification/practice.server";
import { PRACTICE_RESULT_LABEL } from "~/features/certification/rule";
import { readForm } from "~/lib/http";
import { rolesFor } from "~/lib/permissions";
import { ROLE_LABEL } from "~/lib/roles";
import { formatIsoDay, todayWita } from "~/lib/timezone";

export const meta: MetaFunction = () => [{ title: "Praktik Tim Pembina · Akademi Posyandu" }];

const OBSERVERS = rolesFor("pembina-observe");

/** The practice of Tim Pembina members, observed by the level above (issue 20). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, OBSERVERS);
  const search = new URL(request.url).searchParams;
  const { areas, area } = await pembinaAreas(user, search.get("wilayah"));
  const sheet = await pembinaSheet(user, search.get("tugas"), area);
  return {
    areas: areas.length > 1 ? areas.map((a) => ({ code: a.code, name: a.name })) : [],
    area: area?.code ?? null,
    tasks: sheet.tasks.map((t) => ({ id: t.id, title: t.title })),
    task: sheet.task ?? null,
    kader: sheet.kader.map((k) => ({
      id: k.id,
      name: k.name,
      detail: `${ROLE_LABEL[k.role]} · ${k.scopeCode}`,
      latest: k.latest
        ? `${PRACTICE_RESULT_LABEL[k.latest.result as keyof typeof PRACTICE_RESULT_LABEL]} (${formatIsoDay(k.latest.observedOn)})`
        : null,
    })),
    today: todayWita(),
    idempotencyKey: randomBytes(16).toString("hex"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, OBSERVERS);
  const form = await readForm(request);
  const result = await recordPembinaObservations(user, form);
  if (!result.ok) return data(sheetFailure(form, result), { status: 400 });
  const area = String(form.get("wilayah") ?? "");
  throw redirect(
    `/tim-pembina/praktik?tugas=${encodeURIComponent(String(form.get("taskId")))}${area ? `&wilayah=${encodeURIComponent(area)}` : ""}&tersimpan=${result.recorded}`,
  );
}

export default function PraktikPembina() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <PracticeSheet
      d={d}
      a={a}
      title="Praktik Tim Pembina"
      back={{ to: "/tim-pembina", label: "Tim Pembina" }}
      placeDefault=""
      empty={
        d.area
          ? "Belum ada anggota Tim Pembina di bawah jenjang Anda di wilayah ini."
          : "Pilih wilayah dan tugas, lalu tekan Tampilkan daftar periksa."
      }
      who="anggota"
      areas={d.areas}
      area={d.area}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
