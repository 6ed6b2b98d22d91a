/**
 * Computed styles of every element on 30 pages (kader, public, dashboards, staff) in Chromium
 * at 360 px, written to a JSON file; with --compare, the differences between two such files.
 * For stylesheet changes meant to change no style (a split, a class instead of utilities):
 *   git checkout <before> && npm run build && npx tsx tests/bench/computed-styles.ts /tmp/before.json
 *   git checkout <after>  && npm run build && npx tsx tests/bench/computed-styles.ts /tmp/after.json
 *   npx tsx tests/bench/computed-styles.ts --compare /tmp/before.json /tmp/after.json
 * Custom properties are left out of the comparison (a sheet may register fewer --tw- ones).
 * Two runs of one build differ on two pages, /admin/pengguna and /admin/sertifikat: their lists
 * change from one demo seed to the next, so their boxes' sizes do (2026-12-06).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { loginCookie, startServer } from "./server";

const PAGES: [string, string[]][] = [
  [
    "081100000006",
    [
      "/",
      "/modul",
      "/modul/pemantauan-pertumbuhan-stunting",
      "/modul/permendagri-13-2024",
      "/modul/rujukan-dan-jejaring",
      "/modul/spm-sosial",
      "/modul/permendagri-13-2024/kuis",
      "/sesi",
      "/hadir",
      "/sertifikat",
      "/akun",
      "/istilah",
      "/kalender",
    ],
  ],
  [
    "081100000001",
    [
      "/",
      "/dasbor/64",
      "/dasbor/64.02",
      "/dasbor/64.02.14",
      "/admin/pengguna",
      "/admin/audit",
      "/admin/wilayah",
      "/sesi",
      "/sesi/baru",
      "/posyandu",
      "/analisis-soal",
      "/kebutuhan-pelatihan",
      "/tim-pembina",
      "/admin/sertifikat",
      "/admin/impor",
    ],
  ],
  ["", ["/masuk", "/verifikasi"]],
];

// A string, not a function: the page runs it as written (no helpers of this file's transpiler).
const DUMP = `(() => [...document.querySelectorAll("body *")].map((el) => {
  const cs = getComputedStyle(el);
  const props = [];
  for (let i = 0; i < cs.length; i++) props.push(cs[i] + ":" + cs.getPropertyValue(cs[i]));
  for (const pe of ["::before", "::after"]) {
    const b = getComputedStyle(el, pe);
    if (b.content !== "none" && b.content !== "normal") props.push(pe + ":" + [b.content, b.color, b.border, b.width].join("|"));
  }
  const r = el.getBoundingClientRect();
  return el.tagName + " @" + [r.x, r.y, r.width, r.height].map(Math.round).join(",") + ";" + props.join(";");
}))()`;

type Dump = Record<string, string[]>;

function compare(a: Dump, b: Dump): number {
  const props = (line: string) =>
    new Set(
      line
        .split(";")
        .filter((p) => !p.startsWith("--"))
        .map((p) => p.replace(/oklab\(0\.999994 0\.0000455677 0\.0000200868 \/ 0\.6\)/g, "rgba(255, 255, 255, 0.6)")),
    );
  let pages = 0;
  for (const [page, before] of Object.entries(a)) {
    const after = b[page] ?? [];
    let differ = 0;
    let shown = 0;
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const x = props(before[i] ?? "");
      const y = props(after[i] ?? "");
      const gone = [...x].filter((p) => !y.has(p));
      const came = [...y].filter((p) => !x.has(p));
      if (!gone.length && !came.length) continue;
      differ++;
      if (shown++ < 3) console.log(`  ${page} #${i}: ${gone.slice(0, 4).join(" ")} -> ${came.slice(0, 4).join(" ")}`);
    }
    if (differ) {
      pages++;
      console.log(`${page}: ${differ} of ${before.length} elements differ (${after.length} after)`);
    }
  }
  console.log(`${Object.keys(a).length} pages compared, ${pages} with differences`);
  return pages;
}

if (process.argv[2] === "--compare") {
  const read = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Dump;
  process.exitCode = compare(read(process.argv[3]), read(process.argv[4])) ? 1 : 0;
} else {
  const out = process.argv[2];
  if (!out) throw new Error("usage: computed-styles.ts <out.json> | --compare <a.json> <b.json>");
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const result: Dump = {};
  try {
    for (const [phone, paths] of PAGES) {
      const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
      if (phone) {
        const [name, value] = (await loginCookie(server.baseUrl, phone)).split(";")[0].split("=");
        await ctx.addCookies([{ name, value, url: server.baseUrl }]);
      }
      const page = await ctx.newPage();
      for (const p of paths) {
        const res = await page.goto(server.baseUrl + p);
        result[`${phone || "anon"} ${p} ${res?.status()}`] = await page.evaluate(DUMP);
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  writeFileSync(out, JSON.stringify(result));
  console.log(`${Object.keys(result).length} pages written to ${out}`);
}
