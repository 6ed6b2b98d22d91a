import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ScrollRegion } from "~/components/scroll-region";
import { newFormKey } from "~/form-key.server";
import { needFigure, sectionKey } from "~/features/reporting/training-needs";
import { requireTrainingNeeds, sessionFromNeeds, trainingNeeds } from "~/features/reporting/training-needs.server";
import { MIN_RESPONSES } from "~/features/reporting/item-analysis";
import { readForm } from "~/lib/http";
import { can } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Kebutuhan pelatihan · Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, q } = await requireTrainingNeeds(request);
  const rows = await trainingNeeds(request, q);
  return {
    isArea: q.isArea,
    region: { code: q.region.code, level: q.region.level },
    lineage: q.lineage,
    children: q.children,
    from: q.from,
    to: q.to,
    search: q.search,
    rows,
    canSchedule: can(user.role, "session-schedule"),
    formKey: newFormKey(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, q } = await requireTrainingNeeds(request);
  const result = await sessionFromNeeds(user, q, await readForm(request));
  if (result.kind === "created") throw redirect(`/sesi/${result.id}?dibuat=1`);
  if (result.kind === "invalid") return data(result, { status: 400 });
  return result;
}

export default function KebutuhanPelatihan() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const link = (code: string) =>
    `/kebutuhan-pelatihan?${new URLSearchParams({ wilayah: code, dari: d.from, sampai: d.to })}`;
  const errors = a?.kind === "invalid" ? Object.values(a.errors) : [];
  return (
    <section className="space-y-4">
      <h1>Kebutuhan pelatihan</h1>
      <p className="text-sm text-stone-700">
        Bagian modul yang paling sering salah dijawab kader di wilayah ini, dari kuis dan tes awal/akhir kegiatan. Angka
        dengan kurang dari {MIN_RESPONSES} jawaban tidak ditampilkan.
      </p>
      <div className="card space-y-2">
        <nav aria-label="Wilayah" className="text-sm">
          {d.lineage.map((r, i) => (
            <span key={r.code}>
              {i > 0 ? " › " : ""}
              {r.code === d.region.code ? <strong>{r.name}</strong> : <Link to={link(r.code)}>{r.name}</Link>}
            </span>
          ))}
        </nav>
        <Form method="get" className="grid gap-2 sm:grid-cols-3 sm:items-end">
          <input type="hidden" name="wilayah" value={d.region.code} />
          <label>
            Dari bulan
            <input type="month" name="dari" defaultValue={d.from} className="input" />
          </label>
          <label>
            Sampai bulan
            <input type="month" name="sampai" defaultValue={d.to} className="input" />
          </label>
          <button type="submit" className="btn">
            Tampilkan
          </button>
        </Form>
        {d.children.length ? (
          <details open={!d.isArea}>
            <summary className="cursor-pointer text-sm font-semibold">
              {d.isArea ? "Lihat per desa" : "Pilih wilayah"}
            </summary>
            <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2" data-testid="pilih-wilayah">
              {d.children.map((c) => (
                <li key={c.code}>
                  <Link to={link(c.code)}>{c.name}</Link>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>

      {a?.kind === "whatsapp" ? (
        <div className="card space-y-2" data-testid="daftar-wa">
          <h2>Daftar pengingat WhatsApp ({a.people.length})</h2>
          <p className="text-sm text-stone-600">
            Modul: {a.modules.join(", ")}. Tekan &ldquo;Kirim WA&rdquo;: WhatsApp terbuka dengan pesan yang sudah
            disiapkan.
          </p>
          {a.people.length ? (
            <ol className="divide-y divide-stone-100 text-sm">
              {a.people.map((p, i) => (
                <li key={p.id} className="flex items-center justify-between gap-2 py-2">
                  <span className="min-w-0">
                    {i + 1}. {p.name}
                    <span className="block text-xs text-stone-500">{p.phoneText}</span>
                  </span>
                  <a href={p.wa} className="btn-secondary shrink-0" rel="noopener" aria-label={`Kirim WA ke ${p.name}`}>
                    Kirim WA
                  </a>
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-sm">Tidak ada kader yang salah menjawab bagian ini pada periode tersebut.</p>
          )}
        </div>
      ) : null}

      {errors.length ? (
        <div className="alert-error" role="alert">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      ) : null}

      {!d.isArea ? (
        <p className="text-sm">Pilih kecamatan atau desa untuk melihat kebutuhan pelatihan kadernya.</p>
      ) : d.rows.length === 0 ? (
        <p className="card text-sm">Belum ada jawaban kuis atau tes kader di wilayah ini pada periode tersebut.</p>
      ) : (
        <Form method="post" action={`/kebutuhan-pelatihan?${d.search}`} className="space-y-3">
          <input type="hidden" name="formKey" value={d.formKey} />
          <fieldset>
            <legend className="font-semibold">Bagian modul, paling sering salah lebih dulu</legend>
            <ScrollRegion label="Bagian modul yang sering salah">
              <table className="table" data-testid="kebutuhan">
                <thead>
                  <tr>
                    <th>Pilih</th>
                    <th>Bagian modul</th>
                    <th>Salah</th>
                    <th>Kader yang salah</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((r) => {
                    const key = sectionKey(r.slug, r.section);
                    const id = `bagian-${key.replace("#", "--")}`;
                    return (
                      <tr key={key}>
                        <td>{r.missed > 0 ? <input type="checkbox" id={id} name="sections" value={key} /> : null}</td>
                        <td>
                          {r.missed > 0 ? (
                            <label htmlFor={id}>
                              {r.sectionTitle}
                              <span className="block text-xs text-stone-500">{r.moduleTitle}</span>
                            </label>
                          ) : (
                            <>
                              {r.sectionTitle}
                              <span className="block text-xs text-stone-500">{r.moduleTitle}</span>
                            </>
                          )}
                        </td>
                        <td>{needFigure(r)}</td>
                        <td>{r.kaderMissed}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollRegion>
          </fieldset>
          <p className="text-sm text-stone-600">
            {d.canSchedule
              ? "Draf pelatihan dibuat untuk wilayah ini dengan modul dari bagian yang dipilih, seminggu dari sekarang; kader yang salah menjawab langsung didaftarkan. Ubah tanggal dan tempat sebelum mengumumkannya."
              : "Anda mendapat daftar kader yang salah menjawab bagian yang dipilih, dengan tautan WhatsApp untuk mengingatkan mereka."}
          </p>
          <button type="submit" className="btn">
            {d.canSchedule ? "Buat draf sesi" : "Buat daftar pengingat WhatsApp"}
          </button>
        </Form>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
