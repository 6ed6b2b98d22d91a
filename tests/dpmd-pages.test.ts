/**
 * Issue 21, items 8 and 10.5: DPMD/admin are warned on /admin/penandatangan when a kabupaten
 * issues certificates without a signatory (the warning goes once it is set), and the
 * dashboard names a region with its kind once ("Kabupaten Kutai Timur", never
 * "Kabupaten/Kota Kabupaten Kutai Timur").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "~/demo/factories.server";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import * as penandatangan from "~/routes/admin.penandatangan";
import Dasbor, * as dasbor from "~/routes/dasbor.$region._index";
import { almostCertified, newKader } from "./certification-helpers";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { renderPage } from "./support/render-page";

let dpmdCookie: string;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  const dpmd = await makeUser({ role: "dpmd", scopeCode: "64.08" });
  dpmdCookie = await sessionCookie(dpmd.id);
  // One certificate issued in Kutai Timur while it has no signatory.
  await almostCertified((await newKader()).id);
}, 120_000);

const signatoryPage = () => call(penandatangan.loader, makeRequest("/admin/penandatangan", { cookie: dpmdCookie }));

describe("/admin/penandatangan", () => {
  it("warns DPMD of the kabupaten issuing certificates without a signatory, then not once it is set", async () => {
    const before = await signatoryPage();
    expect(before.data.unsigned).toEqual([
      {
        code: "64.08",
        message: expect.stringMatching(/^Kabupaten Kutai Timur belum punya penandatangan.*: 1 sertifikat/),
      },
    ]);
    const html = await renderPage(penandatangan.default, before.data, "/admin/penandatangan");
    expect(html).toContain('data-testid="tanpa-penandatangan"');
    expect(html).toContain('href="#kab-64.08"');
    expect(html).toContain('id="kab-64.08"');

    const form = new FormData();
    form.set("kabupatenCode", "64.08");
    form.set("name", "Drs. Contoh Saja");
    form.set("title", "Kepala Dinas Pemberdayaan Masyarakat dan Desa");
    const saved = await call(
      penandatangan.action,
      new Request("http://localhost:3000/admin/penandatangan", {
        method: "POST",
        headers: { Cookie: dpmdCookie, Origin: "http://localhost:3000" },
        body: form,
      }),
    );
    expect(saved.status).toBe(302);
    const after = await signatoryPage();
    expect(after.data.unsigned).toEqual([]);
    expect(await renderPage(penandatangan.default, after.data, "/admin/penandatangan")).not.toContain(
      "tanpa-penandatangan",
    );
  });
});

describe("dashboard title", () => {
  it("h1, <title> and breadcrumbs name the kabupaten once, with its kind", async () => {
    const res = await call(dasbor.loader, makeRequest("/dasbor/64.08", { cookie: dpmdCookie }), { region: "64.08" });
    const title = dasbor.meta({ data: res.data } as never) as { title: string }[];
    expect(title[0].title).toBe("Dasbor Kabupaten Kutai Timur · Akademi Posyandu");
    const html = await renderPage(Dasbor, res.data, "/dasbor/64.08");
    expect(html).toMatch(/<h1[^>]*>Dasbor Kabupaten Kutai Timur<\/h1>/);
    expect(html).not.toMatch(/Kabupaten\/Kota Kabupaten|kabupaten Kabupaten/i);
    const kec = await call(dasbor.loader, makeRequest("/dasbor/64.08.01", { cookie: dpmdCookie }), {
      region: "64.08.01",
    });
    expect((dasbor.meta({ data: kec.data } as never) as { title: string }[])[0].title).toBe(
      "Dasbor Kecamatan Muara Ancalong · Akademi Posyandu",
    );
    const kecHtml = await renderPage(Dasbor, kec.data, "/dasbor/64.08.01");
    expect(kecHtml).toMatch(/<h1[^>]*>Dasbor Kecamatan Muara Ancalong<\/h1>/);
    // Breadcrumbs: the kabupaten once, the kecamatan with its kind.
    expect(kecHtml).toMatch(/Jejak wilayah.*>Kabupaten Kutai Timur<\/a>.*<strong>Kecamatan Muara Ancalong<\/strong>/s);
  });
});
