/**
 * Charts as server-rendered SVG: no chart library on the page, readable without JS,
 * with text labels for screen readers.
 */
import { formatNumber } from "~/lib/number-format";
import { formatDay, formatMonthShort, formatRate, type MapShape } from "~/features/reporting/figures";
import { labelPoint, NO_KADER, niceTicks, rateScale } from "~/features/reporting/map-scale";

const GREEN = "#047857";
const LIGHT = "#d1fae5";

export function RateBars({ rows, title }: { rows: { label: string; rate: number; href?: string }[]; title: string }) {
  const rowH = 22;
  const labelW = 120;
  const barW = 190;
  const h = rows.length * rowH + 8;
  // Bars that link to a drill-down make a labelled group of links (role="img" may not hold links).
  const linked = rows.some((r) => r.href);
  return (
    <svg
      viewBox={`0 0 ${labelW + barW + 50} ${h}`}
      width="100%"
      role={linked ? "group" : "img"}
      aria-labelledby="rate-title"
      className="max-w-xl"
    >
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
    <svg
      viewBox={`0 0 ${width} ${steps.length * rowH + 4}`}
      width="100%"
      role="img"
      aria-labelledby="funnel-title"
      className="max-w-md"
    >
      <title id="funnel-title">{title}</title>
      {steps.map((s, i) => {
        const w = Math.max(2, (s.n / max) * (width - 20));
        const x = (width - w) / 2;
        return (
          <g key={s.label}>
            <rect
              x={x}
              y={2 + i * rowH}
              width={w}
              height={rowH - 4}
              fill={["#d1fae5", "#a7f3d0", "#6ee7b7", "#34d399"][i] ?? "#34d399"}
              rx="3"
            />
            <text x={width / 2} y={2 + i * rowH + 17} textAnchor="middle" fontSize="11" fill="#064e3b" fontWeight="600">
              {s.label}: {formatNumber(s.n)}
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
    <svg
      viewBox={`0 0 ${data.length * colW + 4} ${h + 30}`}
      width="100%"
      role="img"
      aria-labelledby="month-title"
      className="max-w-md"
    >
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
                {formatNumber(d.n)}
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

/**
 * Choropleth of the certification rate of child regions, classed from the rates present
 * (map-scale.ts). Every area carries a number (the key below lists name,
 * rate and counts), a name and rate on hover (<title>) and for screen readers (aria-label),
 * and links to its drill-down. The svg is a labelled group, not role="img": it holds links.
 */
export function RateMap({
  shape,
  rows,
  title,
  legend = "Tingkat sertifikasi",
  emptyLabel = "tanpa kader",
}: {
  shape: MapShape;
  /** activeKader/certified: the rate's denominator and numerator (kader, or a level of the cascade). */
  rows: { code: string; name: string; rate: number; activeKader: number; certified?: number; href: string | null }[];
  title: string;
  /** What the colours show (the key's first words) and what an area with a denominator of 0 is called. */
  legend?: string;
  emptyLabel?: string;
}) {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const areas = shape.areas.map((a, i) => {
    const r = byCode.get(a.code);
    const withKader = !!r && r.activeKader > 0;
    return { ...a, n: i + 1, r, withKader, value: !r ? "tanpa data" : withKader ? formatRate(r.rate) : emptyLabel };
  });
  const scale = rateScale(areas.filter((a) => a.withKader).map((a) => a.r!.rate));
  const noKader = areas.some((a) => !a.withKader);
  const n = (v: number) => formatNumber(v);
  return (
    <figure className="m-0">
      {/* biome-ignore lint/a11y/useSemanticElements: an svg of links is a labelled group; role="img" may not hold links */}
      <svg
        viewBox={`0 0 ${shape.width} ${shape.height}`}
        width="100%"
        role="group"
        aria-labelledby="map-title"
        className="max-h-[70vh] [&_a:focus-visible_path]:stroke-black [&_a:focus-visible_path]:[stroke-width:3] [&_a:hover_path]:stroke-stone-900"
      >
        <title id="map-title">{title}</title>
        {noKader ? (
          <defs>
            <pattern id="map-no-kader" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill={NO_KADER.background} />
              <path d="M1.5 0V6" stroke={NO_KADER.stripe} strokeWidth="3" />
            </pattern>
          </defs>
        ) : null}
        {areas.map((a) => {
          const label = `${a.r?.name ?? a.code}: ${a.value}`;
          const path = a.withKader ? (
            <path key="p" d={a.d} fill={scale.classOf(a.r!.rate).fill} stroke="#fff" strokeLinejoin="round" />
          ) : (
            <path
              key="p"
              d={a.d}
              fill="url(#map-no-kader)"
              stroke={NO_KADER.border}
              strokeDasharray="3 2"
              strokeLinejoin="round"
            />
          );
          return a.r?.href ? (
            <a key={a.code} href={a.r.href} aria-label={label} data-code={a.code}>
              <title>{label}</title>
              {path}
            </a>
          ) : (
            <g key={a.code}>
              <title>{label}</title>
              {path}
            </g>
          );
        })}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: text only, nothing focusable; the links carry name and rate */}
        <g
          aria-hidden="true"
          pointerEvents="none"
          fontSize="14"
          fontWeight="600"
          textAnchor="middle"
          fill="#1c1917"
          stroke="#fff"
          strokeWidth="3"
          strokeLinejoin="round"
          paintOrder="stroke"
        >
          {areas.map((a) => {
            const p = labelPoint(a.d);
            return p ? (
              <text key={a.code} x={p[0]} y={p[1] + 5}>
                {a.n}
              </text>
            ) : null;
          })}
        </g>
      </svg>
      <figcaption className="mt-1 text-xs text-stone-700">
        <p className="flex flex-wrap gap-x-3 gap-y-1">
          <span>{legend}:</span>
          {scale.classes.map((c) => (
            <span key={c.label} className="inline-flex items-center gap-1">
              <span
                aria-hidden="true"
                className="inline-block h-3 w-3 border border-stone-300"
                style={{ background: c.fill }}
              />
              {c.label}
            </span>
          ))}
          {noKader ? (
            <span className="inline-flex items-center gap-1">
              <span
                aria-hidden="true"
                className="inline-block h-3 w-3 border border-dashed"
                style={{
                  borderColor: NO_KADER.border,
                  background: `repeating-linear-gradient(45deg,${NO_KADER.background} 0 2px,${NO_KADER.stripe} 2px 4px)`,
                }}
              />
              {emptyLabel}
            </span>
          ) : null}
        </p>
        <ol className="mt-2 list-decimal pl-6 sm:columns-2">
          {areas.map((a) => (
            <li key={a.code}>
              {a.r?.href ? <a href={a.r.href}>{a.r.name}</a> : (a.r?.name ?? a.code)} — {a.value}
              {a.withKader && a.r!.certified !== undefined ? ` (${n(a.r!.certified)} dari ${n(a.r!.activeKader)})` : ""}
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}

/** The certification rate at each month's end as a line, with month and year on the axis. */
export function TrendLine({
  points,
  title,
}: {
  points: { month: string; asOf: string; rate: number; certified: number; activeKader: number }[];
  title: string;
}) {
  const w = 600;
  const h = 170;
  const left = 34;
  const top = 8;
  const bottom = 30;
  const plotW = w - left - 28;
  const plotH = h - top - bottom;
  // Round ticks (0%, 5%, 10%, 15%, 20%…) up to at least 10%, at most 100%.
  const ticks = niceTicks(Math.min(1, Math.max(0.1, ...points.map((p) => p.rate))));
  const max = ticks[ticks.length - 1];
  const x = (i: number) => left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (rate: number) => top + plotH - (rate / max) * plotH;
  const step = Math.max(1, Math.ceil(points.length / 6));
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-labelledby="trend-title">
      <title id="trend-title">{title}</title>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} stroke="#e7e5e4" />
          <text x={left - 4} y={y(t) + 3} textAnchor="end" fontSize="10" fill="#57534e">
            {`${formatNumber(t * 100, undefined, 1)}%`}
          </text>
        </g>
      ))}
      <polyline
        fill="none"
        stroke={GREEN}
        strokeWidth="2"
        points={points.map((p, i) => `${x(i).toFixed(1)},${y(p.rate).toFixed(1)}`).join(" ")}
      />
      {points.map((p, i) => (
        <circle key={p.month} cx={x(i)} cy={y(p.rate)} r="3" fill={GREEN}>
          <title>{`${formatDay(p.asOf)}: ${formatRate(p.rate)} (${formatNumber(p.certified)} dari ${formatNumber(p.activeKader)})`}</title>
        </circle>
      ))}
      {points.map((p, i) =>
        (points.length - 1 - i) % step === 0 ? (
          <text key={`l${p.month}`} x={x(i)} y={h - 12} textAnchor="middle" fontSize="10" fill="#57534e">
            {formatMonthShort(p.month)}
          </text>
        ) : null,
      )}
    </svg>
  );
}
