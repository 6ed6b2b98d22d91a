/**
 * Pictures for modules: inline SVG drawn on the server from plain string props (no
 * images, no external requests, no client JS). Each is a <figure> with a visible
 * caption and an SVG that carries its own <title> and <desc> (the text alternative).
 * Drawn in a 320-unit wide box, so on a 360 px phone one unit is about one pixel and
 * the 13-14 unit text stays readable.
 */
import { slugify } from "~/features/learning/headings";

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

/**
 * A sketch of a weight-for-age chart: a reference band and three children's lines
 * (rising, flat, falling), numbered, with a legend below. Not the official chart: the
 * kader uses the one in the Buku KIA.
 */
export function GrafikPertumbuhan() {
  const px = (m: number) => 40 + m * 10.8; // months 0..24
  const mid = (m: number) => 170 - 110 * (1 - Math.exp(-m / 8)); // y of the band's middle
  const pts = (list: [number, number][]) => list.map(([m, y]) => `${px(m).toFixed(1)},${y.toFixed(1)}`).join(" ");
  const months = Array.from({ length: 25 }, (_, m) => m);
  const band = pts([
    ...months.map((m): [number, number] => [m, mid(m) - 14]),
    ...[...months].reverse().map((m): [number, number] => [m, mid(m) + 14]),
  ]);
  const naik = pts([0, 2, 4, 6, 8].map((m) => [m, mid(m)]));
  const datar = pts([10, 12, 14, 16].map((m) => [m, mid(10)]));
  const turun = pts([18, 20, 22, 24].map((m, i) => [m, mid(18) + 4 + i * 7]));
  const legend: [string, string, string | undefined, string][] = [
    ["1", LINE, undefined, "naik mengikuti pita: baik"],
    ["2", "#b45309", "6 3", "mendatar: berat badan tidak naik"],
    ["3", "#b91c1c", "2 3", "turun: sampaikan ke bidan hari itu"],
  ];
  return (
    <Figure
      id="grafik-pertumbuhan"
      judul="Sketsa grafik berat badan menurut umur"
      desc="Pita hijau menunjukkan arah pertumbuhan yang baik. Garis 1 naik mengikuti pita: baik. Garis 2 mendatar: berat badan tidak naik; sampaikan kepada bidan bila dua kali berturut-turut. Garis 3 turun: sampaikan kepada bidan hari itu juga. Ini sketsa; pakai grafik di Buku KIA."
      height={292}
    >
      <polygon points={band} fill="#d1fae5" />
      <path d={`M${px(0)} 20 V190 H${px(24)}`} stroke="#44403c" strokeWidth={1.2} fill="none" />
      <text x={4} y={28} fontSize={12} fill="#44403c">
        berat
      </text>
      {[0, 6, 12, 18, 24].map((m) => (
        <text key={m} x={px(m)} y={205} fontSize={12} fill="#44403c" textAnchor="middle">
          {m}
        </text>
      ))}
      <text x={px(12)} y={221} fontSize={12} fill="#44403c" textAnchor="middle">
        umur (bulan)
      </text>
      <polyline points={naik} fill="none" stroke={LINE} strokeWidth={2.5} />
      <polyline points={datar} fill="none" stroke="#b45309" strokeWidth={2.5} strokeDasharray="6 3" />
      <polyline points={turun} fill="none" stroke="#b91c1c" strokeWidth={2.5} strokeDasharray="2 3" />
      <Num x={px(8) + 4} y={mid(8) + 22} n="1" color={LINE} />
      <Num x={px(16) + 2} y={mid(10) + 16} n="2" color="#b45309" />
      <Num x={px(24) - 10} y={mid(18) + 4 + 21 + 18} n="3" color="#b91c1c" />
      {legend.map(([n, color, dash, text], i) => (
        <g key={n}>
          <line
            x1={8}
            x2={34}
            y1={244 + i * 18}
            y2={244 + i * 18}
            stroke={color}
            strokeWidth={2.5}
            strokeDasharray={dash}
          />
          <text x={40} y={248.5 + i * 18} fontSize={13} fill={INK}>
            {n}. {text}
          </text>
        </g>
      ))}
    </Figure>
  );
}
