/**
 * The dashboard map says something (issue 21): classes from the rates present, a
 * colour-blind-safe palette, a number and a key for every area, names and rates for hover
 * and screen readers, no links inside role="img"; and round ticks on the trend line.
 */
import { gzipSync } from "node:zlib";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RateMap, TrendLine } from "~/features/reporting/charts";
import { labelPoint, MAP_PALETTE, MAX_CLASSES, NO_KADER, niceTicks, rateScale } from "~/features/reporting/map-scale";
import type { MapShape } from "~/features/reporting/figures";
import { deltaE, type Vision } from "./support/colour-vision";
import { kukarRows } from "./support/map-fixture";
import { htmlText } from "./support/render-page";

const VISIONS: Vision[] = ["normal", "deuteranopia", "protanopia", "tritanopia"];
const square = (x: number, y: number) => `M${x} ${y}L${x + 90} ${y}L${x + 90} ${y + 90}L${x} ${y + 90}Z`;

/** Five kecamatan of Kutai Timur at today's demo-like rates, one without kader, one without a page. */
const shape: MapShape = {
  width: 300,
  height: 200,
  areas: [
    { code: "64.08.01", d: square(0, 0) },
    { code: "64.08.02", d: square(100, 0) },
    { code: "64.08.03", d: square(200, 0) },
    { code: "64.08.04", d: square(0, 100) },
    { code: "64.08.05", d: square(100, 100) },
  ],
};
const rows = [
  {
    code: "64.08.01",
    name: "Muara Ancalong",
    rate: 45 / 230,
    certified: 45,
    activeKader: 230,
    href: "/dasbor/64.08.01",
  },
  { code: "64.08.02", name: "Muara Wahau", rate: 0, certified: 0, activeKader: 140, href: "/dasbor/64.08.02" },
  { code: "64.08.03", name: "Muara Bengkal", rate: 6 / 120, certified: 6, activeKader: 120, href: "/dasbor/64.08.03" },
  { code: "64.08.04", name: "Sangatta Utara", rate: 0, certified: 0, activeKader: 0, href: "/dasbor/64.08.04" },
  { code: "64.08.05", name: "Bengalon", rate: 20 / 180, certified: 20, activeKader: 180, href: null },
];
const render = () => renderToStaticMarkup(<RateMap shape={shape} rows={rows} title="Peta tingkat sertifikasi" />);

/** The opening tag of the element that holds the <path> of `code`. */
const fillOf = (html: string, code: string) =>
  /<path[^>]* fill="([^"]+)"/.exec(html.slice(html.indexOf(`data-code="${code}"`)))![1];

describe("rateScale", () => {
  it("separates 0% from 19,6% when every rate is under 20%, with round breaks and Indonesian labels", () => {
    const { rows: kukar } = kukarRows();
    const rates = kukar.filter((r) => r.activeKader > 0).map((r) => r.rate);
    const scale = rateScale(rates);
    expect(scale.classOf(0)).not.toBe(scale.classOf(45 / 230));
    expect(scale.classes.map((c) => c.label)).toEqual(["0%", "0,1–4,9%", "5–9,9%", "10–14,9%", "≥ 15%"]);
    // Every class holds an area; breaks are whole percents (in tenths of a percent here; 0,1% follows 0%).
    for (const c of scale.classes) expect(rates.some((r) => scale.classOf(r) === c)).toBe(true);
    expect(scale.classes.map((c) => Math.round(c.from * 1000))).toEqual([0, 1, 50, 100, 150]);
    // The class agrees with the rate as shown (one decimal): 9,96% is shown "10,0%".
    expect(scale.classOf(0.0996).label).toBe("10–14,9%");
    expect(scale.classOf(0.0994).label).toBe("5–9,9%");
  });

  it("never makes more than five classes, nor an empty one", () => {
    const many = Array.from({ length: 40 }, (_, i) => i / 40);
    const scale = rateScale(many);
    expect(scale.classes).toHaveLength(MAX_CLASSES);
    for (const c of scale.classes) expect(many.some((r) => scale.classOf(r) === c)).toBe(true);
    expect(scale.classes.at(-1)!.label).toMatch(/^≥ \d+%$/);
  });

  it("copes with one rate, all zero, and no zero", () => {
    expect(rateScale([0, 0]).classes.map((c) => c.label)).toEqual(["0%"]);
    expect(rateScale([0.3, 0.3]).classes.map((c) => c.label)).toEqual(["> 0%"]);
    expect(rateScale([]).classes).toHaveLength(1);
    const s = rateScale([0.05, 0.5]);
    expect(s.classes.map((c) => c.label)).toEqual(["0–9,9%", "≥ 10%"]);
    expect(s.classOf(0.05)).not.toBe(s.classOf(0.5));
  });
});

describe("palette", () => {
  it("keeps classes apart (ΔE2000 ≥ 10) under normal, deutan, protan and tritan vision, for every class count", () => {
    const figures: string[] = [];
    for (let n = 2; n <= MAX_CLASSES; n++) {
      const rates = [0, 0.005, 0.03, 0.07, 0.12, 0.25, 0.5].slice(0, n);
      const fills = rateScale(rates).classes.map((c) => c.fill);
      expect(fills).toHaveLength(n);
      for (const v of VISIONS) {
        const d = fills.slice(1).map((f, i) => deltaE(fills[i], f, v));
        if (n === MAX_CLASSES) figures.push(`${v}: ${d.map((x) => x.toFixed(1)).join(" ")}`);
        for (const x of d) expect(x).toBeGreaterThanOrEqual(10);
      }
    }
    console.info(`adjacent ΔE2000, 5 classes\n${figures.join("\n")}`);
  });

  it("draws 'tanpa kader' as a hatch whose colours are far (ΔE2000 ≥ 10) from every class", () => {
    for (const v of VISIONS)
      for (const c of MAP_PALETTE) {
        expect(deltaE(NO_KADER.background, c, v)).toBeGreaterThanOrEqual(10);
        expect(deltaE(NO_KADER.stripe, c, v)).toBeGreaterThanOrEqual(10);
      }
    const html = render();
    expect(html).toContain('<pattern id="map-no-kader"');
    expect(fillOf(html, "64.08.04")).toBe("url(#map-no-kader)");
    expect(html).toMatch(/data-code="64.08.04"[\s\S]*?<path[^>]*stroke-dasharray/);
    expect(MAP_PALETTE).not.toContain(fillOf(html, "64.08.04"));
  });
});

describe("RateMap", () => {
  it("colours 0% and 19,6% differently", () => {
    const html = render();
    expect(fillOf(html, "64.08.01")).not.toBe(fillOf(html, "64.08.02"));
    expect(MAP_PALETTE).toContain(fillOf(html, "64.08.01"));
  });

  it("gives every area a number, a key line, a name and a rate for hover and screen readers", () => {
    const html = render();
    const numbers = [...html.matchAll(/<text [^>]*>(\d+)<\/text>/g)].map((m) => m[1]);
    expect(numbers).toEqual(["1", "2", "3", "4", "5"]);
    const text = htmlText(html);
    expect(text).toContain("Muara Ancalong — 19,6% (45 dari 230)");
    expect(text).toContain("Muara Wahau — 0,0% (0 dari 140)");
    expect(text).toContain("Sangatta Utara — tanpa kader");
    expect(text).toContain("Bengalon — 11,1% (20 dari 180)");
    expect(html).toMatch(/<ol[^>]*>[\s\S]*<li><a href="\/dasbor\/64.08.01">Muara Ancalong<\/a>/);
    expect(html).toContain("<li>Bengalon — 11,1%"); // no page of its own: no link
    expect(html).toContain(
      'aria-label="Muara Ancalong: 19,6%" data-code="64.08.01"><title>Muara Ancalong: 19,6%</title>',
    );
    expect(html).toContain('aria-label="Sangatta Utara: tanpa kader"');
    expect(html).toContain("<g><title>Bengalon: 11,1%</title>");
    // The legend lists the classes present, in Indonesian.
    expect(text).toContain("Tingkat sertifikasi: 0% 0,1–9,9% 10–14,9% ≥ 15% tanpa kader");
  });

  it("puts no link inside role=img: the svg is a labelled group", () => {
    for (const html of [render(), renderToStaticMarkup(<RateMap {...kukarRows()} title="Peta" />)]) {
      expect(html).toMatch(/^<figure[^>]*><svg [^>]*role="group" aria-labelledby="map-title"/);
      expect(html).toContain('<title id="map-title">');
      // Every <a> is preceded by an svg opening tag without role="img" (one svg on the page).
      const svgs = [...html.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
      expect(svgs).toHaveLength(1);
      expect(svgs[0]).not.toContain('role="img"');
      expect(html).not.toContain('role="img"');
    }
  });

  // Issue 23: paths simplified to 2 px and rounded to whole px (map.server.ts); 1 px and 0.1 px gave 8.9 KB.
  it("stays small: Kutai Kartanegara's 20 kecamatan under 6 KB gzip", () => {
    const html = renderToStaticMarkup(<RateMap {...kukarRows()} title="Peta tingkat sertifikasi per kecamatan" />);
    const gz = gzipSync(html).length;
    console.info(`map of 20 kecamatan: ${html.length} bytes, ${gz} gzip`);
    expect(gz).toBeLessThan(6_000);
  });
});

describe("labelPoint", () => {
  it("is the centre of a square, and inside a U-shaped area", () => {
    expect(labelPoint(square(0, 0))).toEqual([45, 45]);
    // A U: the centroid of the ring falls in the gap between the arms.
    const u = "M0 0L30 0L30 70L70 70L70 0L100 0L100 100L0 100Z";
    const [x, y] = labelPoint(u)!;
    const inArms = (x <= 30 || x >= 70) && y >= 0 && y <= 100;
    const inBase = y >= 70 && y <= 100;
    expect(inArms || inBase).toBe(true);
    // The largest ring of a multi-ring area.
    expect(labelPoint(`M0 0L2 0L2 2Z${square(100, 100)}`)).toEqual([145, 145]);
  });
});

describe("TrendLine ticks", () => {
  it("are round: 0%, 10%, 20%, 30% for a maximum of 25,3%", () => {
    expect(niceTicks(0.253)).toEqual([0, 0.1, 0.2, 0.3]);
    for (const max of [0.013, 0.1, 0.196, 0.253, 0.47, 0.81, 1]) {
      const ticks = niceTicks(max);
      const step = ticks[1];
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 2.5, 5]).toContain(Number(mantissa.toFixed(6)));
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max - 1e-12);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
    const points = ["2026-01", "2026-02", "2026-03"].map((month, i) => ({
      month,
      asOf: `${month}-28`,
      rate: [0.12, 0.2, 0.253][i],
      certified: 1,
      activeKader: 4,
    }));
    const html = renderToStaticMarkup(<TrendLine points={points} title="Tren" />);
    const labels = [...html.matchAll(/<text [^>]*text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(["0%", "10%", "20%", "30%"]);
  });
});
