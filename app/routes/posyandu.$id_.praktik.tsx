import { readForm } from "~/lib/http";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { requireRole } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import {
  OBSERVER_ROLES,
  practiceSheet,
  recordObservations,
  sheetFailure,
} from "~/features/certification/practice.server";
import { PracticeSheet } from "~/features/certification/practice-sheet";
import { PRACTICE_RESULT_LABEL } from "~/features/certification/rule";
import { posyanduIdParam } from "~/features/regions/posyandu.server";
import { todayWita } from "~/lib/timezone";
import { formatIsoDay } from "~/lib/timezone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Praktik lapangan ${data?.posyandu.name ?? ""} · Akademi Posyandu` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, OBSERVER_ROLES);
  const tugas = new URL(request.url).searchParams.get("tugas");
  const sheet = await practiceSheet(user, posyanduIdParam(params), tugas);
  return {
    posyandu: { id: sheet.posyandu.id, name: sheet.posyandu.name, desaName: sheet.posyandu.desaName },
    tasks: sheet.tasks.map((t) => ({ id: t.id, title: t.title })),
    task: sheet.task ?? null,
    kader: sheet.kader.map((k) => ({
      id: k.id,
      name: k.name,
      latest: k.latest
        ? `${PRACTICE_RESULT_LABEL[k.latest.result as keyof typeof PRACTICE_RESULT_LABEL]} (${formatIsoDay(k.latest.observedOn)})`
        : null,
    })),
    today: todayWita(),
    idempotencyKey: randomBytes(16).toString("hex"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, OBSERVER_ROLES);
  const id = posyanduIdParam(params);
  const form = await readForm(request);
  const result = await recordObservations(user, id, form);
  if (!result.ok) return data(sheetFailure(form, result), { status: 400 });
  throw redirect(
    `/posyandu/${id}/praktik?tugas=${encodeURIComponent(String(form.get("taskId")))}&tersimpan=${result.recorded}`,
  );
}

export default function Praktik() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <PracticeSheet
      d={d}
      a={a}
      title={`Praktik lapangan: ${d.posyandu.name}`}
      back={{ to: `/posyandu/${d.posyandu.id}`, label: d.posyandu.name }}
      placeDefault={`Posyandu ${d.posyandu.name.replace(/^Posyandu\s+/i, "")}`}
      empty="Posyandu ini belum punya kader aktif."
      who="kader"
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
