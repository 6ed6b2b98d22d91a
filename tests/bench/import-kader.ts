/**
 * Kader import benchmark: 50,000 rows, preview + commit.
 *   npx tsx tests/bench/import-kader.ts [rows]
 * Generates a CSV of 50,000 kader for Kutai Timur (two posyandu per desa, half of the rows
 * naming the posyandu by registration number, half by name + kode desa, phone numbers in
 * the three formats), then times, in this process, on the embedded PGlite (file-backed, as
 * in demo mode) or on PostgreSQL when DATABASE_URL is set:
 *   upload + preview  (multipart parse, stream to disk, csv-parse, zod, lookups, stage file)
 *   commit            (re-check in the transaction, multi-row upserts, batch + audit)
 *   re-import preview (the same file again: every row unchanged)
 * and prints wall time and memory: peak RSS (sampled process.memoryUsage().rss, and the
 * kernel's process.resourceUsage().maxRSS), and the peak JavaScript heap of the import.
 * Targets: preview + commit < 20 s, < 300 MB.
 * Note: the embedded PGlite is a WebAssembly Postgres inside this process; it alone takes
 * some 700-850 MB RSS on start (initdb and the server's wasm memory), so on PGlite the RSS
 * figure is dominated by the database, and what the import adds is the RSS above that
 * baseline and its JS heap. With DATABASE_URL the process RSS is the app's alone.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROWS = Number(process.argv[2] ?? 50_000);
const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-bench-impor-"));
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV ??= "development";

const { and, count, eq, like, sql } = await import("drizzle-orm");
const { closeDb, db, dbKind, dbReady } = await import("~/db.server");
const { posyandu, regions, users } = await import("~/db/schema");
const { seedRegionsIfEmpty } = await import("~/features/regions/regions.server");
const { makeUser } = await import("~/demo/factories.server");
const { commitImport } = await import("~/features/roster-import/commit.server");
const { stageImport } = await import("~/features/roster-import/stage.server");
const { receiveImportUpload } = await import("~/features/roster-import/upload.server");
type SessionUser = import("~/auth.server").SessionUser;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0) + " MB";
const rssAtStart = process.memoryUsage().rss;
let peakRss = rssAtStart;
let peakHeap = 0;
let peakExternal = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakExternal = Math.max(peakExternal, m.external);
}, 20);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  console.log(
    `  ${label.padEnd(24)} ${(ms / 1000).toFixed(2).padStart(6)} s   RSS now ${mb(process.memoryUsage().rss)}`,
  );
  return { value, ms };
}

try {
  await dbReady();
  await seedRegionsIfEmpty();
  const desa = await db
    .select({ code: regions.code })
    .from(regions)
    .where(and(eq(regions.level, "desa"), like(regions.code, "64.08.%")))
    .orderBy(regions.code);
  const pos = desa.flatMap((d, i) => [
    { name: `Posyandu Bench ${i}A`, desaCode: d.code, registrationNo: `B${d.code.replaceAll(".", "")}1` },
    { name: `Posyandu Bench ${i}B`, desaCode: d.code, registrationNo: null },
  ]);
  await db.insert(posyandu).values(pos);
  const actorRow = await makeUser({ name: "Pembina Bench", role: "pembina_kabupaten", scopeCode: "64.08" });
  const actor: SessionUser = {
    id: actorRow.id,
    name: "Pembina Bench",
    phone: actorRow.phone,
    role: "pembina_kabupaten",
    scopeCode: "64.08",
    posyanduId: null,
    active: true,
  };

  const bidang = ["Pendidikan", "Kesehatan", "Pekerjaan Umum", "Perumahan Rakyat", "Trantibum Linmas", "Sosial"];
  const lines = ["nama,no_hp,posyandu,nomor_registrasi_posyandu,kode_desa,bidang_spm,jenis_kelamin,tahun_lahir"];
  for (let i = 0; i < ROWS; i++) {
    const p = pos[i % pos.length];
    const phone = ["08", "+628", "628"][i % 3] + String(5_200_000_000 + i);
    const where = p.registrationNo ? `,${p.registrationNo},` : `${p.name},,${p.desaCode}`;
    lines.push(`"Kader Bench ${i}",${phone},${where},${bidang[i % 6]},${i % 9 ? "P" : "L"},${1950 + (i % 55)}`);
  }
  const csv = Buffer.from(lines.join("\n") + "\n");
  console.log(
    `Impor kader: ${ROWS.toLocaleString("id-ID")} baris, berkas ${mb(csv.length)} (${csv.length.toLocaleString("id-ID")} byte), basis data ${dbKind()}, ${pos.length} posyandu`,
  );
  const baseline = process.memoryUsage().rss;
  const { heapUsed: heapBefore, external: externalBefore } = process.memoryUsage();
  peakRss = baseline;
  peakHeap = heapBefore;
  peakExternal = externalBefore;

  const uploadRequest = () => {
    const form = new FormData();
    form.set("jenis", "kader");
    form.set("berkas", new File([csv], "kader-bench.csv", { type: "text/csv" }));
    return new Request("http://localhost/admin/impor", { method: "POST", body: form });
  };
  const preview = await timed("unggah + pratinjau", async () => {
    const up = await receiveImportUpload(uploadRequest());
    if (!up.ok) throw new Error(up.message);
    const staged = await stageImport(actor, "kader", up.file);
    if (!staged.ok) throw new Error(staged.message);
    return staged;
  });
  const s = preview.value.ok ? preview.value.staged : null;
  if (!s || s.counts.baru !== ROWS)
    throw new Error(`unexpected counts ${JSON.stringify(s?.counts)} ${s?.errors.slice(0, 3)}`);
  const commit = await timed("simpan", async () => {
    const r = await commitImport(actor, preview.value.ok ? preview.value.token : "");
    if (!r.ok) throw new Error(r.message);
    return r.committed;
  });
  const peakImport = peakRss;
  const peakHeapImport = peakHeap;
  const peakExternalImport = peakExternal;
  const [{ n }] = await db.select({ n: count() }).from(users).where(eq(users.role, "kader"));
  if (n !== ROWS) throw new Error(`expected ${ROWS} kader, found ${n}`);
  const again = await timed("impor ulang (pratinjau)", async () => {
    const up = await receiveImportUpload(uploadRequest());
    if (!up.ok) throw new Error(up.message);
    return stageImport(actor, "kader", up.file);
  });
  if (!again.value.ok || again.value.staged.counts.sama !== ROWS)
    throw new Error("re-import should find every row unchanged");
  const [{ audits }] = rowsCount(
    await db.execute(sql`select count(*)::int as audits from audit_log where action = 'import.kader'`),
  );

  const total = (preview.ms + commit.ms) / 1000;
  const maxRssKb = process.resourceUsage().maxRSS;
  console.log("");
  console.log(
    `  pratinjau + simpan       ${total.toFixed(2)} s (target < 20 s) ${total < 20 ? "OK" : "MELEBIHI TARGET"}`,
  );
  console.log(`  RSS proses sebelum basis data ${mb(rssAtStart)}`);
  console.log(
    `  RSS sebelum impor        ${mb(baseline)} (${dbKind() === "pglite" ? "PGlite di dalam proses sudah dimuat" : "aplikasi saja"})`,
  );
  console.log(
    `  RSS puncak selama impor  ${mb(peakImport)} (+${mb(Math.max(0, peakImport - baseline))} di atas sebelum impor)`,
  );
  console.log(`  heap JS puncak           ${mb(peakHeapImport)} (sebelum impor ${mb(heapBefore)})`);
  console.log(
    `  external puncak          ${mb(peakExternalImport)} (sebelum impor ${mb(externalBefore)}; termasuk memori wasm PGlite)`,
  );
  console.log(`  maxRSS proses (kernel)   ${mb(maxRssKb * 1024)}`);
  // What the import itself allocates: growth of the JS heap and of external memory (buffers,
  // PGlite's wasm memory) over the state before the upload. On PostgreSQL: the process RSS.
  const importMemory =
    dbKind() === "pglite"
      ? Math.max(0, peakHeapImport - heapBefore) + Math.max(0, peakExternalImport - externalBefore)
      : peakImport;
  console.log(
    `  memori impor             ${mb(importMemory)} (${dbKind() === "pglite" ? "pertumbuhan heap + external" : "RSS puncak proses"}; target < 300 MB) ${importMemory < 300 * 1024 * 1024 ? "OK" : "MELEBIHI TARGET"}`,
  );
  console.log(
    `  tersimpan                ${commit.value.inserted} baru, ${commit.value.updated} diperbarui; ${audits} entri audit; batch #${commit.value.batchId}`,
  );
  if (total >= 20 || importMemory >= 300 * 1024 * 1024) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
}

function rowsCount(result: unknown): { audits: number }[] {
  return Array.isArray(result) ? (result as { audits: number }[]) : (result as { rows: { audits: number }[] }).rows;
}
