/**
 * Pictures for modules: inline SVG drawn on the server from plain string props (no
 * images, no external requests, no client JS). Each is a <figure> with a visible
 * caption and an SVG that carries its own <title> and <desc> (the text alternative).
 * Drawn in a 320-unit wide box, so on a 360 px phone one unit is about one pixel and
 * the 13-14 unit text stays readable.
 */
import { slugify } from "~/features/catalogue/headings";

const INK = "#064e3b";
const LINE = "#047857";
const FILL = "#ecfdf5";
const W = 320;

/** "A | B | C" -> ["A", "B", "C"] (the MDX prop format: strings only, no expressions). */
export function splitItems(list: string | undefined): string[] {
  return (list ?? "")
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Greedy word wrap by characters (SVG text does not wrap by itself). */
export function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function Figure({
  id,
  judul,
  desc,
  height,
  children,
}: {
  id: string;
  judul: string;
  desc: string;
  height: number;
  children: React.ReactNode;
}) {
  return (
    <figure className="diagram my-5">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        style={{ maxWidth: 440, height: "auto", display: "block" }}
        fontFamily="system-ui, sans-serif"
      >
        <title id={`${id}-t`}>{judul}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {children}
      </svg>
      <figcaption className="mt-1 text-sm text-stone-600">Gambar: {judul}</figcaption>
    </figure>
  );
}

function Lines({
  x,
  y,
  lines,
  size,
  anchor = "start",
  weight,
}: {
  x: number;
  y: number;
  lines: string[];
  size: number;
  anchor?: "start" | "middle";
  weight?: number;
}) {
  return (
    <text x={x} y={y} fontSize={size} fill={INK} textAnchor={anchor} fontWeight={weight}>
      {lines.map((l, i) => (
        <tspan key={i} x={x} dy={i === 0 ? 0 : size * 1.3}>
          {l}
        </tspan>
      ))}
    </text>
  );
}

/** A vertical flow of numbered steps: `<Alur judul="…" langkah="A | B | C" />`. */
export function Alur({ judul, langkah }: { judul: string; langkah: string }) {
  const steps = splitItems(langkah);
  const size = 14;
  const lineH = size * 1.3;
  let y = 4;
  const boxes = steps.map((s, i) => {
    const lines = wrap(s, 34);
    const h = 14 + lines.length * lineH;
    const box = { y, h, lines, n: i + 1 };
    y += h + 22;
    return box;
  });
  const height = y - 22 + 4;
  return (
    <Figure
      id={`alur-${slugify(judul)}`}
      judul={judul}
      desc={steps.map((s, i) => `${i + 1}. ${s}`).join(" ")}
      height={height}
    >
      {boxes.map((b, i) => (
        <g key={b.n}>
          <rect x={2} y={b.y} width={W - 4} height={b.h} rx={8} fill={FILL} stroke={LINE} strokeWidth={1.5} />
          <circle cx={22} cy={b.y + b.h / 2} r={12} fill={LINE} />
          <text x={22} y={b.y + b.h / 2 + 5} fontSize={14} fill="#fff" textAnchor="middle" fontWeight={700}>
            {b.n}
          </text>
          <Lines x={44} y={b.y + 7 + size} lines={b.lines} size={size} />
          {i < boxes.length - 1 ? (
            <path d={`M${W / 2} ${b.y + b.h + 3} v14 m-6 -7 l6 7 l6 -7`} stroke={LINE} strokeWidth={2} fill="none" />
          ) : null}
        </g>
      ))}
    </Figure>
  );
}

/** One box with branches below in two columns: `<Bagan judul="…" pusat="…" cabang="A | B | C" />`. */
export function Bagan({ judul, pusat, cabang }: { judul: string; pusat: string; cabang: string }) {
  const items = splitItems(cabang);
  const size = 13;
  const lineH = size * 1.3;
  const topLines = wrap(pusat, 36);
  const topH = 14 + topLines.length * lineH;
  const colW = (W - 4 - 10) / 2;
  let y = topH + 4 + 24;
  const rows: { y: number; h: number; cells: { x: number; lines: string[] }[] }[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const cells = items.slice(i, i + 2).map((t, j) => ({ x: 2 + j * (colW + 10), lines: wrap(t, 19) }));
    const h = 12 + Math.max(...cells.map((c) => c.lines.length)) * lineH;
    rows.push({ y, h, cells });
    y += h + 10;
  }
  const height = y - 10 + 4;
  const busY = topH + 4 + 12;
  return (
    <Figure id={`bagan-${slugify(judul)}`} judul={judul} desc={`${pusat}: ${items.join(", ")}.`} height={height}>
      <rect x={2} y={4} width={W - 4} height={topH} rx={8} fill={LINE} />
      <text x={W / 2} y={4 + 7 + size} fontSize={size + 1} fill="#fff" textAnchor="middle" fontWeight={700}>
        {topLines.map((l, i) => (
          <tspan key={i} x={W / 2} dy={i === 0 ? 0 : lineH}>
            {l}
          </tspan>
        ))}
      </text>
      <path
        d={`M${W / 2} ${topH + 4} V${busY} M${2 + colW / 2} ${busY} H${W - 2 - colW / 2}`}
        stroke={LINE}
        strokeWidth={1.5}
        fill="none"
      />
      {rows.map((r, ri) =>
        r.cells.map((c, ci) => (
          <g key={`${ri}-${ci}`}>
            {ri === 0 ? <path d={`M${c.x + colW / 2} ${busY} V${r.y}`} stroke={LINE} strokeWidth={1.5} /> : null}
            <rect x={c.x} y={r.y} width={colW} height={r.h} rx={6} fill={FILL} stroke={LINE} strokeWidth={1.2} />
            <Lines x={c.x + 8} y={r.y + 6 + size} lines={c.lines} size={size} />
          </g>
        )),
      )}
    </Figure>
  );
}

/** A numbered dot that marks a line of the growth chart. */
function Num({ x, y, n, color }: { x: number; y: number; n: string; color: string }) {
  return (
    <g>
      <circle cx={x} cy={y} r={9} fill={color} />
      <text x={x} y={y + 4.5} fontSize={12} fill="#fff" textAnchor="middle" fontWeight={700}>
        {n}
      </text>
    </g>
  );
}

const RED = "#b91c1c";
const ORANGE = "#c2410c";
const BAND = "#dcfce7";

/**
 * The two reference lines of the sketch, in kg by month 0–24 (rounded from the WHO
 * weight-for-age curves for boys; the Buku KIA chart the kader uses is the reference):
 * below the red line or above the orange line, the child is referred.
 */
export const GARIS_MERAH = [
  2.1, 2.9, 3.8, 4.4, 4.9, 5.3, 5.7, 5.9, 6.2, 6.4, 6.6, 6.8, 6.9, 7.1, 7.2, 7.4, 7.5, 7.7, 7.8, 8.0, 8.1, 8.2, 8.4,
  8.5, 8.6,
];
export const GARIS_ORANYE = [
  3.9, 5.1, 6.3, 7.2, 7.8, 8.4, 8.8, 9.2, 9.6, 9.9, 10.2, 10.5, 10.8, 11.1, 11.3, 11.6, 11.8, 12.0, 12.3, 12.5, 12.7,
  13.0, 13.2, 13.4, 13.6,
];

/** Kilograms as kader write them: "6,2 kg". */
export function kg(n: number): string {
  return `${n.toLocaleString("id-ID", { minimumFractionDigits: 1, maximumFractionDigits: 2 })} kg`;
}

/** Where a point lies against the two lines, in words (for the text alternative). */
export function letakTitik(month: number, weight: number): string {
  if (weight < GARIS_MERAH[month]) return "di bawah garis merah";
  if (weight > GARIS_ORANYE[month]) return "di atas garis oranye";
  return "di antara garis merah dan garis oranye";
}

/** The part of the chart drawn: months m0..m1, kilograms yMin..yMax, a y tick every `step` kg. */
interface ChartWindow {
  m0: number;
  m1: number;
  yMin: number;
  yMax: number;
  step: number;
}

/** Axes, the band between the red and the orange line (clipped to the window), and the legend: the frame of both charts. */
function ChartFrame({
  id,
  judul,
  desc,
  legend,
  win,
  children,
}: {
  id: string;
  judul: string;
  desc: string;
  legend: [string, string, string | undefined, string][];
  win: ChartWindow;
  children: (px: (m: number) => number, py: (kgValue: number) => number) => React.ReactNode;
}) {
  const top = 14;
  const bottom = 190;
  const left = 40;
  const right = W - 10;
  const px = (m: number) => left + ((m - win.m0) / (win.m1 - win.m0)) * (right - left);
  const py = (v: number) => bottom - ((v - win.yMin) / (win.yMax - win.yMin)) * (bottom - top);
  const months = Array.from({ length: win.m1 - win.m0 + 1 }, (_, i) => win.m0 + i);
  const line = (ys: number[]) => months.map((m) => `${px(m).toFixed(1)},${py(ys[m]).toFixed(1)}`).join(" ");
  const band = `${line(GARIS_ORANYE)} ${[...months]
    .reverse()
    .map((m) => `${px(m).toFixed(1)},${py(GARIS_MERAH[m]).toFixed(1)}`)
    .join(" ")}`;
  const ticks: number[] = [];
  for (let v = Math.ceil(win.yMin / win.step) * win.step; v <= win.yMax + 1e-9; v += win.step) ticks.push(v);
  const span = win.m1 - win.m0;
  const monthTicks = months.filter((m) => span <= 8 || m % (span <= 12 ? 2 : 6) === 0);
  const legendTop = 236;
  const clip = `${id}-c`;
  return (
    <Figure id={id} judul={judul} desc={desc} height={legendTop + legend.length * 18 + 4}>
      <defs>
        <clipPath id={clip}>
          <rect x={left} y={top} width={right - left} height={bottom - top} />
        </clipPath>
      </defs>
      <g clipPath={`url(#${clip})`}>
        <polygon points={band} fill={BAND} />
        <polyline points={line(GARIS_MERAH)} fill="none" stroke={RED} strokeWidth={2} />
        <polyline points={line(GARIS_ORANYE)} fill="none" stroke={ORANGE} strokeWidth={2} strokeDasharray="7 3" />
      </g>
      <path d={`M${left} ${top} V${bottom} H${right}`} stroke="#44403c" strokeWidth={1.2} fill="none" />
      {ticks.map((v) => (
        <text key={v} x={34} y={py(v) + 4} fontSize={11} fill="#44403c" textAnchor="end">
          {v.toLocaleString("id-ID")}
        </text>
      ))}
      <text x={2} y={top - 2} fontSize={11} fill="#44403c">
        kg
      </text>
      {monthTicks.map((m) => (
        <text key={m} x={px(m)} y={bottom + 15} fontSize={12} fill="#44403c" textAnchor="middle">
          {m}
        </text>
      ))}
      <text x={(left + right) / 2} y={bottom + 30} fontSize={12} fill="#44403c" textAnchor="middle">
        umur (bulan)
      </text>
      {children(px, py)}
      {legend.map(([n, color, dash, text], i) => (
        <g key={`${n}-${text}`}>
          <line
            x1={8}
            x2={34}
            y1={legendTop + i * 18}
            y2={legendTop + i * 18}
            stroke={color}
            strokeWidth={2.5}
            strokeDasharray={dash}
          />
          <text x={40} y={legendTop + 4.5 + i * 18} fontSize={13} fill={INK}>
            {n ? `${n}. ` : ""}
            {text}
          </text>
        </g>
      ))}
    </Figure>
  );
}

/**
 * The window of an item's chart: the points' months with two months either side (at least
 * six months shown), and the kilograms of the points and of both lines in those months, so the
 * gain from point to point and the distance to the lines can be read on a phone.
 */
export function chartWindow(points: [number, number][]): ChartWindow {
  let m0 = Math.max(0, points[0][0] - 2);
  let m1 = Math.min(24, points[points.length - 1][0] + 2);
  while (m1 - m0 < 6) {
    if (m0 > 0) m0--;
    if (m1 - m0 < 6 && m1 < 24) m1++;
  }
  const inWindow = (ys: number[]) => ys.slice(m0, m1 + 1);
  const lo = Math.min(...points.map((p) => p[1]), ...inWindow(GARIS_MERAH));
  const hi = Math.max(...points.map((p) => p[1]), ...inWindow(GARIS_ORANYE));
  const step = hi - lo > 6 ? 2 : hi - lo > 3 ? 1 : 0.5;
  return { m0, m1, yMin: Math.floor((lo - 0.3) / step) * step, yMax: Math.ceil((hi + 0.3) / step) * step, step };
}

const REFERENCE_LEGEND: [string, string, string | undefined, string][] = [
  ["", RED, undefined, "garis merah: di bawahnya, rujuk"],
  ["", ORANGE, "7 3", "garis oranye: di atasnya, rujuk"],
];

/**
 * A sketch of a weight-for-age chart for the module: the band between the red and the
 * orange line and three children's lines (N: rising with the band; T: flat; T: falling),
 * numbered, with a legend below. Not the official chart: the kader uses the Buku KIA.
 */
export function GrafikPertumbuhan() {
  const naik: [number, number][] = [
    [0, 3.3],
    [2, 5.5],
    [4, 6.9],
    [6, 7.8],
    [8, 8.5],
  ];
  const datar: [number, number][] = [
    [10, 8.9],
    [11, 8.9],
    [12, 8.9],
  ];
  const turun: [number, number][] = [
    [18, 10.4],
    [19, 10.1],
    [20, 9.8],
  ];
  return (
    <ChartFrame
      id="grafik-pertumbuhan"
      judul="Sketsa grafik berat badan menurut umur"
      win={{ m0: 0, m1: 24, yMin: 2, yMax: 14, step: 2 }}
      desc="Pita hijau di antara garis merah (bawah) dan garis oranye (atas). Garis 1 naik mengikuti arah pita: N (naik), puji orang tuanya. Garis 2 mendatar dari umur 10 sampai 12 bulan: T (tidak naik); satu kali T sudah cukup untuk menyampaikan kepada bidan hari itu. Garis 3 turun dari umur 18 sampai 20 bulan: T; sampaikan kepada bidan hari itu. Titik di bawah garis merah atau di atas garis oranye juga dirujuk. Ini sketsa; pakai grafik di Buku KIA."
      legend={[
        ["1", LINE, undefined, "naik mengikuti pita: N (naik)"],
        ["2", "#b45309", "6 3", "mendatar: T, rujuk hari itu"],
        ["3", RED, "2 3", "turun: T, rujuk hari itu"],
        ...REFERENCE_LEGEND,
      ]}
    >
      {(px, py) => {
        const pts = (list: [number, number][]) =>
          list.map(([m, v]) => `${px(m).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
        return (
          <>
            <polyline points={pts(naik)} fill="none" stroke={LINE} strokeWidth={2.5} />
            <polyline points={pts(datar)} fill="none" stroke="#b45309" strokeWidth={2.5} strokeDasharray="6 3" />
            <polyline points={pts(turun)} fill="none" stroke={RED} strokeWidth={2.5} strokeDasharray="2 3" />
            <Num x={px(8) + 2} y={py(8.5) + 20} n="1" color={LINE} />
            <Num x={px(12) + 12} y={py(8.9) + 14} n="2" color="#b45309" />
            <Num x={px(20) + 12} y={py(9.8) + 10} n="3" color={RED} />
          </>
        );
      }}
    </ChartFrame>
  );
}

/**
 * One child's weight line, for a quiz item (`chart:` in quiz.yaml): the same frame, each
 * point labelled with its weight, and a text alternative that lists every point and where
 * it lies against the two lines.
 */
export function GrafikBerat({
  points,
  name,
  idSuffix,
}: {
  points: [number, number][];
  name: string;
  idSuffix: string;
}) {
  const win = chartWindow(points);
  const desc = `Berat badan ${name}: ${points
    .map(([m, v]) => `umur ${m} bulan ${kg(v)}, ${letakTitik(m, v)}`)
    .join("; ")}.`;
  return (
    <ChartFrame
      id={`grafik-${idSuffix}`}
      judul={`Grafik berat badan ${name}`}
      win={win}
      desc={desc}
      legend={[["", "#1e3a8a", undefined, `berat badan ${name}`], ...REFERENCE_LEGEND]}
    >
      {(px, py) => (
        <>
          <polyline
            points={points.map(([m, v]) => `${px(m).toFixed(1)},${py(v).toFixed(1)}`).join(" ")}
            fill="none"
            stroke="#1e3a8a"
            strokeWidth={2}
          />
          {points.map(([m, v], i) => (
            <g key={m}>
              <circle cx={px(m)} cy={py(v)} r={3.5} fill="#1e3a8a" />
              <text x={px(m)} y={py(v) + (i % 2 ? 16 : -8)} fontSize={10.5} fill="#1e3a8a" textAnchor="middle">
                {v.toLocaleString("id-ID", { minimumFractionDigits: 1 })}
              </text>
            </g>
          ))}
        </>
      )}
    </ChartFrame>
  );
}
