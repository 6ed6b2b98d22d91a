/**
 * Issue 21, item 10 (kader pages): /modul lists the modules in the programme's order (as
 * Beranda and "Lanjutkan"); /akun and the session pages name regions, never by code; the
 * print version of a module has absolute links and a one-line footer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { env } from "~/env.server";
import { content, syncModuleVersions } from "~/features/catalogue/content.server";
import { publicOrigin } from "~/lib/url";
import * as home from "~/routes/_index";
import Akun, * as akun from "~/routes/akun";
import Cetak, * as cetak from "~/routes/modul.$slug.cetak";
import Katalog, * as modulList from "~/routes/modul._index";
import SesiDetail, * as sesiDetail from "~/routes/sesi.$id._index";
import SesiList, * as sesiList from "~/routes/sesi._index";
import { makeWorkshop } from "./certification-helpers";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { htmlText, renderPage } from "./support/render-page";

let kader: { id: string; cookie: string };
/** A region code as 64.08 or 64.08.01.2001, anywhere in a page's text. */
const REGION_CODE = /\b64(\.\d{2}){1,3}\b/;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  const posId = await makePosyandu({ name: "Posyandu Kenanga", desaCode: "64.08.01.2001" });
  const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", posyanduId: posId });
  kader = { id: k.id, cookie: await sessionCookie(k.id) };
});

describe("/modul", () => {
  it("lists the modules in the programme's order, the order of Beranda", async () => {
    const list = await call(modulList.loader, makeRequest("/modul", { cookie: kader.cookie }));
    const slugs = list.data.groups.flatMap((g: { modules: { slug: string }[] }) => g.modules.map((m) => m.slug));
    const onHome = (await call(home.loader, makeRequest("/", { cookie: kader.cookie }))).data.modules.map(
      (m: { slug: string }) => m.slug,
    );
    expect(slugs.slice(0, onHome.length)).toEqual(onHome);
    expect(slugs.slice(0, content().defaultProgramme.requiredModules.length)).toEqual(
      content().defaultProgramme.requiredModules,
    );
    const html = await renderPage(Katalog, list.data, "/modul");
    const shown = [...html.matchAll(/href="\/modul\/([^"/#?]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(slugs);
  });
});

describe("regions by name for a kader", () => {
  it("/akun: desa, kecamatan and kabupaten, no code", async () => {
    const res = await call(akun.loader, makeRequest("/akun", { cookie: kader.cookie }));
    expect(res.data.region).toBe("Desa Senyiur, Kecamatan Muara Ancalong, Kabupaten Kutai Timur");
    expect(htmlText(await renderPage(Akun, res.data, "/akun"))).not.toMatch(REGION_CODE);
  });

  it("/sesi and /sesi/:id: the session's region by name, no code", async () => {
    const id = await makeWorkshop({ status: "published" });
    const list = await call(sesiList.loader, makeRequest("/sesi?waktu=lalu", { cookie: kader.cookie }));
    expect(list.data.items.map((w: { regionName: string }) => w.regionName)).toContain("Kecamatan Muara Ancalong");
    expect(htmlText(await renderPage(SesiList, list.data, "/sesi?waktu=lalu"))).not.toMatch(REGION_CODE);
    const detail = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: kader.cookie }), {
      id: String(id),
    });
    expect(detail.data.region).toBe("Kecamatan Muara Ancalong, Kabupaten Kutai Timur");
    const text = htmlText(await renderPage(SesiDetail, detail.data, `/sesi/${id}`));
    expect(text).toContain("Kecamatan Muara Ancalong, Kabupaten Kutai Timur");
    expect(text).not.toMatch(REGION_CODE);
  });
});

describe("/modul/:slug/cetak", () => {
  it("prints absolute links and a footer of one short line", async () => {
    const origin = publicOrigin(env().APP_URL);
    const slug = "spm-kesehatan";
    const res = await call(cetak.loader, makeRequest(`/modul/${slug}/cetak`, { cookie: kader.cookie }), { slug });
    const html = await renderPage(Cetak, res.data, `/modul/${slug}/cetak`);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.filter((h) => h.includes("/istilah")).length).toBeGreaterThan(0); // glossary links are there
    expect(hrefs.filter((h) => !/^https?:\/\//.test(h))).toEqual([]);
    const footer = /<footer[^>]*>([\s\S]*?)<\/footer>/.exec(html)?.[1] ?? "";
    const line = htmlText(footer);
    expect(line).toContain(`${origin}/istilah`);
    // One line at the print size (text-xs over 180 mm holds about 110 characters), no breaks or blocks.
    expect(line.length).toBeLessThanOrEqual(100);
    expect(footer).not.toMatch(/<(br|p|div|ul|li)\b/);
  });
});
