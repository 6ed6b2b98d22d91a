/**
 * Page weight of the certification v2 pages (HTML, gzip) on the demo data.
 *   npx tsx tests/bench/certification-pages.ts
 * Kader pages must stay under ~14 KB gzip (weak connections); prints one line per page.
 */
import { gzipSync } from "node:zlib";
import { loginCookie, startServer } from "./server";

const server = await startServer();
const base = server.baseUrl;
try {
  const size = async (cookie: string | null, path: string) => {
    const res = await fetch(base + path, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
    const body = Buffer.from(await res.arrayBuffer());
    return {
      path,
      status: res.status,
      html: body.length,
      gzip: gzipSync(body, { level: 6 }).length,
      body: body.toString("utf8"),
    };
  };
  const rina = await loginCookie(base, "081100000008");
  const sari = await loginCookie(base, "081100000009");
  const pembina = await loginCookie(base, "081100000007");
  const dpmd = await loginCookie(base, "081100000002");
  const rows = [
    await size(rina, "/sertifikat"),
    await size(sari, "/modul/permendagri-13-2024/kuis"),
    await size(null, "/verifikasi"),
  ];
  const users = await size(pembina, "/admin/pengguna?q=Sari+Handayani");
  const kaderId = /\/admin\/pengguna\/([a-z0-9]+)/.exec(users.body)?.[1];
  if (kaderId) rows.push(await size(pembina, `/kader/${kaderId}`));
  const kaderPage = kaderId ? await size(pembina, `/kader/${kaderId}`) : null;
  const posyanduId = kaderPage ? /\/posyandu\/(\d+)\/praktik/.exec(kaderPage.body)?.[1] : undefined;
  if (posyanduId) rows.push(await size(pembina, `/posyandu/${posyanduId}/praktik?tugas=timbang-balita`));
  rows.push(await size(dpmd, "/admin/kader-terkunci"));
  console.log(`startup ${Math.round(server.startupMs)} ms`);
  for (const r of rows)
    console.log(
      `${r.path.padEnd(48)} ${String(r.status).padEnd(4)} html ${String(r.html).padStart(7)} B   gzip ${String(r.gzip).padStart(6)} B`,
    );
} finally {
  await server.stop();
}
