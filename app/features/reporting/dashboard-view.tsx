/**
 * The dashboard of one region as plain markup (issue 23): rendered once per cached page by
 * dashboard-page.server.tsx, not per view. No Remix hooks or components: links are plain
 * anchors and the filter a plain GET form (the dashboards send no script).
 */
import type { ReactNode } from "react";
import { formatNumber } from "~/lib/number-format";
import { SPM_BIDANG } from "~/db/schema";
import { LEVEL_LABEL, scopeLevelOf, regionTitle } from "~/lib/region";
import { SPM_LABEL } from "~/lib/roles";
import { Funnel, RateBars, RateMap, TrendLine } from "~/features/reporting/charts";
import type { SortKey } from "~/features/reporting/dashboard-rank";
import {
  FUNNEL_STEPS,
  formatDay,
  formatMonth,
  formatPointChange,
  formatRate,
  type Figures,
} from "~/features/reporting/figures";
import { formatTime, REPORTING_ZONE } from "~/lib/timezone";
import { ScrollRegion } from "~/components/scroll-region";
import { CASCADE_LABEL, formatRatio, rateOf } from "~/features/reporting/cascade";
import type { DashboardData } from "~/features/reporting/dashboard-page.server";

/** Table columns: the rate first after the name, so a phone shows both without scrolling. */
const COLS: { key: SortKey; label: string; field: keyof Figures; period?: true }[] = [
  { key: "tingkat", label: "Tingkat", field: "rate" },
  { key: "berlaku", label: "Berlaku", field: "certified" },
  { key: "aktif", label: "Aktif", field: "activeKader" },
  { key: "kedaluwarsa", label: "≤60 hari", field: "expiring60" },
  { key: "terdaftar", label: "Terdaftar", field: "enrolled", period: true },
  { key: "hadir", label: "Hadir", field: "attended", period: true },
  { key: "lulus", label: "Lulus modul", field: "modulesPassed", period: true },
  { key: "terbit", label: "Terbit", field: "issued", period: true },
];

const n = (v: number) => formatNumber(v);

function AttentionList({
  title,
  items,
  hrefOf,
  valueHrefOf,
  empty,
}: {
  title: string;
  items: { code: string; name: string; value: string }[];
  hrefOf: (r: { code: string }) => string | null;
  /** Where the figure itself leads (the locked-out list of that area). */
  valueHrefOf?: (r: { code: string }) => string;
  empty: ReactNode;
}) {
  return (
    <div>
      <h3 className="text-sm font-semibold">{title}</h3>
      {items.length ? (
        <ol className="mt-1 list-decimal pl-5 text-sm">
          {items.map((r) => {
            const to = hrefOf(r);
            return (
              <li key={r.code}>
                {to ? <a href={to}>{r.name}</a> : r.name}:{" "}
                {valueHrefOf ? (
                  <a href={valueHrefOf(r)} className="font-bold">
                    {r.value}
                  </a>
                ) : (
                  <strong>{r.value}</strong>
                )}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="mt-1 text-sm text-stone-600">{empty}</p>
      )}
    </div>
  );
}

export function DashboardView({ d, search }: { d: DashboardData; search: URLSearchParams }) {
  const href = (patch: Record<string, string | null>) => {
    const s = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) v === null ? s.delete(k) : s.set(k, v);
    const str = s.toString();
    return `/dasbor/${d.region.code}${str ? `?${str}` : ""}`;
  };
  const keep = new URLSearchParams(search);
  keep.delete("urut");
  keep.delete("arah");
  const filterQs = keep.toString() ? `?${keep.toString()}` : "";
  const rowHref = (r: { code: string }) =>
    d.rowLevel === "posyandu"
      ? r.code === "-"
        ? null
        : `/dasbor/${d.region.code}/posyandu/${r.code}${filterQs}`
      : `/dasbor/${r.code}${filterQs}`;
  // A locked-out count leads to the list of those kader (and from there to the grant).
  const lockedHref = (r: { code: string }) =>
    d.rowLevel === "posyandu"
      ? r.code === "-"
        ? `/admin/kader-terkunci?wilayah=${d.region.code}`
        : `/admin/kader-terkunci?posyandu=${r.code}`
      : `/admin/kader-terkunci?wilayah=${r.code}`;
  const t = d.totals;
  const childLabel = d.rowLevel === "posyandu" ? "posyandu" : LEVEL_LABEL[d.rowLevel].toLowerCase();
  const period = d.q.tahun ? `tahun ${d.q.tahun}` : "semua tahun";
  const first = d.trend[0];
  return (
    <>
      <nav aria-label="Jejak wilayah" className="text-sm">
        {d.lineage.map((l, i) => (
          <span key={l.code}>
            {i ? " › " : ""}
            {i === d.lineage.length - 1 ? (
              <strong>{regionTitle({ level: scopeLevelOf(l.code), name: l.name })}</strong>
            ) : (
              <a href={`/dasbor/${l.code}${filterQs}`}>{regionTitle({ level: scopeLevelOf(l.code), name: l.name })}</a>
            )}
          </span>
        ))}
      </nav>
      {d.unsigned.length ? (
        <div className="alert-error space-y-1" role="alert" data-testid="tanpa-penandatangan">
          {d.unsigned.map((u) => (
            <p key={u.code}>{u.message}</p>
          ))}
          <p>
            <a href="/admin/penandatangan">Isi penandatangan sertifikat ›</a>
          </p>
        </div>
      ) : null}
      <div className="card" data-testid="rate-hero">
        <h1 className="text-lg break-words">
          Dasbor {regionTitle({ level: scopeLevelOf(d.region.code), name: d.region.name })}
        </h1>
        <p className="text-sm text-stone-600">Tingkat sertifikasi kader per {formatDay(d.today)}</p>
        <p className="text-xs text-stone-600" data-testid="dihitung">
          Angka dihitung pukul {formatTime(new Date(d.computedAt), REPORTING_ZONE)} {REPORTING_ZONE.label}, diperbarui
          paling lama tiap {d.maxAgeSeconds} detik.
        </p>
        <p className="text-5xl leading-tight font-bold text-emerald-800" data-testid="rate">
          {formatRate(t.rate)}
        </p>
        <p className="text-sm">
          <strong>{n(t.certified)}</strong> dari <strong>{n(t.activeKader)}</strong> kader aktif memegang sertifikat
          yang berlaku
        </p>
        <p className="mt-1 text-sm text-stone-700">
          Perubahan: <strong>{formatPointChange(d.change.d30)}</strong> dalam 30 hari ·{" "}
          <strong>{formatPointChange(d.change.d90)}</strong> dalam 90 hari
          {t.expiring60 ? ` · ${n(t.expiring60)} sertifikat berakhir dalam 60 hari` : ""}
        </p>
      </div>
      <form method="get" action={`/dasbor/${d.region.code}`} className="card grid grid-cols-1 gap-2 sm:grid-cols-4">
        <label className="text-sm">
          Program
          <select name="program" defaultValue={d.q.program}>
            {d.programmes.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Bidang SPM kader
          <select name="bidang" defaultValue={d.q.bidang ?? ""}>
            <option value="">Semua bidang</option>
            {SPM_BIDANG.map((b) => (
              <option key={b} value={b}>
                {SPM_LABEL[b]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Tahun kegiatan (kolom alur pelatihan)
          <select name="tahun" defaultValue={d.q.tahun ? String(d.q.tahun) : ""}>
            <option value="">Semua tahun</option>
            {d.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-secondary mt-1 self-end">
          Terapkan
        </button>
      </form>
      {d.rows.length ? (
        <div className="card" data-testid="attention">
          <h2 className="text-base">Perlu perhatian</h2>
          <div className="mt-1 grid gap-3 sm:grid-cols-3">
            <AttentionList
              title="Tingkat terendah"
              items={d.attention.lowest}
              hrefOf={rowHref}
              empty="Belum ada kader."
            />
            <AttentionList
              title="Paling banyak sertifikat berakhir ≤ 60 hari"
              items={d.attention.expiring}
              hrefOf={rowHref}
              empty="Tidak ada yang berakhir dalam 60 hari."
            />
            <AttentionList
              title="Paling banyak kader terkunci kuis"
              items={d.attention.locked}
              hrefOf={rowHref}
              valueHrefOf={lockedHref}
              empty={
                d.attention.lockedCounted ? (
                  "Tidak ada kader yang kesempatan kuisnya habis."
                ) : (
                  <>
                    Dihitung di tingkat kecamatan dan desa: buka salah satu {childLabel}, atau{" "}
                    <a href={`/admin/kader-terkunci?wilayah=${d.region.code}`}>lihat daftar kader terkunci</a>.
                  </>
                )
              }
            />
            <AttentionList
              title="Rantai pembinaan terputus"
              items={d.attention.chain}
              hrefOf={rowHref}
              empty="Tidak ada: tim dan kader di bawahnya sejalan."
            />
          </div>
        </div>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <div className="card">
          <h2 className="text-base">
            {d.map ? "Peta" : "Tingkat"} per {childLabel}: {CASCADE_LABEL[d.peta].long.toLowerCase()}
          </h2>
          {d.mapLevels.length > 1 ? (
            <p className="text-sm" data-testid="map-switch">
              Warnai menurut:{" "}
              {d.mapLevels.map((l, i) => (
                <span key={l}>
                  {i ? " · " : ""}
                  {l === d.peta ? (
                    <strong aria-current="true">{CASCADE_LABEL[l].short}</strong>
                  ) : (
                    <a href={href({ peta: l === "kader" ? null : l })}>{CASCADE_LABEL[l].short}</a>
                  )}
                </span>
              ))}
            </p>
          ) : null}
          {d.map ? (
            <RateMap
              shape={d.map}
              title={`Peta per ${childLabel}: ${CASCADE_LABEL[d.peta].long.toLowerCase()}; angka lengkap ada di tabel`}
              legend={CASCADE_LABEL[d.peta].long}
              emptyLabel={d.peta === "kader" ? "tanpa kader" : "tanpa data"}
              rows={d.rows.map((r) => {
                const c = d.cascade.rows[r.code]?.[d.peta] ?? { n: 0, d: 0 };
                return {
                  code: r.code,
                  name: r.name,
                  rate: rateOf(c) ?? 0,
                  activeKader: c.d,
                  certified: c.n,
                  href: rowHref(r),
                };
              })}
            />
          ) : (
            <RateBars
              title={`${CASCADE_LABEL[d.peta].long} per ${childLabel}`}
              rows={d.rows.map((r) => ({
                label: r.name,
                rate: rateOf(d.cascade.rows[r.code]?.[d.peta] ?? { n: 0, d: 0 }) ?? 0,
                href: rowHref(r) ?? undefined,
              }))}
            />
          )}
        </div>
        <ScrollRegion label={`Tabel per ${childLabel}`}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2>Per {childLabel}</h2>
            <p className="text-sm">
              Unduh: <a href={`/dasbor/${d.region.code}.csv${filterQs}`}>CSV</a> ·{" "}
              <a href={`/dasbor/${d.region.code}.xlsx${filterQs}`}>XLSX</a>
            </p>
          </div>
          <p className="text-xs text-stone-600">
            Urutan awal: tingkat terendah dulu. Terdaftar, hadir, lulus modul dan terbit: {period}; kolom lain per{" "}
            {formatDay(d.today)}.
          </p>
          <table className="table mt-2" data-testid="region-table">
            <thead>
              <tr>
                <th>
                  <a href={href({ urut: "nama", arah: d.q.urut === "nama" && d.q.arah === "naik" ? "turun" : "naik" })}>
                    Wilayah
                  </a>
                </th>
                {COLS.map((c) => (
                  <th
                    key={c.key}
                    className="text-right whitespace-nowrap"
                    aria-sort={d.q.urut === c.key ? (d.q.arah === "naik" ? "ascending" : "descending") : undefined}
                  >
                    <a href={href({ urut: c.key, arah: d.q.urut === c.key && d.q.arah === "naik" ? "turun" : "naik" })}>
                      {c.label}
                      {c.period && d.q.tahun ? ` ${d.q.tahun}` : ""}
                      {d.q.urut === c.key ? (d.q.arah === "naik" ? " ▲" : " ▼") : ""}
                    </a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => {
                const to = rowHref(r);
                return (
                  <tr key={r.code}>
                    <td>{to ? <a href={to}>{r.name}</a> : r.name}</td>
                    {COLS.map((c) => (
                      <td key={c.key} className="text-right whitespace-nowrap">
                        {c.field === "rate" ? formatRate(r.rate) : n(r[c.field])}
                      </td>
                    ))}
                  </tr>
                );
              })}
              <tr className="font-semibold">
                <td>Jumlah</td>
                {COLS.map((c) => (
                  <td key={c.key} className="text-right whitespace-nowrap">
                    {c.field === "rate" ? formatRate(t.rate) : n(t[c.field])}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </ScrollRegion>
      </div>
      <ScrollRegion label="Kaskade pembinaan">
        <h2 className="text-base">Kaskade pembinaan</h2>
        <p className="text-xs text-stone-600">
          {d.cascade.levels.map((l) => `${CASCADE_LABEL[l].short}: ${CASCADE_LABEL[l].long.toLowerCase()}`).join("; ")}.
          Per {formatDay(d.today)}.
          {d.cascadeMaxAgeMin ? ` Angka nasional dihitung ulang paling lama tiap ${d.cascadeMaxAgeMin} menit.` : ""}
        </p>
        <table className="table mt-1" data-testid="cascade-table">
          <thead>
            <tr>
              <th>Wilayah</th>
              {d.cascade.levels.map((l) => (
                <th key={l} className="text-right">
                  {CASCADE_LABEL[l].short}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...d.rows, { code: "", name: "Jumlah" }].map((r) => (
              <tr key={r.code} className={r.code ? undefined : "font-semibold"}>
                <td>{r.name}</td>
                {d.cascade.levels.map((l) => (
                  <td key={l} className="text-right whitespace-nowrap">
                    {formatRatio((r.code ? d.cascade.rows[r.code] : d.cascade.totals)?.[l] ?? { n: 0, d: 0 })}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div className="card">
        <h2 className="text-base">Tren tingkat sertifikasi</h2>
        <p className="text-xs text-stone-600">
          Pada akhir setiap bulan, {first ? `${formatMonth(first.month)} s.d. ${formatDay(d.today)}` : ""}
          {d.q.bidang ? `, bidang ${SPM_LABEL[d.q.bidang as keyof typeof SPM_LABEL]}` : ""}.
        </p>
        <TrendLine title={`Tingkat sertifikasi ${d.region.name} pada akhir setiap bulan`} points={d.trend} />
        <details className="mt-1 text-sm">
          <summary>Angka tren per bulan</summary>
          <table className="table mt-1" data-testid="trend-table">
            <thead>
              <tr>
                <th>Per tanggal</th>
                <th className="text-right">Berlaku</th>
                <th className="text-right">Aktif</th>
                <th className="text-right">Tingkat</th>
              </tr>
            </thead>
            <tbody>
              {d.trend.map((p) => (
                <tr key={p.month}>
                  <td>{formatDay(p.asOf)}</td>
                  <td className="text-right">{n(p.certified)}</td>
                  <td className="text-right">{n(p.activeKader)}</td>
                  <td className="text-right">{formatRate(p.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="card">
          <h2 className="text-base">Alur pelatihan ({period})</h2>
          <Funnel
            title={`Alur: ${[...FUNNEL_STEPS.slice(0, -1).map((f) => f.label), "Praktik kompeten", ...FUNNEL_STEPS.slice(-1).map((f) => f.label)].join(", ").toLowerCase()}`}
            steps={[
              ...FUNNEL_STEPS.slice(0, -1).map((f) => ({ label: f.label, n: t[f.field] })),
              // Praktik lapangan observed as kompeten (today, whatever the year filter).
              { label: "Praktik kompeten", n: d.practised },
              ...FUNNEL_STEPS.slice(-1).map((f) => ({ label: f.label, n: t[f.field] })),
            ]}
          />
        </div>
        <ScrollRegion label="Per bidang SPM kader">
          <h2 className="text-base">Per bidang SPM kader</h2>
          <table className="table mt-1">
            <thead>
              <tr>
                <th>Bidang</th>
                <th className="text-right">Tingkat</th>
                <th className="text-right">Berlaku</th>
                <th className="text-right">Aktif</th>
                <th className="text-right">Hadir</th>
              </tr>
            </thead>
            <tbody>
              {d.bidang.map((b) => (
                <tr key={b.label}>
                  <td>{b.label}</td>
                  <td className="text-right">{formatRate(b.rate)}</td>
                  <td className="text-right">{n(b.certified)}</td>
                  <td className="text-right">{n(b.activeKader)}</td>
                  <td className="text-right">{n(b.attended)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </div>
      <p className="text-xs text-stone-500">
        Definisi: kader aktif di wilayah ini; terdaftar/hadir = pelatihan program; lulus modul = semua modul wajib
        selesai dan kuisnya lulus; berlaku = sertifikat tidak dicabut dan belum kedaluwarsa; tingkat = berlaku ÷ aktif.
        Terkunci kuis = kesempatan mengerjakan kuis modul wajib habis tanpa lulus.
      </p>
    </>
  );
}
