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

function Figure({ id, judul, desc, height, children }: { id: string; judul: string; desc: string; height: number; children: React.ReactNode }) {
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

function Lines({ x, y, lines, size, anchor = "start", weight }: { x: number; y: number; lines: string[]; size: number; anchor?: "start" | "middle"; weight?: number }) {
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
    <Figure id={`alur-${slugify(judul)}`} judul={judul} desc={steps.map((s, i) => `${i + 1}. ${s}`).join(" ")} height={height}>
      {boxes.map((b, i) => (
        <g key={b.n}>
          <rect x={2} y={b.y} width={W - 4} height={b.h} rx={8} fill={FILL} stroke={LINE} strokeWidth={1.5} />
          <circle cx={22} cy={b.y + b.h / 2} r={12} fill={LINE} />
          <text x={22} y={b.y + b.h / 2 + 5} fontSize={14} fill="#fff" textAnchor="middle" fontWeight={700}>
            {b.n}
          </text>
          <Lines x={44} y={b.y + 7 + size} lines={b.lines} size={size} />
          {i < boxes.length - 1 ? <path d={`M${W / 2} ${b.y + b.h + 3} v14 m-6 -7 l6 7 l6 -7`} stroke={LINE} strokeWidth={2} fill="none" /> : null}
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
      <path d={`M${W / 2} ${topH + 4} V${busY} M${2 + colW / 2} ${busY} H${W - 2 - colW / 2}`} stroke={LINE} strokeWidth={1.5} fill="none" />
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

/**
 * A sketch of a weight-for-age chart: a reference band and three children's lines
 * (rising, flat, falling). Not the official chart: the kader uses the one in the Buku KIA.
 */
export function GrafikPertumbuhan() {
  const x0 = 36;
  const y0 = 190;
  const px = (m: number) => x0 + m * 11.5; // months 0..24
  const py = (kg: number) => y0 - (kg - 2) * 15; // kg 2..13
  const band = (m: number, off: number) => 3.3 + off + 6.2 * Math.log1p(m / 3) * 0.95;
  const upper = Array.from({ length: 25 }, (_, m) => `${px(m)},${py(band(m, 1.2))}`);
  const lower = Array.from({ length: 25 }, (_, m) => `${px(24 - m)},${py(band(24 - m, -1.2))}`);
  const naik = [0, 3, 6, 9, 12].map((m) => `${px(m)},${py(band(m, 0.3))}`).join(" ");
  const datar = [6, 8, 10, 12, 14].map((m, i) => `${px(m)},${py(band(6, 0) + (i < 2 ? i * 0.5 : 0.5))}`).join(" ");
  const turun = [15, 17, 19, 21].map((m, i) => `${px(m)},${py(band(15, -0.4) - i * 0.45)}`).join(" ");
  return (
    <Figure
      id="grafik-pertumbuhan"
      judul="Sketsa grafik berat badan menurut umur"
      desc="Pita hijau menunjukkan arah pertumbuhan yang baik. Garis pertama naik mengikuti pita: baik. Garis kedua mendatar: berat badan tidak naik, sampaikan kepada bidan bila dua kali berturut-turut. Garis ketiga turun: sampaikan kepada bidan hari itu juga. Ini sketsa; pakai grafik di Buku KIA."
      height={236}
    >
      <polygon points={[...upper, ...lower].join(" ")} fill="#d1fae5" />
      <path d={`M${x0} 10 V${y0} H${px(24)}`} stroke="#44403c" strokeWidth={1.2} fill="none" />
      <text x={4} y={16} fontSize={12} fill="#44403c">kg</text>
      {[0, 6, 12, 18, 24].map((m) => (
        <text key={m} x={px(m)} y={y0 + 15} fontSize={12} fill="#44403c" textAnchor="middle">
          {m}
        </text>
      ))}
      <text x={px(12)} y={y0 + 30} fontSize={12} fill="#44403c" textAnchor="middle">
        umur (bulan)
      </text>
      <polyline points={naik} fill="none" stroke={LINE} strokeWidth={2.5} />
      <text x={px(3)} y={py(band(3, 0.3)) - 12} fontSize={13} fill={INK} fontWeight={700}>
        1 naik: baik
      </text>
      <polyline points={datar} fill="none" stroke="#b45309" strokeWidth={2.5} strokeDasharray="6 3" />
      <text x={px(10)} y={py(band(6, 0)) + 22} fontSize={13} fill="#92400e" fontWeight={700}>
        2 mendatar: tidak naik
      </text>
      <polyline points={turun} fill="none" stroke="#b91c1c" strokeWidth={2.5} strokeDasharray="2 3" />
      <text x={px(14)} y={py(band(15, -0.4) - 1.6) + 16} fontSize={13} fill="#991b1b" fontWeight={700}>
        3 turun: ke bidan
      </text>
    </Figure>
  );
}
