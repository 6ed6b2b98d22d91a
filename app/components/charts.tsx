/**
 * Charts as server-rendered SVG: no chart library on the page, readable without JS,
 * with text labels for screen readers.
 */
import { formatRate } from "~/features/reporting/figures";

const GREEN = "#047857";
const LIGHT = "#d1fae5";

export function RateBars({ rows, title }: { rows: { label: string; rate: number; href?: string }[]; title: string }) {
  const rowH = 22;
  const labelW = 120;
  const barW = 190;
  const h = rows.length * rowH + 8;
  return (
    <svg viewBox={`0 0 ${labelW + barW + 50} ${h}`} width="100%" role="img" aria-labelledby="rate-title" className="max-w-xl">
      <title id="rate-title">{title}</title>
      {rows.map((r, i) => {
        const y = 4 + i * rowH;
        const w = Math.max(0, Math.min(1, r.rate)) * barW;
        const label = r.label.length > 18 ? r.label.slice(0, 17) + "…" : r.label;
        const bar = (
          <>
            <text x={labelW - 4} y={y + 14} textAnchor="end" fontSize="11" fill="#292524">
              {label}
            </text>
            <rect x={labelW} y={y + 3} width={barW} height={rowH - 8} fill={LIGHT} rx="2" />
            <rect x={labelW} y={y + 3} width={w} height={rowH - 8} fill={GREEN} rx="2" />
            <text x={labelW + barW + 4} y={y + 14} fontSize="11" fill="#292524">
              {formatRate(r.rate)}
            </text>
          </>
        );
        return <g key={r.label + i}>{r.href ? <a href={r.href}>{bar}</a> : bar}</g>;
      })}
    </svg>
  );
}

export function Funnel({ steps, title }: { steps: { label: string; n: number }[]; title: string }) {
  const max = Math.max(1, ...steps.map((s) => s.n));
  const rowH = 30;
  const width = 340;
  return (
    <svg viewBox={`0 0 ${width} ${steps.length * rowH + 4}`} width="100%" role="img" aria-labelledby="funnel-title" className="max-w-md">
      <title id="funnel-title">{title}</title>
      {steps.map((s, i) => {
        const w = Math.max(2, (s.n / max) * (width - 20));
        const x = (width - w) / 2;
        return (
          <g key={s.label}>
            <rect x={x} y={2 + i * rowH} width={w} height={rowH - 4} fill={["#d1fae5", "#a7f3d0", "#6ee7b7", "#34d399"][i] ?? "#34d399"} rx="3" />
            <text x={width / 2} y={2 + i * rowH + 17} textAnchor="middle" fontSize="11" fill="#064e3b" fontWeight="600">
              {s.label}: {s.n.toLocaleString("id-ID")}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

const MONTH_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];

export function MonthBars({ data, title }: { data: { month: string; n: number }[]; title: string }) {
  const max = Math.max(1, ...data.map((d) => d.n));
  const colW = 26;
  const h = 120;
  return (
    <svg viewBox={`0 0 ${data.length * colW + 4} ${h + 30}`} width="100%" role="img" aria-labelledby="month-title" className="max-w-md">
      <title id="month-title">{title}</title>
      {data.map((d, i) => {
        const bh = (d.n / max) * h;
        const x = 2 + i * colW;
        return (
          <g key={d.month}>
            <rect x={x + 3} y={h - bh + 12} width={colW - 6} height={bh} fill={GREEN} rx="2">
              <title>{`${d.month}: ${d.n}`}</title>
            </rect>
            {d.n ? (
              <text x={x + colW / 2} y={h - bh + 9} textAnchor="middle" fontSize="8" fill="#292524">
                {d.n.toLocaleString("id-ID")}
              </text>
            ) : null}
            <text x={x + colW / 2} y={h + 25} textAnchor="middle" fontSize="9" fill="#57534e">
              {MONTH_SHORT[Number(d.month.slice(5)) - 1]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
