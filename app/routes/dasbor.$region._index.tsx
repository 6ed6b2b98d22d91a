import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { content } from "~/features/learning/content.server";
import { Funnel, MonthBars, RateBars } from "~/components/charts";
import { practisedCount } from "~/features/certification/practice.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseDashboardQuery, requireDashboardRegion, type SortKey } from "~/features/reporting/dashboard.server";
import { SPM_BIDANG } from "~/db/schema";
import { FIGURE_LABEL, formatRate, type Figures } from "~/features/reporting/figures";
import { LEVEL_LABEL } from "~/lib/region";
import { onReplica } from "~/db.server";
import { SPM_LABEL } from "~/lib/roles";
import { bidangBreakdown, certifiedPerMonth, regionReport, type RegionFigures } from "~/features/reporting/reports.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Dasbor ${data?.region.name ?? ""} · Akademi Posyandu` }];

const SORT_FIELD: Record<SortKey, (r: RegionFigures) => number | string> = {
  kode: (r) => r.code,
  nama: (r) => r.name,
  aktif: (r) => r.activeKader,
  terdaftar: (r) => r.enrolled,
  hadir: (r) => r.attended,
  lulus: (r) => r.modulesPassed,
  terbit: (r) => r.issued,
  berlaku: (r) => r.certified,
  tingkat: (r) => r.rate,
  kedaluwarsa: (r) => r.expiring60,
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { region, lineage } = await requireDashboardRegion(request, params.region);
  const q = parseDashboardQuery(request);
  // Reports may come from the replica (not right after this browser's own write: onReplica).
  const [report, bidang, months, practised] = await onReplica(request, () =>
    Promise.all([
      regionReport({ code: region.code, name: region.name, level: region.level }, q.filter),
      bidangBreakdown(region.code, q.filter),
      certifiedPerMonth(region.code, q.filter.programmeId, q.filter.today),
      practisedCount(region.code, q.filter.programmeId, q.filter.bidang),
    ]),
  );
  const get = SORT_FIELD[q.urut];
  const rows = [...report.rows].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "id");
    return q.arah === "naik" ? c : -c;
  });
  const year = new Date().getUTCFullYear();
  return {
    region: { code: region.code, name: region.name, level: LEVEL_LABEL[region.level] },
    lineage,
    rowLevel: report.rowLevel,
    totals: report.totals,
    /** Funnel step "praktik" (today, whatever the year filter). */
    practised,
    rows,
    bidang: bidang.map((b) => ({ label: b.bidang ? SPM_LABEL[b.bidang as keyof typeof SPM_LABEL] : "Belum ditetapkan", ...b.figures })),
    months,
    q: { program: q.program, tahun: q.tahun ?? null, bidang: q.bidang ?? null, urut: q.urut, arah: q.arah },
    programmes: content().programmes.map((p) => ({ id: p.id, title: p.title })),
    years: [year, year - 1, year - 2],
  };
}

const COLS: { key: SortKey; label: string; field: keyof Figures }[] = [
  { key: "aktif", label: "Aktif", field: "activeKader" },
  { key: "terdaftar", label: "Terdaftar", field: "enrolled" },
  { key: "hadir", label: "Hadir", field: "attended" },
  { key: "lulus", label: "Lulus modul", field: "modulesPassed" },
  { key: "terbit", label: "Terbit", field: "issued" },
  { key: "berlaku", label: "Berlaku", field: "certified" },
  { key: "tingkat", label: "Tingkat", field: "rate" },
  { key: "kedaluwarsa", label: "≤60 hari", field: "expiring60" },
];

const n = (v: number) => v.toLocaleString("id-ID");

export default function Dasbor() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const href = (patch: Record<string, string | null>) => {
    const s = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) (v === null ? s.delete(k) : s.set(k, v));
    const str = s.toString();
    return str ? `?${str}` : "?";
  };
  const keep = new URLSearchParams(search);
  keep.delete("urut");
  keep.delete("arah");
  const filterQs = keep.toString() ? `?${keep.toString()}` : "";
  const rowHref = (r: { code: string }) => (d.rowLevel === "posyandu" ? (r.code === "-" ? null : `/dasbor/${d.region.code}/posyandu/${r.code}${filterQs}`) : `/dasbor/${r.code}${filterQs}`);
  const t = d.totals;
  return (
    <section className="space-y-4">
      <nav aria-label="Jejak wilayah" className="text-sm">
        {d.lineage.map((l, i) => (
          <span key={l.code}>
            {i ? " › " : ""}
            {i === d.lineage.length - 1 ? <strong>{l.name}</strong> : <Link to={`/dasbor/${l.code}${filterQs}`}>{l.name}</Link>}
          </span>
        ))}
      </nav>
      <div>
        <h1>
          Dasbor {d.region.level} {d.region.name}
        </h1>
        <p className="text-sm text-stone-600">
          {d.region.code} · {n(t.activeKader)} kader aktif · tingkat sertifikasi <strong>{formatRate(t.rate)}</strong>
        </p>
      </div>
      <Form method="get" className="card grid grid-cols-1 gap-2 sm:grid-cols-4">
        <select name="program" defaultValue={d.q.program} aria-label="Program">
          {d.programmes.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
        <select name="tahun" defaultValue={d.q.tahun ? String(d.q.tahun) : ""} aria-label="Periode">
          <option value="">Semua periode</option>
          {d.years.map((y) => (
            <option key={y} value={y}>
              Tahun {y}
            </option>
          ))}
        </select>
        <select name="bidang" defaultValue={d.q.bidang ?? ""} aria-label="Bidang SPM">
          <option value="">Semua bidang</option>
          {SPM_BIDANG.map((b) => (
            <option key={b} value={b}>
              {SPM_LABEL[b]}
            </option>
          ))}
        </select>
        <button type="submit" className="btn-secondary mt-1">
          Terapkan
        </button>
      </Form>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(["activeKader", "attended", "certified", "expiring60"] as const).map((k) => (
          <div key={k} className="card">
            <p className="text-2xl font-bold">{n(t[k])}</p>
            <p className="text-xs text-stone-600">{FIGURE_LABEL[k]}</p>
          </div>
        ))}
      </div>
      <div className="card overflow-x-auto">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2>Per {d.rowLevel === "posyandu" ? "posyandu" : LEVEL_LABEL[d.rowLevel].toLowerCase()}</h2>
          <p className="text-sm">
            Unduh: <a href={`/dasbor/${d.region.code}.csv${filterQs}`}>CSV</a> · <a href={`/dasbor/${d.region.code}.xlsx${filterQs}`}>XLSX</a>
          </p>
        </div>
        <table className="table mt-2 whitespace-nowrap">
          <thead>
            <tr>
              <th>
                <Link to={href({ urut: "nama", arah: d.q.urut === "nama" && d.q.arah === "naik" ? "turun" : "naik" })}>Wilayah</Link>
              </th>
              {COLS.map((c) => (
                <th key={c.key} className="text-right" aria-sort={d.q.urut === c.key ? (d.q.arah === "naik" ? "ascending" : "descending") : undefined}>
                  <Link to={href({ urut: c.key, arah: d.q.urut === c.key && d.q.arah === "turun" ? "naik" : "turun" })}>
                    {c.label}
                    {d.q.urut === c.key ? (d.q.arah === "naik" ? " ▲" : " ▼") : ""}
                  </Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => {
              const to = rowHref(r);
              return (
                <tr key={r.code}>
                  <td>{to ? <Link to={to}>{r.name}</Link> : r.name}</td>
                  {COLS.map((c) => (
                    <td key={c.key} className="text-right">
                      {c.field === "rate" ? formatRate(r.rate) : n(r[c.field])}
                    </td>
                  ))}
                </tr>
              );
            })}
            <tr className="font-semibold">
              <td>Jumlah</td>
              {COLS.map((c) => (
                <td key={c.key} className="text-right">
                  {c.field === "rate" ? formatRate(t.rate) : n(t[c.field])}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="card">
          <h2 className="text-base">Tingkat sertifikasi per wilayah</h2>
          <RateBars title="Tingkat sertifikasi per wilayah" rows={d.rows.map((r) => ({ label: r.name, rate: r.rate, href: rowHref(r) ?? undefined }))} />
        </div>
        <div className="card">
          <h2 className="text-base">Alur kader{d.q.tahun ? ` (${d.q.tahun})` : ""}</h2>
          <Funnel
            title="Alur: terdaftar, hadir, lulus modul, praktik, bersertifikat"
            steps={[
              { label: "Terdaftar", n: t.enrolled },
              { label: "Hadir", n: t.attended },
              { label: "Lulus modul", n: t.modulesPassed },
              { label: "Praktik kompeten", n: d.practised },
              { label: "Sertifikat terbit", n: t.issued },
            ]}
          />
        </div>
        <div className="card">
          <h2 className="text-base">Kader bersertifikat per bulan</h2>
          <MonthBars title="Sertifikat terbit per bulan, 12 bulan terakhir" data={d.months} />
        </div>
        <div className="card overflow-x-auto">
          <h2 className="text-base">Per bidang SPM kader</h2>
          <table className="table mt-1 whitespace-nowrap">
            <thead>
              <tr>
                <th>Bidang</th>
                <th className="text-right">Aktif</th>
                <th className="text-right">Hadir</th>
                <th className="text-right">Berlaku</th>
                <th className="text-right">Tingkat</th>
              </tr>
            </thead>
            <tbody>
              {d.bidang.map((b) => (
                <tr key={b.label}>
                  <td>{b.label}</td>
                  <td className="text-right">{n(b.activeKader)}</td>
                  <td className="text-right">{n(b.attended)}</td>
                  <td className="text-right">{n(b.certified)}</td>
                  <td className="text-right">{formatRate(b.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <p className="text-xs text-stone-500">
        Definisi: kader aktif di wilayah ini; terdaftar/hadir = pelatihan program; lulus modul = semua modul wajib selesai dan kuisnya lulus; berlaku = sertifikat
        tidak dicabut dan belum kedaluwarsa; tingkat = berlaku ÷ aktif. Periode menyaring alur (terdaftar, hadir, lulus, terbit) menurut tahun kejadiannya (WITA).
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
