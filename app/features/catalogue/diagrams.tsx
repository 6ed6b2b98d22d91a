/**
 * Pictures for modules, drawn on the server from plain string props (no
 * images, no external requests, no client JS). Each is a <figure> with a visible
 * caption: a flow (Alur) is an HTML list; the others are an SVG that carries its own <title>
 * and <desc> (the text alternative), drawn in a 320-unit wide box, so on a 360 px phone one unit is about one pixel and
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

/**
 * A coordinate as written in the SVG: one decimal at most, no trailing ".0" (a unit is about
 * a pixel on a phone; 74.30000000000001 and 40.0 cost bytes on every module page).
 */
export function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/**
 * An SVG path through `points` (user units): the first point absolute, then each step relative
 * to the one before ("l11.3-17.6 11.2-17.6…"), every coordinate to a tenth. Relative steps repeat
 * (the months are evenly spaced), so they compress far better than a polyline's absolute pairs:
 * the growth chart is ~0.2 KB lighter on its module page. `close` ends the path (a filled area).
 */
export function pathThrough(points: [number, number][], close = false): string {
  const tenths = points.map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)]);
  const num = (t: number) => String(t / 10);
  // Numbers in a row need a space only where the next one has no minus sign.
  const join = (parts: string[]) => parts.reduce((acc, p) => acc + (acc && !p.startsWith("-") ? " " : "") + p, "");
  const [x0, y0] = tenths[0];
  const steps = tenths.slice(1).map(([x, y], i) => join([num(x - tenths[i][0]), num(y - tenths[i][1])]));
  const d = `M${num(x0)} ${num(y0)}${steps.length ? `l${join(steps)}` : ""}`;
  return close ? `${d}Z` : d;
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
        viewBox={`0 0 ${W} ${n(height)}`}
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

/**
 * Lines of text from (x, y) down, one <text> each. Size, colour and anchor come from the
 * enclosing <g> (presentation attributes are inherited), so they are written once per picture.
 */
function Lines({ x, y, lines, lineH }: { x: number; y: number; lines: string[]; lineH: number }) {
  return (
    <>
      {lines.map((l, i) => (
        <text key={i} x={n(x)} y={n(y + i * lineH)}>
          {l}
        </text>
      ))}
    </>
  );
}

/**
 * A vertical flow of numbered steps: `<Alur judul="…" langkah="A | B | C" />`. Plain HTML, not
 * SVG: an ordered list drawn as boxes joined by arrows (kader.css, .alur), so each step's text is
 * sent once (an SVG carried it twice, in its text alternative and in its lines) and wraps to the
 * screen by itself: a five-step flow is ~0.15 KB after gzip instead of ~0.5 KB.
 */
export function Alur({ judul, langkah }: { judul: string; langkah: string }) {
  const steps = splitItems(langkah);
  const id = `alur-${slugify(judul)}`;
  return (
    <figure className="diagram my-5" aria-labelledby={id}>
      {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops the list role of a list drawn without markers. */}
      <ol className="alur" role="list">
        {steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <figcaption id={id} className="mt-1 text-sm text-stone-600">
        Gambar: {judul}
      </figcaption>
    </figure>
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
  const cells = rows.flatMap((r, ri) =>
    r.cells.map((c, ci) => ({ ...c, y: r.y, h: r.h, key: `${ri}-${ci}`, first: ri === 0 })),
  );
  const wires =
    `M${W / 2} ${n(topH + 4)}V${n(busY)}M${n(2 + colW / 2)} ${n(busY)}H${n(W - 2 - colW / 2)}` +
    cells
      .filter((c) => c.first)
      .map((c) => `M${n(c.x + colW / 2)} ${n(busY)}V${n(c.y)}`)
      .join("");
  return (
    <Figure id={`bagan-${slugify(judul)}`} judul={judul} desc={`${pusat}: ${items.join(", ")}.`} height={height}>
      <rect x={2} y={4} width={W - 4} height={n(topH)} rx={8} fill={LINE} />
      <g fontSize={size + 1} fill="#fff" textAnchor="middle" fontWeight={700}>
        <Lines x={W / 2} y={4 + 7 + size} lines={topLines} lineH={lineH} />
      </g>
      <path d={wires} stroke={LINE} strokeWidth={1.5} fill="none" />
      <g fill={FILL} stroke={LINE} strokeWidth={1.2}>
        {cells.map((c) => (
          <rect key={c.key} x={n(c.x)} y={n(c.y)} width={n(colW)} height={n(c.h)} rx={6} />
        ))}
      </g>
      <g fontSize={size} fill={INK}>
        {cells.map((c) => (
          <Lines key={c.key} x={c.x + 8} y={c.y + 6 + size} lines={c.lines} lineH={lineH} />
        ))}
      </g>
    </Figure>
  );
}

/** Numbered dots that mark the lines of the growth chart. */
function Nums({ dots }: { dots: { x: number; y: number; n: string; color: string }[] }) {
  return (
    <>
      {dots.map((d) => (
        <circle key={d.n} cx={n(d.x)} cy={n(d.y)} r={9} fill={d.color} />
      ))}
      <g fontSize={12} fill="#fff" textAnchor="middle" fontWeight={700}>
        {dots.map((d) => (
          <text key={d.n} x={n(d.x)} y={n(d.y + 4.5)}>
            {d.n}
          </text>
        ))}
      </g>
    </>
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
  const at =
    (ys: number[]) =>
    (m: number): [number, number] => [px(m), py(ys[m])];
  const line = (ys: number[]) => pathThrough(months.map(at(ys)));
  const band = pathThrough([...months.map(at(GARIS_ORANYE)), ...[...months].reverse().map(at(GARIS_MERAH))], true);
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
      <g clipPath={`url(#${clip})`} fill="none" strokeWidth={2}>
        <path d={band} fill={BAND} stroke="none" />
        <path d={line(GARIS_MERAH)} stroke={RED} />
        <path d={line(GARIS_ORANYE)} stroke={ORANGE} strokeDasharray="7 3" />
      </g>
      <path d={`M${left} ${top}V${bottom}H${right}`} stroke="#44403c" strokeWidth={1.2} fill="none" />
      <g fontSize={11} fill="#44403c" textAnchor="end">
        {ticks.map((v) => (
          <text key={v} x={34} y={n(py(v) + 4)}>
            {v.toLocaleString("id-ID")}
          </text>
        ))}
      </g>
      <text x={2} y={top - 2} fontSize={11} fill="#44403c">
        kg
      </text>
      <g fontSize={12} fill="#44403c" textAnchor="middle">
        {monthTicks.map((m) => (
          <text key={m} x={n(px(m))} y={bottom + 15}>
            {m}
          </text>
        ))}
        <text x={(left + right) / 2} y={bottom + 30}>
          umur (bulan)
        </text>
      </g>
      {children(px, py)}
      <g strokeWidth={2.5}>
        {legend.map(([num, color, dash, text], i) => (
          <path key={`${num}-${text}`} d={`M8 ${legendTop + i * 18}H34`} stroke={color} strokeDasharray={dash} />
        ))}
      </g>
      <g fontSize={13} fill={INK}>
        {legend.map(([num, , , text], i) => (
          <text key={`${num}-${text}`} x={40} y={n(legendTop + 4.5 + i * 18)}>
            {num ? `${num}. ` : ""}
            {text}
          </text>
        ))}
      </g>
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
        const pts = (list: [number, number][]) => pathThrough(list.map(([m, v]) => [px(m), py(v)]));
        return (
          <>
            <g fill="none" strokeWidth={2.5}>
              <path d={pts(naik)} stroke={LINE} />
              <path d={pts(datar)} stroke="#b45309" strokeDasharray="6 3" />
              <path d={pts(turun)} stroke={RED} strokeDasharray="2 3" />
            </g>
            <Nums
              dots={[
                { x: px(8) + 2, y: py(8.5) + 20, n: "1", color: LINE },
                { x: px(12) + 12, y: py(8.9) + 14, n: "2", color: "#b45309" },
                { x: px(20) + 12, y: py(9.8) + 10, n: "3", color: RED },
              ]}
            />
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
          <path d={pathThrough(points.map(([m, v]) => [px(m), py(v)]))} fill="none" stroke="#1e3a8a" strokeWidth={2} />
          <g fill="#1e3a8a">
            {points.map(([m, v]) => (
              <circle key={m} cx={n(px(m))} cy={n(py(v))} r={3.5} />
            ))}
          </g>
          <g fontSize={10.5} fill="#1e3a8a" textAnchor="middle">
            {points.map(([m, v], i) => (
              <text key={m} x={n(px(m))} y={n(py(v) + (i % 2 ? 16 : -8))}>
                {v.toLocaleString("id-ID", { minimumFractionDigits: 1 })}
              </text>
            ))}
          </g>
        </>
      )}
    </ChartFrame>
  );
}
