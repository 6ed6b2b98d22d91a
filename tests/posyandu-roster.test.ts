/** Posyandu search and desa choice by scope; import templates with dropdowns and an example row; activation-code links after an import. */
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import * as posyanduList from "~/routes/posyandu._index";
import * as posyanduBaru from "~/routes/posyandu.baru";
import * as posyanduDetail from "~/routes/posyandu.$id";
import * as impor from "~/routes/admin.impor._index";
import * as pratinjau from "~/routes/admin.impor.pratinjau.$token";
import * as templat from "~/routes/admin.impor.$file";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const SENYIUR = "64.08.01.2001"; // Muara Ancalong, Kutai Timur
let admin: string, kab: string, kec: string, otherKec: string;
let kenanga: number, mawar: number;

async function cookieFor(
  role: "admin" | "pembina_kabupaten" | "pembina_kecamatan",
  scopeCode: string,
): Promise<string> {
  return sessionCookie((await makeUser({ role, scopeCode })).id);
}

beforeAll(async () => {
  await setupDatabase();
  admin = await cookieFor("admin", "64");
  kab = await cookieFor("pembina_kabupaten", "64.08");
  kec = await cookieFor("pembina_kecamatan", "64.08.01");
  otherKec = await cookieFor("pembina_kecamatan", "64.08.02");
  kenanga = await makePosyandu({ name: "Posyandu Kenanga Ungu", desaCode: SENYIUR, registrationNo: "6408012001077" });
  mawar = await makePosyandu({ name: "Posyandu Mawar Jingga", desaCode: "64.08.02.2001" });
});

describe("posyandu search", () => {
  const names = async (cookie: string, query: string) => {
    const res = await call(posyanduList.loader, makeRequest(`/posyandu?${query}`, { cookie }));
    return res.status === 200 ? res.data.items.map((p: { name: string }) => p.name) : res.status;
  };

  it("finds a posyandu by its name, desa, kecamatan or registration number", async () => {
    expect(await names(kab, "q=kenanga")).toEqual(["Posyandu Kenanga Ungu"]);
    expect(await names(kab, "q=senyiur")).toContain("Posyandu Kenanga Ungu");
    expect(await names(kab, `q=${encodeURIComponent("muara ancalong")}`)).toContain("Posyandu Kenanga Ungu");
    expect(await names(kab, `q=${encodeURIComponent("muara ancalong")}`)).not.toContain("Posyandu Mawar Jingga");
    expect(await names(kab, "q=2001077")).toEqual(["Posyandu Kenanga Ungu"]);
    expect(await names(kab, "q=%25")).toEqual([]); // LIKE wildcards are plain text
  });

  it("filters by region, offers the levels below the scope, and keeps to the scope", async () => {
    expect(await names(kab, "wilayah=64.08.02")).toEqual(["Posyandu Mawar Jingga"]);
    expect(await names(kab, "q=posyandu&wilayah=64.08.01")).toEqual(["Posyandu Kenanga Ungu"]);
    const page = await call(posyanduList.loader, makeRequest("/posyandu", { cookie: kab }));
    expect(
      page.data.regionOptions.every(
        (r: { level: string; code: string }) => r.level === "kecamatan" && r.code.startsWith("64.08."),
      ),
    ).toBe(true);
    const adminPage = await call(posyanduList.loader, makeRequest("/posyandu", { cookie: admin }));
    expect(new Set(adminPage.data.regionOptions.map((r: { level: string }) => r.level))).toEqual(
      new Set(["kabupaten", "kecamatan"]),
    );
    // Another kecamatan's pembina finds nothing of Muara Ancalong and may not filter on it.
    expect(await names(otherKec, "q=kenanga")).toEqual([]);
    expect(await names(otherKec, "wilayah=64.08.01")).toBe(403);
  });
});

describe("posyandu form: desa choice", () => {
  it("within a kecamatan lists its desa; above it, the desa of one chosen kecamatan only", async () => {
    const own = await call(posyanduBaru.loader, makeRequest("/posyandu/baru", { cookie: kec }));
    expect(own.data.kecamatanOptions).toEqual([]);
    expect(own.data.desa.length).toBeGreaterThan(0);
    expect(own.data.desa.every((d: { code: string }) => d.code.startsWith("64.08.01."))).toBe(true);

    // Admin of the province: no thousand-desa list, a kecamatan first.
    const first = await call(posyanduBaru.loader, makeRequest("/posyandu/baru", { cookie: admin }));
    expect(first.data.desa).toEqual([]);
    expect(first.data.kecamatanOptions.length).toBeGreaterThan(90);
    expect(JSON.stringify(first.data).length).toBeLessThan(12_000);
    const chosen = await call(posyanduBaru.loader, makeRequest("/posyandu/baru?kecamatan=64.08.01", { cookie: admin }));
    expect(chosen.data.kecamatan).toBe("64.08.01");
    expect(chosen.data.desa.every((d: { code: string }) => d.code.startsWith("64.08.01."))).toBe(true);

    // A kecamatan outside the scope (or junk) is not offered.
    for (const q of ["64.02.01", "x' or 1=1", "64.08"]) {
      const r = await call(
        posyanduBaru.loader,
        makeRequest(`/posyandu/baru?kecamatan=${encodeURIComponent(q)}`, { cookie: kab }),
      );
      expect(r.status).toBe(200);
      expect(r.data.kecamatan).toBeNull();
      expect(r.data.desa).toEqual([]);
    }

    // Editing: the posyandu's own kecamatan is preselected.
    const edit = await call(posyanduDetail.loader, makeRequest(`/posyandu/${kenanga}`, { cookie: admin }), {
      id: String(kenanga),
    });
    expect(edit.data.kecamatan).toBe("64.08.01");
    expect(edit.data.desa.map((d: { code: string }) => d.code)).toContain(SENYIUR);
    expect(
      (await call(posyanduDetail.loader, makeRequest(`/posyandu/${mawar}`, { cookie: kec }), { id: String(mawar) }))
        .status,
    ).toBe(403);
  });
});

describe("import templates and result", () => {
  async function template(file: string): Promise<ExcelJS.Workbook> {
    const res = (await templat.loader({
      request: makeRequest(`/admin/impor/${file}`, { cookie: kec }),
      params: { file },
      context: { clientIp: "x" },
    })) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb;
  }

  function upload(cookie: string, kind: string, fileName: string, body: Buffer, type: string) {
    const form = new FormData();
    form.set("jenis", kind);
    form.set("berkas", new File([new Uint8Array(body)], fileName, { type }));
    return call(
      impor.action,
      new Request(BASE + "/admin/impor", { method: "POST", headers: { Cookie: cookie, Origin: BASE }, body: form }),
    );
  }

  it("the kader template has dropdowns for the coded columns and one example row that is not imported", async () => {
    const wb = await template("templat-kader.xlsx");
    const data = wb.getWorksheet("Data")!;
    const header = (data.getRow(1).values as string[]).slice(1);
    const col = (key: string) => header.indexOf(key) + 1;
    expect(String(data.getRow(2).getCell(col("nama")).value)).toMatch(/^Contoh: /);
    expect(data.getRow(3).getCell(1).value).toBeNull();
    const dv = (key: string, row = 5) => data.getRow(row).getCell(col(key)).dataValidation;
    expect(dv("bidang_spm")).toMatchObject({
      type: "list",
      formulae: ['"Pendidikan,Kesehatan,Pekerjaan Umum,Perumahan Rakyat,Trantibum Linmas,Sosial"'],
    });
    expect(dv("jenis_kelamin")).toMatchObject({ type: "list", formulae: ['"L,P"'] });
    expect(dv("kode_desa", 900)).toMatchObject({ type: "list" });
    expect(dv("kode_desa").formulae[0]).toMatch(/^'Daftar desa'!\$A\$2:\$A\$\d+$/);
    expect(dv("posyandu").formulae[0]).toMatch(/^'Daftar posyandu'!\$A\$2:\$A\$\d+$/);
    expect(dv("nama")).toBeUndefined();
    // Every desa code in the dropdown list is inside the importer's scope.
    const desa: string[] = [];
    wb.getWorksheet("Daftar desa")!.eachRow((r, i) => i > 1 && desa.push(String(r.getCell(1).value)));
    expect(desa.length).toBeGreaterThan(0);
    expect(desa.every((c) => c.startsWith("64.08.01."))).toBe(true);

    // Sent back unchanged, the template holds no data (the example is skipped).
    const res = await upload(
      kec,
      "kader",
      "templat-kader.xlsx",
      Buffer.from(await wb.xlsx.writeBuffer()),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.status).toBe(400);
    expect(res.data.message).toBe("Berkas hanya berisi judul kolom, tanpa baris data.");

    const pos = await template("templat-posyandu.xlsx");
    const pdata = pos.getWorksheet("Data")!;
    expect(String(pdata.getRow(2).getCell(1).value)).toMatch(/^Contoh: /);
    expect(pdata.getRow(4).getCell(2).dataValidation).toMatchObject({ type: "list" });
  });

  it("after a kader import the result page links to printing the activation codes of the posyandu in the file", async () => {
    const csv = [
      "nama,no_hp,posyandu,nomor_registrasi_posyandu,kode_desa,bidang_spm,jenis_kelamin,tahun_lahir",
      "Kader Baru Satu,081399000001,,6408012001077,,Kesehatan,P,1990",
      "Kader Baru Dua,081399000002,Posyandu Kenanga Ungu,,64.08.01.2001,Sosial,P,1988",
    ].join("\n");
    const up = await upload(kec, "kader", "kader.csv", Buffer.from(csv), "text/csv");
    expect(up.status).toBe(302);
    const token = up.location!.split("/").pop()!;
    const preview = await call(pratinjau.loader, makeRequest(`/admin/impor/pratinjau/${token}`, { cookie: kec }), {
      token,
    });
    expect(preview.data.counts).toMatchObject({ baru: 2, error: 0 });
    expect(JSON.stringify(preview.data)).not.toMatch(/sha256|"sha"/);
    const saved = await call(
      pratinjau.action,
      makeRequest(`/admin/impor/pratinjau/${token}`, { cookie: kec, form: {} }),
      { token },
    );
    expect(saved.status).toBe(302);
    const result = await call(pratinjau.loader, makeRequest(`/admin/impor/pratinjau/${token}`, { cookie: kec }), {
      token,
    });
    expect(result.data.state).toBe("saved");
    expect(result.data.touched).toEqual([{ id: kenanga, name: "Posyandu Kenanga Ungu", desaName: "Senyiur" }]);
  });
});
