/**
 * Kader import benchmark through the server: 50,000 rows, preview + commit.
 *   DATABASE_URL=postgres://… npm run bench:import [-- rows]
 * Starts the built server (demo data, WEB_CONCURRENCY from the environment, 1 by default) on
 * a throw-away database of that PostgreSQL, adds two posyandu per desa of Kutai Timur (half
 * with a registration number), generates a CSV of 50,000 kader (half of the rows naming the
 * posyandu by registration number, half by name + kode desa, phone numbers in the three
 * formats) and, as a pembina kabupaten in a browser would, over HTTP:
 *   upload + preview  POST /admin/impor (multipart), then the preview page
 *   commit            POST /admin/impor/pratinjau/:token, then the saved page
 *   re-import preview the same file again: every row unchanged
 * It prints the wall time and the SERVER's memory: the RSS of every server process (primary
 * and workers, from /proc every 50 ms) before the upload, at its peak during the import and
 * after it, and the heap of each (tests/bench/memory-probe.cjs, loaded with --require).
 * Separately, labelled, the benchmark's own RSS: it holds the generated CSV and the form,
 * which is what the old in-process benchmark reported as "the import" (356–385 MB).
 * Targets: preview + commit < 20 s; the import adds < 300 MB to the server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { benchDatabase, loginCookie, processUsage, startServer } from "./server";

const ROWS = Number(process.argv[2] ?? 50_000);
const MB = 2 ** 20;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

const bench = await benchDatabase();
if (!bench) {
  console.error("bench:import needs DATABASE_URL (PostgreSQL): it measures the server, and the server's own database.");
  process.exit(2);
}

/** RSS of each process of the server by pid, from /proc. */
function serverRss(rootPid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of processUsage(rootPid).pids) {
    try {
      const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      if (m) out.set(pid, Number(m[1]) * 1024);
    } catch {
      // exited meanwhile (the start-up process)
    }
  }
  return out;
}
const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

const probeDir = mkdtempSync(path.join(tmpdir(), "akademi-impor-memori-"));
process.env.BENCH_NODE_ARGS =
  `${process.env.BENCH_NODE_ARGS ?? ""} --require ${path.resolve("tests/bench/memory-probe.cjs")}`.trim();
const sql = postgres(bench.url, { max: 2, onnotice: () => {} });
const server = await startServer({
  DATABASE_URL: bench.url,
  AKADEMI_MODE: "demo", // the demo accounts (a pembina kabupaten of Kutai Timur)
  WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? "1",
  MEMORY_PROBE_DIR: probeDir,
});
const heaps = () => {
  const out = new Map<number, { role: string; heapUsed: number }>();
  for (const f of readdirSync(probeDir).filter((n) => n.endsWith(".json"))) {
    try {
      const p = JSON.parse(readFileSync(path.join(probeDir, f), "utf8"));
      if (Date.now() - p.at < 3000) out.set(p.pid, { role: p.role, heapUsed: p.heapUsed });
    } catch {
      // being replaced
    }
  }
  return out;
};

let peakServer = 0;
let peakServerPerProcess = new Map<number, number>();
let peakOwn = 0;
let peakHeap = new Map<number, number>();
const sample = () => {
  const rss = serverRss(server.pid);
  if (total(rss) > peakServer) {
    peakServer = total(rss);
    peakServerPerProcess = rss;
  }
  for (const [pid, h] of heaps()) peakHeap.set(pid, Math.max(peakHeap.get(pid) ?? 0, h.heapUsed));
  peakOwn = Math.max(peakOwn, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 50);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  console.log(
    `  ${label.padEnd(24)} ${(ms / 1000).toFixed(2).padStart(6)} s   server RSS now ${mb(total(serverRss(server.pid)))}`,
  );
  return { value, ms };
}

try {
  const base = server.baseUrl;
  const cookie = await loginCookie(base, "081100000003"); // pembina kabupaten, Kutai Timur (64.08)
  const desa = await sql<
    { code: string }[]
  >`select code from regions where level = 'desa' and code like '64.08.%' order by code`;
  const pos = desa.flatMap((d, i) => [
    { name: `Posyandu Bench ${i}A`, desa_code: d.code, registration_no: `B${d.code.replaceAll(".", "")}1` },
    { name: `Posyandu Bench ${i}B`, desa_code: d.code, registration_no: null },
  ]);
  await sql`insert into posyandu ${sql(pos)}`;
  const [{ kaderBefore }] = await sql<
    { kaderBefore: number }[]
  >`select count(*)::int as "kaderBefore" from users where role = 'kader'`;

  const bidang = ["Pendidikan", "Kesehatan", "Pekerjaan Umum", "Perumahan Rakyat", "Trantibum Linmas", "Sosial"];
  const lines = ["nama,no_hp,posyandu,nomor_registrasi_posyandu,kode_desa,bidang_spm,jenis_kelamin,tahun_lahir"];
  for (let i = 0; i < ROWS; i++) {
    const p = pos[i % pos.length];
    const phone = ["08", "+628", "628"][i % 3] + String(5_200_000_000 + i);
    const where = p.registration_no ? `,${p.registration_no},` : `${p.name},,${p.desa_code}`;
    lines.push(`"Kader Bench ${i}",${phone},${where},${bidang[i % 6]},${i % 9 ? "P" : "L"},${1950 + (i % 55)}`);
  }
  const csv = Buffer.from(`${lines.join("\n")}\n`);
  lines.length = 0;
  console.log(
    `Impor kader lewat server: ${ROWS.toLocaleString("id-ID")} baris, berkas ${mb(csv.length)} (${csv.length.toLocaleString("id-ID")} byte), PostgreSQL, ${pos.length} posyandu, WEB_CONCURRENCY ${process.env.WEB_CONCURRENCY ?? "1"}`,
  );

  const send = async (url: string, body: FormData | URLSearchParams) => {
    const res = await fetch(base + url, {
      method: "POST",
      body,
      redirect: "manual",
      headers: { Cookie: cookie, Origin: base },
    });
    const location = res.headers.get("location");
    const text = await res.text();
    if (res.status !== 302 || !location)
      throw new Error(`POST ${url}: ${res.status} ${text.match(/alert-error[^>]*>([^<]+)/)?.[1] ?? ""}`);
    const page = await fetch(base + location, { headers: { Cookie: cookie } });
    if (page.status !== 200) throw new Error(`GET ${location}: ${page.status}`);
    return { location, html: await page.text() };
  };
  const upload = () => {
    const form = new FormData();
    form.set("jenis", "kader");
    form.set("berkas", new File([csv], "kader-bench.csv", { type: "text/csv" }));
    return send("/admin/impor", form);
  };

  // Before: the server after its start-up and a login, settled.
  await new Promise((r) => setTimeout(r, 2000));
  const before = serverRss(server.pid);
  const heapBefore = heaps();
  peakServer = total(before);
  peakServerPerProcess = before;
  peakHeap = new Map([...heapBefore].map(([pid, h]) => [pid, h.heapUsed]));
  peakOwn = process.memoryUsage().rss;

  const preview = await timed("unggah + pratinjau", upload);
  const commit = await timed("simpan", () => send(preview.value.location, new URLSearchParams()));
  sample();
  const peakImport = peakServer;
  const peakImportPerProcess = peakServerPerProcess;
  const [{ kaderAfter }] = await sql<
    { kaderAfter: number }[]
  >`select count(*)::int as "kaderAfter" from users where role = 'kader'`;
  if (kaderAfter - kaderBefore !== ROWS)
    throw new Error(`expected ${ROWS} new kader, found ${kaderAfter - kaderBefore}`);
  if (!commit.value.html.includes("tersimpan") && !commit.value.html.includes("Tersimpan"))
    console.log("  (the saved page does not say 'tersimpan': check it)");
  const again = await timed("impor ulang (pratinjau)", upload);
  const [{ audits }] = await sql<
    { audits: number }[]
  >`select count(*)::int as audits from audit_log where action = 'import.kader'`;
  await new Promise((r) => setTimeout(r, 2000));
  const afterRss = serverRss(server.pid);

  const seconds = (preview.ms + commit.ms) / 1000;
  const added = peakImport - total(before);
  console.log("");
  console.log(
    `  pratinjau + simpan        ${seconds.toFixed(2)} s (target < 20 s) ${seconds < 20 ? "OK" : "MELEBIHI TARGET"}`,
  );
  console.log("  SERVER (semua proses aplikasi):");
  console.log(`    RSS sebelum impor       ${mb(total(before))}`);
  console.log(`    RSS puncak selama impor ${mb(peakImport)} (+${mb(Math.max(0, added))} di atas sebelum impor)`);
  console.log(`    RSS sesudah impor       ${mb(total(afterRss))} (setelah impor ulang, 2 s kemudian)`);
  for (const [pid, rss] of before) {
    const h = heapBefore.get(pid);
    console.log(
      `    proses ${pid} (${h?.role ?? "?"}): RSS ${mb(rss)} → puncak ${mb(peakImportPerProcess.get(pid) ?? 0)} → ${mb(afterRss.get(pid) ?? 0)}; heap JS ${mb(h?.heapUsed ?? 0)} → puncak ${mb(peakHeap.get(pid) ?? 0)}`,
    );
  }
  console.log(
    `  memori impor di server    +${mb(Math.max(0, added))} (RSS puncak di atas sebelum impor; target < 300 MB) ${added < 300 * MB ? "OK" : "MELEBIHI TARGET"}`,
  );
  console.log(
    `  PROSES BENCHMARK (bukan server: berkas CSV ${mb(csv.length)} dan formulirnya di memori): RSS puncak ${mb(peakOwn)}`,
  );
  console.log(
    `  tersimpan                 ${kaderAfter - kaderBefore} kader baru; ${audits} entri audit; impor ulang ${again.value.html.includes(ROWS.toLocaleString("id-ID")) ? "menyebut" : "tidak menyebut"} ${ROWS.toLocaleString("id-ID")} baris`,
  );
  if (seconds >= 20 || added >= 300 * MB) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await server.stop();
  await sql.end();
  await bench.drop();
  rmSync(probeDir, { recursive: true, force: true });
}
