/** The filter of the "Analisis soal" pages: region (breadcrumb + children), period, attempts. Plain GET form. */
import { Form, Link } from "@remix-run/react";

export interface FilterProps {
  path: string;
  region: { code: string };
  lineage: { code: string; name: string }[];
  children: { code: string; name: string }[];
  from: string;
  to: string;
  firstOnly: boolean;
}

export function ItemAnalysisFilter({ path, region, lineage, children, from, to, firstOnly }: FilterProps) {
  const keep = (code: string) =>
    `${path}?${new URLSearchParams({ wilayah: code, dari: from, sampai: to, percobaan: firstOnly ? "pertama" : "semua" })}`;
  return (
    <div className="card space-y-2">
      <nav aria-label="Wilayah" className="text-sm">
        {lineage.map((r, i) => (
          <span key={r.code}>
            {i > 0 ? " › " : ""}
            {r.code === region.code ? <strong>{r.name}</strong> : <Link to={keep(r.code)}>{r.name}</Link>}
          </span>
        ))}
      </nav>
      <Form method="get" className="grid gap-2 sm:grid-cols-5 sm:items-end">
        <label className="sm:col-span-2">
          Wilayah
          <select name="wilayah" defaultValue={region.code} className="input">
            <option value={region.code}>{lineage.at(-1)?.name ?? region.code}</option>
            {children.map((c) => (
              <option key={c.code} value={c.code}>
                › {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Dari bulan
          <input type="month" name="dari" defaultValue={from} className="input" />
        </label>
        <label>
          Sampai bulan
          <input type="month" name="sampai" defaultValue={to} className="input" />
        </label>
        <label>
          Percobaan
          <select name="percobaan" defaultValue={firstOnly ? "pertama" : "semua"} className="input">
            <option value="semua">Semua percobaan</option>
            <option value="pertama">Percobaan pertama saja</option>
          </select>
        </label>
        <button type="submit" className="btn sm:col-span-5">
          Tampilkan
        </button>
      </Form>
    </div>
  );
}
