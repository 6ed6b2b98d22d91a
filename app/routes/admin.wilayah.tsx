import {
  data,
  unstable_parseMultipartFormData,
  unstable_createMemoryUploadHandler,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { sql } from "drizzle-orm";
import { requireRole } from "~/auth.server";
import { db } from "~/db.server";
import { regions } from "~/db/schema";
import { importRegions } from "~/features/regions/regions.server";

export const meta: MetaFunction = () => [{ title: "Wilayah · Akademi Posyandu" }];

import { MAX_REGION_CSV_BYTES } from "~/features/regions/region-csv";
import { assertUpload } from "~/lib/http";
import { bodyLimit } from "~/http-policy.server";
import { ScrollRegion } from "~/components/scroll-region";
import { rolesFor } from "~/lib/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, rolesFor("regions"));
  const counts = await db
    .select({
      province: sql<string>`split_part(${regions.code}, '.', 1)`,
      level: regions.level,
      n: sql<number>`count(*)::int`,
    })
    .from(regions)
    .groupBy(sql`1`, regions.level)
    .orderBy(sql`1`);
  return { counts };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, rolesFor("regions"));
  assertUpload(request, bodyLimit(new URL(request.url).pathname));
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_REGION_CSV_BYTES }),
    );
  } catch {
    return data({ ok: false as const, errors: ["Berkas terlalu besar (maksimal 20 MB) atau rusak."] }, { status: 400 });
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return data({ ok: false as const, errors: ["Pilih berkas CSV wilayah."] }, { status: 400 });
  const text = new TextDecoder("utf-8", { fatal: true });
  let content: string;
  try {
    content = text.decode(await file.arrayBuffer());
  } catch {
    return data({ ok: false as const, errors: ["Berkas harus berformat teks UTF-8."] }, { status: 400 });
  }
  const result = await importRegions(content, user.id);
  if (result.errors.length) return data({ ok: false as const, errors: result.errors.slice(0, 200) }, { status: 400 });
  return { ok: true as const, inserted: result.inserted, updated: result.updated };
}

export default function Wilayah() {
  const { counts } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="mx-auto max-w-2xl space-y-4">
      <h1>Data wilayah</h1>
      <ScrollRegion label="Daftar wilayah">
        <table className="table">
          <thead>
            <tr>
              <th>Provinsi</th>
              <th>Tingkat</th>
              <th className="text-right">Jumlah</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr key={c.province + c.level}>
                <td>{c.province}</td>
                <td>{c.level}</td>
                <td className="text-right">{c.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <Form method="post" encType="multipart/form-data" className="card space-y-3">
        <h2>Impor wilayah provinsi lain</h2>
        <p className="text-sm">
          Format CSV (UTF-8): <code>code,name,level,parent_code</code>, kode Kemendagri bertitik, level
          provinsi/kabupaten/kecamatan/desa. Semua baris diimpor sekaligus atau tidak sama sekali.
        </p>
        {a && !a.ok ? (
          <div className="alert-error" role="alert">
            <p className="font-semibold">Impor dibatalkan, tidak ada data yang diubah:</p>
            <ul className="mt-1 list-disc pl-5 text-sm">
              {a.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {a?.ok ? (
          <p className="alert-ok">
            Impor selesai: {a.inserted} wilayah baru, {a.updated} diperbarui.
          </p>
        ) : null}
        <label htmlFor="berkas-wilayah">Berkas CSV wilayah</label>
        <input id="berkas-wilayah" type="file" name="file" accept=".csv,text/csv" required />
        <button type="submit" className="btn">
          Impor
        </button>
      </Form>
    </section>
  );
}
