/**
 * Roster import (kader and posyandu from CSV/XLSX) through the routes, on PGlite or
 * PostgreSQL: preview counts and row errors in Indonesian, scope, one-transaction commit,
 * idempotent re-import and commit, and every bad-input case of issue 7.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDeflateRaw } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xlsxWithSheet } from "./zip";
import { and, count, eq, inArray, like, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { db } from "~/db.server";
import { auditLog, importBatches, importStages, posyandu, regions, users } from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { normalizePhone } from "~/lib/phone";
import { kaderRowSchema, mapHeader, parseBidang, parseGender } from "~/features/roster-import/columns";
import { importsDir } from "~/features/roster-import/upload.server";
import { sweepImports } from "~/features/roster-import/stage.server";
import * as impor from "~/routes/admin.impor._index";
import * as pratinjau from "~/routes/admin.impor.pratinjau.$token";
import * as templat from "~/routes/admin.impor.$file";
import * as auditPage from "~/routes/admin.audit";
import * as wilayah from "~/routes/admin.wilayah";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

// Upload files go to a throw-away DATA_DIR (read lazily by env()); stages to the database.
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "akademi-impor-test-"));

const DESA_A = "64.08.01.2001"; // Senyiur, Muara Ancalong
const DESA_A2 = "64.08.01.2002";
const DESA_B = "64.08.02.2001"; // Muara Wahau
const HEADER = "nama,no_hp,posyandu,nomor_registrasi_posyandu,kode_desa,bidang_spm,jenis_kelamin,tahun_lahir";

let posMelati: number, posMawar: number, posWahau: number;
let cookie: Record<"pa" | "pb" | "desa" | "admin" | "kader", string>;
let wahauKader: { id: string; phone: string };
let pembinaDesa: { id: string; phone: string };

beforeAll(async () => {
  await setupDatabase();
  posMelati = await makePosyandu({ name: "Posyandu Melati 1", desaCode: DESA_A, registrationNo: "6408012001001" });
  posMawar = await makePosyandu({ name: "Posyandu Mawar", desaCode: DESA_A2 });
  posWahau = await makePosyandu({ name: "Posyandu Wahau", desaCode: DESA_B, registrationNo: "6408022001001" });
  wahauKader = await makeUser({
    name: "Kader Wahau",
    role: "kader",
    scopeCode: DESA_B,
    posyanduId: posWahau,
    phone: "6281377700001",
  });
  pembinaDesa = await makeUser({
    name: "Pembina Senyiur",
    role: "pembina_desa",
    scopeCode: DESA_A,
    phone: "6281377700002",
  });
  const pa = await makeUser({ name: "Pembina Ancalong", role: "pembina_kecamatan", scopeCode: "64.08.01" });
  const pb = await makeUser({ name: "Pembina Wahau", role: "pembina_kecamatan", scopeCode: "64.08.02" });
  const admin = await makeUser({ name: "Admin", role: "admin", scopeCode: "64" });
  const kader = await makeUser({ role: "kader", scopeCode: DESA_A, posyanduId: posMelati });
  cookie = {
    pa: await sessionCookie(pa.id),
    pb: await sessionCookie(pb.id),
    desa: await sessionCookie(pembinaDesa.id),
    admin: await sessionCookie(admin.id),
    kader: await sessionCookie(kader.id),
  };
});

afterAll(async () => {
  // Nothing to undo in the database (per-file database); stage files live in a temp dir.
});

// ---------------------------------------------------------------- helpers

function uploadRequest(c: string, kind: string, fileName: string, content: Buffer | string, type = "text/csv") {
  const form = new FormData();
  form.set("jenis", kind);
  form.set(
    "berkas",
    new File([typeof content === "string" ? Buffer.from(content, "utf8") : new Uint8Array(content)], fileName, {
      type,
    }),
  );
  return new Request(BASE + "/admin/impor", { method: "POST", headers: { Cookie: c, Origin: BASE }, body: form });
}

async function upload(
  c: string,
  kind: "kader" | "posyandu",
  fileName: string,
  content: Buffer | string,
  type?: string,
) {
  const res = await call(impor.action, uploadRequest(c, kind, fileName, content, type));
  const token = res.status === 302 ? res.location!.split("/").pop()! : null;
  return { ...res, token };
}

async function preview(c: string, token: string) {
  return call(pratinjau.loader, makeRequest(`/admin/impor/pratinjau/${token}`, { cookie: c }), { token });
}

async function commit(c: string, token: string) {
  return call(pratinjau.action, makeRequest(`/admin/impor/pratinjau/${token}`, { cookie: c, form: {} }), { token });
}

/** Upload + preview; fails the test when the upload itself was refused. */
async function stage(c: string, kind: "kader" | "posyandu", fileName: string, content: Buffer | string, type?: string) {
  const up = await upload(c, kind, fileName, content, type);
  expect(up.status, JSON.stringify(up.data)).toBe(302);
  const p = await preview(c, up.token!);
  expect(p.status).toBe(200);
  return { token: up.token!, preview: p.data };
}

const csv = (...lines: string[]) => [HEADER, ...lines].join("\n") + "\n";

async function userByPhone(phone: string) {
  const [u] = await db.select().from(users).where(eq(users.phone, phone));
  return u;
}

async function userCount() {
  const [{ n }] = await db.select({ n: count() }).from(users);
  return n;
}

async function batchCount() {
  const [{ n }] = await db.select({ n: count() }).from(importBatches);
  return n;
}

/** Tokens of the stages in the database. */
async function stageFiles() {
  return (await db.select({ token: importStages.token }).from(importStages)).map((r) => `${r.token}.json`);
}

// ---------------------------------------------------------------- pure parts

describe("labels and headers", () => {
  it("accepts bidang labels and gender words, case-insensitively", () => {
    expect(parseBidang("Kesehatan")).toBe("kesehatan");
    expect(parseBidang("Pekerjaan Umum")).toBe("pekerjaan-umum");
    expect(parseBidang("trantibum linmas")).toBe("trantibum-linmas");
    expect(parseBidang("PERUMAHAN RAKYAT")).toBe("perumahan-rakyat");
    expect(parseBidang("sosial")).toBe("sosial");
    expect(parseBidang("Bidang Pendidikan")).toBe("pendidikan");
    expect(parseBidang("olahraga")).toBeNull();
    expect(parseGender("Laki-laki")).toBe("L");
    expect(parseGender("perempuan")).toBe("P");
    expect(parseGender("p")).toBe("P");
    expect(parseGender("X")).toBeNull();
  });

  it("maps header variants and reports missing columns", () => {
    const ok = mapHeader("kader", [
      "Nama",
      "No. HP",
      "Nama Posyandu",
      "Kode Desa",
      "Bidang SPM",
      "L/P",
      "Tahun Lahir",
      "Keterangan",
    ]);
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.index).toMatchObject({
        nama: 0,
        no_hp: 1,
        posyandu: 2,
        kode_desa: 3,
        bidang_spm: 4,
        jenis_kelamin: 5,
        tahun_lahir: 6,
      });
      expect(ok.ignored).toEqual(["Keterangan"]);
    }
    const bad = mapHeader("kader", ["name", "phone"]);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.message).toContain(
        "Kolom wajib tidak ditemukan: nama, no_hp, kode_desa, bidang_spm, posyandu atau nomor_registrasi_posyandu",
      );
  });

  it("limits birth years to 1940 .. this year - 15", () => {
    const schema = kaderRowSchema(new Date("2026-06-01T00:00:00Z"));
    const row = {
      nama: "Ani",
      no_hp: "081234567890",
      posyandu: "Melati",
      nomor_registrasi_posyandu: "",
      kode_desa: DESA_A,
      bidang_spm: "sosial",
      jenis_kelamin: "",
    };
    expect(schema.safeParse({ ...row, tahun_lahir: "2011" }).success).toBe(true);
    expect(schema.safeParse({ ...row, tahun_lahir: "2012" }).success).toBe(false);
    expect(schema.safeParse({ ...row, tahun_lahir: "1939" }).success).toBe(false);
    expect(schema.safeParse({ ...row, tahun_lahir: "" }).success).toBe(true);
  });
});

// ---------------------------------------------------------------- access

describe("access", () => {
  it("keeps kader out and lets pembina, DPMD and admin in", async () => {
    expect((await call(impor.loader, makeRequest("/admin/impor", { cookie: cookie.kader }))).status).toBe(403);
    expect((await call(impor.action, uploadRequest(cookie.kader, "kader", "a.csv", csv()))).status).toBe(403);
    expect(
      (
        await call(templat.loader, makeRequest("/admin/impor/templat-kader.csv", { cookie: cookie.kader }), {
          file: "templat-kader.csv",
        })
      ).status,
    ).toBe(403);
    for (const c of [cookie.pa, cookie.desa, cookie.admin]) {
      expect((await call(impor.loader, makeRequest("/admin/impor", { cookie: c }))).status).toBe(200);
    }
    expect((await call(impor.loader, makeRequest("/admin/impor"))).status).toBe(302);
  });

  it("refuses a cross-site upload", async () => {
    const req = uploadRequest(cookie.pa, "kader", "a.csv", csv());
    req.headers.set("Origin", "https://jahat.example");
    expect((await call(impor.action, req)).status).toBe(403);
  });

  it("a preview token belongs to its importer: others get 404, malformed tokens 404", async () => {
    const { token } = await stage(
      cookie.pa,
      "kader",
      "a.csv",
      csv("Siti Token,081300000101,Posyandu Melati 1,,64.08.01.2001,Kesehatan,P,1980"),
    );
    expect((await preview(cookie.pb, token)).status).toBe(404);
    expect((await commit(cookie.pb, token)).status).toBe(404);
    expect((await preview(cookie.pa, "0".repeat(32))).status).toBe(404);
    expect((await preview(cookie.pa, "../../etc/passwd")).status).toBe(404);
    expect(await userByPhone("6281300000101")).toBeUndefined();
  });
});

// ---------------------------------------------------------------- kader

describe("kader import", () => {
  const file = csv(
    "Siti Aminah,081300000001,Posyandu Melati 1,,64.08.01.2001,Kesehatan,Perempuan,1985",
    "Budi Santoso,+62 813-0000-0002,,6408012001001,,Pekerjaan Umum,Laki-laki,1979",
    "Rina Wati,6281300000003,mawar,,64.08.01.2002,trantibum linmas,P,",
  );

  it("previews new rows, then saves them in one batch with one audit entry", async () => {
    const before = await userCount();
    const { token, preview: p } = await stage(cookie.pa, "kader", "kader-ancalong.csv", file);
    expect(p.state).toBe("preview");
    expect(p.counts).toEqual({ baru: 3, diperbarui: 0, sama: 0, error: 0 });
    expect(p.errors).toEqual([]);
    expect(await userCount()).toBe(before); // a preview writes nothing

    const res = await commit(cookie.pa, token);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/impor/pratinjau/${token}`);
    expect(await userCount()).toBe(before + 3);

    const siti = await userByPhone("6281300000001");
    expect(siti).toMatchObject({
      name: "Siti Aminah",
      role: "kader",
      scopeCode: DESA_A,
      posyanduId: posMelati,
      spmBidang: "kesehatan",
      gender: "P",
      birthYear: 1985,
      active: true,
      passwordHash: null,
    });
    expect(await userByPhone("6281300000002")).toMatchObject({
      posyanduId: posMelati,
      spmBidang: "pekerjaan-umum",
      gender: "L",
    });
    expect(await userByPhone("6281300000003")).toMatchObject({
      posyanduId: posMawar,
      scopeCode: DESA_A2,
      spmBidang: "trantibum-linmas",
      birthYear: null,
    });

    const batches = await db.select().from(importBatches).where(eq(importBatches.fileName, "kader-ancalong.csv"));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({
      kind: "kader",
      scopeCode: "64.08.01",
      rows: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(batches[0].fileSha256).toMatch(/^[a-f0-9]{64}$/);
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "import.kader"), eq(auditLog.entityId, String(batches[0].id))));
    expect(entries).toHaveLength(1);
    expect(entries[0].detail).toMatchObject({ rows: 3, inserted: 3, updated: 0, unchanged: 0, token });

    expect(await stageFiles()).not.toContain(`${token}.json`); // names and phones do not stay stored
    const saved = await preview(cookie.pa, token);
    expect(saved.data.state).toBe("saved");
    expect(saved.data.committed).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
  });

  it("re-importing the same file changes nothing", async () => {
    const snapshot = await db.select().from(users).where(like(users.phone, "628130000000%")).orderBy(users.phone);
    const { token, preview: p } = await stage(cookie.pa, "kader", "kader-ancalong.csv", file);
    expect(p.counts).toEqual({ baru: 0, diperbarui: 0, sama: 3, error: 0 });
    expect((await commit(cookie.pa, token)).status).toBe(302);
    expect(await db.select().from(users).where(like(users.phone, "628130000000%")).orderBy(users.phone)).toEqual(
      snapshot,
    );
    const [last] = await db.select().from(importBatches).orderBy(sql`${importBatches.id} desc`).limit(1);
    expect(last).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it("updates a kader with the same phone in another format instead of duplicating", async () => {
    const before = await userCount();
    const siti = await userByPhone("6281300000001");
    const { token, preview: p } = await stage(
      cookie.pa,
      "kader",
      "pindah.csv",
      csv("Siti Aminah Rahayu,+6281300000001,Posyandu Mawar,,64.08.01.2002,Sosial,,"),
    );
    expect(p.counts).toEqual({ baru: 0, diperbarui: 1, sama: 0, error: 0 });
    expect(p.sample[0]).toMatchObject({ line: 2, status: "diperbarui", name: "Siti Aminah Rahayu" });
    expect((await commit(cookie.pa, token)).status).toBe(302);
    expect(await userCount()).toBe(before);
    const after = await userByPhone("6281300000001");
    // Empty optional cells keep what was stored.
    expect(after).toMatchObject({
      id: siti.id,
      name: "Siti Aminah Rahayu",
      posyanduId: posMawar,
      scopeCode: DESA_A2,
      spmBidang: "sosial",
      gender: "P",
      birthYear: 1985,
    });
  });

  it("commits a token once, even when Simpan is sent twice at the same moment", async () => {
    const { token } = await stage(
      cookie.pa,
      "kader",
      "ganda.csv",
      csv("Dewi Ganda,081300000010,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1990"),
    );
    const batchesBefore = await batchCount();
    const [a, b] = await Promise.all([commit(cookie.pa, token), commit(cookie.pa, token)]);
    expect([a.status, b.status]).toEqual([302, 302]);
    expect((await commit(cookie.pa, token)).status).toBe(302);
    expect(await batchCount()).toBe(batchesBefore + 1);
    const entries = await db.select().from(auditLog).where(sql`${auditLog.detail}->>'token' = ${token}`);
    expect(entries).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.phone, "6281300000010"))).toHaveLength(1);
  });

  it("the same file uploaded twice and committed at the same moment: the batches report each new kader once", async () => {
    const lines = Array.from(
      { length: 300 },
      (_, i) => `Kader Kembar ${i},0819555${String(i).padStart(5, "0")},Posyandu Melati 1,,64.08.01.2001,Sosial,P,1990`,
    );
    const one = await stage(cookie.pa, "kader", "kembar.csv", csv(...lines));
    const two = await stage(cookie.pa, "kader", "kembar.csv", csv(...lines));
    expect(one.preview.counts.baru).toBe(300);
    expect(two.preview.counts.baru).toBe(300);
    const [a, b] = await Promise.all([commit(cookie.pa, one.token), commit(cookie.pa, two.token)]);
    expect([a.status, b.status]).toEqual([302, 302]);
    const batches = await db
      .select({ inserted: importBatches.inserted, updated: importBatches.updated, unchanged: importBatches.unchanged })
      .from(importBatches)
      .where(eq(importBatches.fileName, "kembar.csv"));
    expect(batches).toHaveLength(2);
    expect(batches.reduce((n, x) => n + x.inserted, 0)).toBe(300);
    expect(batches.reduce((n, x) => n + x.unchanged, 0)).toBe(300);
  });

  it("a pembina desa imports only into their own desa", async () => {
    const { preview: p } = await stage(
      cookie.desa,
      "kader",
      "desa.csv",
      csv(
        "Ani Desa,081300000020,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1990",
        "Ina Tetangga,081300000021,Posyandu Mawar,,64.08.01.2002,Sosial,P,1990",
      ),
    );
    expect(p.counts).toMatchObject({ baru: 1, error: 1 });
    expect(p.errors).toEqual(["Baris 3: kode desa 64.08.01.2002 berada di luar wilayah Anda (64.08.01.2001)"]);
  });
});

// ---------------------------------------------------------------- bad input

describe("bad input", () => {
  it("wrong columns: a clear message and nothing staged", async () => {
    const files = (await stageFiles()).length;
    const res = await upload(cookie.pa, "kader", "salah.csv", "name,phone,village\nSiti,0813,64.08.01.2001\n");
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/^Baris 1: Kolom wajib tidak ditemukan: nama, no_hp, kode_desa, bidang_spm/);
    expect(res.data.message).toContain("ditemukan: name, phone, village");
    // A posyandu file sent as a kader import is refused the same way.
    const swapped = await upload(
      cookie.pa,
      "kader",
      "posyandu.csv",
      "nama,kode_desa,nomor_registrasi,alamat\nPosyandu X,64.08.01.2001,,\n",
    );
    expect(swapped.status).toBe(400);
    expect(swapped.data.message).toContain("no_hp");
    expect((await stageFiles()).length).toBe(files);
    const empty = await upload(cookie.pa, "kader", "kosong.csv", "\n\n");
    expect(empty.status).toBe(400);
    expect(empty.data.message).toMatch(/Berkas kosong/);
    const headerOnly = await upload(cookie.pa, "kader", "judul.csv", HEADER + "\n");
    expect(headerOnly.data.message).toBe("Berkas hanya berisi judul kolom, tanpa baris data.");
    const noFile = await upload(cookie.pa, "kader", "", "");
    expect(noFile.status).toBe(400);
  });

  it("wrong encoding: a Windows-1252 file is detected and decoded", async () => {
    const text = csv(
      "Ma\u2019ruf Hidayat,081300000030,Posyandu Melati 1,,64.08.01.2001,Sosial,L,1970",
      "Nurjannah Sa\u2019diyah,081300000031,Posyandu Melati 1,,64.08.01.2001,Kesehatan,P,1975",
      "Andi Ren\u00e9,081300000032,Posyandu Melati 1,,64.08.01.2001,Kesehatan,L,1975",
    );
    const bytes = iconv.encode(text, "windows-1252");
    expect(bytes.includes(0x92)).toBe(true); // the typographic apostrophe as Excel on Windows writes it
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const { token, preview: p } = await stage(cookie.pa, "kader", "kader-1252.csv", bytes);
    expect(p.encoding).toBe("windows-1252");
    expect(p.counts).toEqual({ baru: 3, diperbarui: 0, sama: 0, error: 0 });
    expect((await commit(cookie.pa, token)).status).toBe(302);
    expect((await userByPhone("6281300000030")).name).toBe("Ma\u2019ruf Hidayat");
    expect((await userByPhone("6281300000031")).name).toBe("Nurjannah Sa\u2019diyah");
    expect((await userByPhone("6281300000032")).name).toBe("Andi Ren\u00e9");
    // The same names in UTF-8 with a BOM and semicolons (Excel in Indonesian locale) are the same rows.
    const utf8 = "\uFEFF" + text.replaceAll(",", ";");
    const again = await stage(cookie.pa, "kader", "kader-utf8.csv", utf8);
    expect(again.preview.encoding).toBe("utf8");
    expect(again.preview.counts).toEqual({ baru: 0, diperbarui: 0, sama: 3, error: 0 });
  });

  it("a title above the header row is skipped", async () => {
    const text = [
      "DAFTAR KADER POSYANDU KECAMATAN MUARA ANCALONG,,,,,,,",
      "Tahun 2026",
      "",
      HEADER,
      "Tuti Judul,081300000045,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
    ].join("\n");
    const { preview: p } = await stage(cookie.pa, "kader", "berjudul.csv", text);
    expect(p.headerLine).toBe(4);
    expect(p.counts).toEqual({ baru: 1, diperbarui: 0, sama: 0, error: 0 });
  });

  it("empty rows are skipped", async () => {
    const text = [
      HEADER,
      "",
      ",,,,,,,",
      "Yanti Kosong,081300000040,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
      "  ,  ,,,,,,",
      "",
      "Yuli Kosong,081300000041,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1981",
      "",
    ].join("\r\n");
    const { preview: p } = await stage(cookie.pa, "kader", "kosong.csv", text);
    expect(p.counts).toEqual({ baru: 2, diperbarui: 0, sama: 0, error: 0 });
    expect(p.dataRows).toBe(2);
    expect(p.skipped).toBe(2);
    expect(p.errors).toEqual([]);
  });

  it("duplicate phones inside one file are row errors, whatever the format", async () => {
    const before = await userCount();
    const up = await stage(
      cookie.pa,
      "kader",
      "dobel.csv",
      csv(
        "Ratna Satu,081300000050,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
        "Ratna Dua,+6281300000050,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
        "Ratna Tiga,6281300000050,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
      ),
    );
    expect(up.preview.counts).toMatchObject({ baru: 1, error: 2 });
    expect(up.preview.errors).toEqual([
      "Baris 3: nomor HP 081300000050 sudah ada di baris 2",
      "Baris 4: nomor HP 081300000050 sudah ada di baris 2",
    ]);
    const res = await commit(cookie.pa, up.token);
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/Perbaiki berkas/);
    expect(await userCount()).toBe(before);
  });

  it("a file over the size limit gets a clear message", async () => {
    const row = "Siti Besar,081300000060,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980\n";
    const big = Buffer.from(HEADER + "\n" + row.repeat(Math.ceil((10.5 * 1024 * 1024) / row.length)));
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const files = readdirSync(importsDir()).length;
    const res = await upload(cookie.pa, "kader", "besar.csv", big);
    expect(res.status).toBe(400);
    expect(res.data.message).toBe(
      "Berkas terlalu besar: ukuran maksimal 10 MB. Bagi data menjadi beberapa berkas (misalnya per kecamatan).",
    );
    expect(readdirSync(importsDir()).length).toBe(files); // the partial upload was removed
  });

  it("wrong types: every problem of a row in one Indonesian line, and nothing half-imported", async () => {
    const before = await userCount();
    const year = new Date().getFullYear();
    const up = await stage(
      cookie.pa,
      "kader",
      "tipe.csv",
      csv(
        "Baik Sekali,081300000070,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
        "Salah HP,0812-ABC,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
        "Salah Tahun,081300000071,Posyandu Melati 1,,64.08.01.2001,Sosial,P,sembilan belas",
        "Terlalu Muda,081300000072,Posyandu Melati 1,,64.08.01.2001,Sosial,P," + (year - 10),
        "Salah Semua,12345,Posyandu Melati 1,,64.08.01,Olahraga,X,1930",
        ",081300000073,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980",
        "Tanpa Posyandu,081300000074,,,64.08.01.2001,Sosial,P,1980",
      ),
    );
    expect(up.preview.counts).toEqual({ baru: 1, diperbarui: 0, sama: 0, error: 6 });
    expect(up.preview.errors).toEqual([
      "Baris 3: nomor HP tidak valid (0812-ABC)",
      `Baris 4: tahun lahir harus antara 1940 dan ${year - 15}`,
      `Baris 5: tahun lahir harus antara 1940 dan ${year - 15}`,
      `Baris 6: nomor HP tidak valid (12345); kode desa tidak valid (contoh: 64.08.01.2001); bidang SPM "Olahraga" tidak dikenal (pilih: Pendidikan, Kesehatan, Pekerjaan Umum, Perumahan Rakyat, Trantibum Linmas, Sosial); jenis kelamin harus L atau P; tahun lahir harus antara 1940 dan ${year - 15}`,
      "Baris 7: nama wajib diisi",
      "Baris 8: isi nama posyandu atau nomor registrasinya",
    ]);
    expect((await commit(cookie.pa, up.token)).status).toBe(400);
    expect(await userCount()).toBe(before);
    expect(await userByPhone("6281300000070")).toBeUndefined();
  });

  it("rows outside the importer's scope are errors", async () => {
    const up = await stage(
      cookie.pa,
      "kader",
      "luar.csv",
      csv(
        "Desa Luar,081300000080,Posyandu Wahau,,64.08.02.2001,Sosial,P,1980",
        "Reg Luar,081300000081,,6408022001001,,Sosial,P,1980",
        `Sudah Di Wahau,0${wahauKader.phone.slice(2)},Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980`,
        `Pembina Desa,0${pembinaDesa.phone.slice(2)},Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980`,
        "Tak Dikenal,081300000082,Posyandu Entah,,64.08.01.2001,Sosial,P,1980",
        "Reg Tak Ada,081300000083,,9999,,Sosial,P,1980",
        "Reg Beda Desa,081300000084,,6408012001001,64.08.01.2002,Sosial,P,1980",
        "Desa Fiktif,081300000085,Posyandu Melati 1,,64.08.01.2999,Sosial,P,1980",
      ),
    );
    expect(up.preview.errors).toEqual([
      "Baris 2: kode desa 64.08.02.2001 berada di luar wilayah Anda (64.08.01)",
      "Baris 3: posyandu dengan nomor registrasi 6408022001001 berada di luar wilayah Anda",
      `Baris 4: nomor HP 0${wahauKader.phone.slice(2)} tidak dapat dipakai di wilayah Anda`,
      `Baris 5: nomor HP 0${pembinaDesa.phone.slice(2)} sudah dipakai akun Tim Pembina Desa, bukan kader`,
      'Baris 6: posyandu "Posyandu Entah" tidak ditemukan di desa 64.08.01.2001 (tambahkan atau impor posyandu terlebih dahulu)',
      "Baris 7: posyandu dengan nomor registrasi 9999 tidak ditemukan",
      "Baris 8: nomor registrasi 6408012001001 milik Posyandu Melati 1 di desa 64.08.01.2001, bukan 64.08.01.2002",
      "Baris 9: kode desa 64.08.01.2999 tidak ditemukan",
    ]);
    expect((await userByPhone(wahauKader.phone)).name).toBe("Kader Wahau");
  });

  it("XLSX: cached formula results are used; a formula without one is a row error", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Data");
    ws.addRow(HEADER.split(","));
    ws.addRow(["Lia Angka", 81300000090, "Posyandu Melati 1", "", DESA_A, "Kesehatan", "P", 1988]); // phone typed as a number
    ws.addRow([
      "Lia Rumus",
      { formula: '"0813"&"00000091"', result: "081300000091" },
      "Posyandu Melati 1",
      "",
      DESA_A,
      "Sosial",
      "P",
      { formula: "1980+9", result: 1989 },
    ]);
    ws.addRow([
      "Lia Tanpa Hasil",
      { formula: '"0813"&"00000092"' },
      "Posyandu Melati 1",
      "",
      DESA_A,
      "Sosial",
      "P",
      1990,
    ]);
    ws.addRow([]);
    ws.addRow(["Lia Galat", "081300000093", "Posyandu Melati 1", "", DESA_A, { error: "#N/A" }, "P", 1990]);
    ws.addRow([
      { richText: [{ text: "Lia " }, { text: "Kaya", font: { bold: true } }] },
      "081300000094",
      "Posyandu Melati 1",
      "",
      DESA_A,
      "Sosial",
      "P",
      1991,
    ]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await stage(
      cookie.pa,
      "kader",
      "kader.xlsx",
      buf,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(up.preview.encoding).toBe("xlsx");
    expect(up.preview.errors).toEqual([
      "Baris 4: sel berisi rumus tanpa hasil tersimpan; ganti rumus dengan nilainya (kolom no_hp)",
      "Baris 6: sel berisi galat #N/A (kolom bidang_spm)",
    ]);
    expect(up.preview.counts).toEqual({ baru: 3, diperbarui: 0, sama: 0, error: 2 });
    expect(up.preview.sample.map((s: { name: string }) => s.name)).toEqual(["Lia Angka", "Lia Rumus", "Lia Kaya"]);
  });

  it("an XLSX that unpacks to far more than its size (zip bomb) is refused before reading", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Data").addRow(HEADER.split(","));
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    // Claim 2 GB for the first entry in the central directory.
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = buf.readUInt32LE(eocd + 16);
    buf.writeUInt32LE(0x7fffffff, cd + 24);
    const res = await upload(cookie.pa, "kader", "bom.xlsx", buf);
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/^Isi berkas XLSX terlalu besar setelah dibuka/);
  });

  it("an XLSX whose headers lie about its size is refused by the bytes actually inflated", async () => {
    // The sheet inflates to 300 MB of spaces; both zip headers claim 2,000 bytes.
    const head = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
        `<row r="1">${HEADER.split(",")
          .map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`)
          .join("")}</row>`,
    );
    const tail = Buffer.from("</sheetData></worksheet>");
    const deflater = createDeflateRaw({ level: 9 });
    const parts: Buffer[] = [];
    deflater.on("data", (b: Buffer) => parts.push(b));
    const done = new Promise((r) => deflater.on("end", r));
    deflater.write(head);
    const spaces = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < 300; i++) deflater.write(spaces);
    deflater.end(tail);
    await done;
    const buf = xlsxWithSheet({ name: "", deflated: Buffer.concat(parts), claim: 2000, crc: 0 });
    expect(buf.length).toBeLessThan(1024 * 1024);
    const t = performance.now();
    const res = await upload(cookie.pa, "kader", "bom-bohong.xlsx", buf);
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/^Isi berkas XLSX terlalu besar setelah dibuka/);
    // Refused while counting, before the reader parses 300 MB.
    expect(performance.now() - t).toBeLessThan(15_000);
  });

  it("an XLSX with more rows than the import takes is refused at the row limit, blank rows counted", async () => {
    const rows = [
      `<row r="1">${HEADER.split(",")
        .map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`)
        .join("")}</row>`,
    ];
    for (let r = 2; r <= 150_002; r++) rows.push(`<row r="${r}"/>`);
    const sheet = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join("")}</sheetData></worksheet>`,
    );
    const res = await upload(cookie.pa, "kader", "kosong.xlsx", xlsxWithSheet({ name: "", data: sheet }));
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/lebih dari 100\.000 baris/);
  });

  it("XLSX and other binary files that are not what they claim are refused", async () => {
    const fake = await upload(cookie.pa, "kader", "palsu.xlsx", "nama,no_hp\n");
    expect(fake.status).toBe(400);
    expect(fake.data.message).toMatch(/bukan berkas Excel/);
    const xls = await upload(
      cookie.pa,
      "kader",
      "lama.xls",
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    );
    expect(xls.data.message).toMatch(/Excel 97-2003/);
    const broken = await upload(
      cookie.pa,
      "kader",
      "rusak.xlsx",
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]),
    );
    expect(broken.status).toBe(400);
    expect(broken.data.message).toMatch(/XLSX tidak dapat dibaca/);
    const quote = await upload(
      cookie.pa,
      "kader",
      "kutip.csv",
      csv('"Siti,081300000095,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980'),
    );
    expect(quote.status).toBe(400);
    expect(quote.data.message).toMatch(/CSV tidak dapat dibaca/);
  });

  it("50,000-row file: preview and commit in one transaction", { timeout: 240_000 }, async () => {
    const before = await userCount();
    const desa = ["64.08.01.2001", "64.08.01.2002", "64.08.01.2003", "64.08.01.2004"];
    const pos: number[] = [];
    for (const d of desa)
      pos.push(
        await makePosyandu({
          name: `Posyandu Massal ${d.slice(-1)}`,
          desaCode: d,
          registrationNo: `M${d.replaceAll(".", "")}`,
        }),
      );
    const bidang = ["Pendidikan", "Kesehatan", "Pekerjaan Umum", "Perumahan Rakyat", "Trantibum Linmas", "Sosial"];
    const lines = [HEADER];
    for (let i = 0; i < 50_000; i++) {
      const d = desa[i % desa.length];
      const phone = ["08", "+628", "628"][i % 3] + String(5_000_000_000 + i);
      lines.push(
        i % 2
          ? `Kader Massal ${i},${phone},,M${d.replaceAll(".", "")},,${bidang[i % 6]},P,${1950 + (i % 50)}`
          : `Kader Massal ${i},${phone},Posyandu Massal ${d.slice(-1)},,${d},${bidang[i % 6]},L,`,
      );
    }
    const text = lines.join("\n");
    const t0 = performance.now();
    const { token, preview: p } = await stage(cookie.pa, "kader", "massal.csv", text);
    const t1 = performance.now();
    expect(p.counts).toEqual({ baru: 50_000, diperbarui: 0, sama: 0, error: 0 });
    expect((await commit(cookie.pa, token)).status).toBe(302);
    const t2 = performance.now();
    expect(await userCount()).toBe(before + 50_000);
    const [{ n }] = await db.select({ n: count() }).from(users).where(inArray(users.posyanduId, pos));
    expect(n).toBe(50_000);
    console.log(`50.000 baris: pratinjau ${Math.round(t1 - t0)} ms, simpan ${Math.round(t2 - t1)} ms`);
    // Re-import: all unchanged, nothing written.
    const again = await stage(cookie.pa, "kader", "massal.csv", text);
    expect(again.preview.counts).toEqual({ baru: 0, diperbarui: 0, sama: 50_000, error: 0 });
    // One import = one audit entry, not 50,000.
    const [{ entries }] = await db
      .select({ entries: count() })
      .from(auditLog)
      .where(sql`${auditLog.detail}->>'token' = ${token}`);
    expect(entries).toBe(1);
  });

  it("a file with more than 200 errors shows the first 200 and counts them all", async () => {
    const lines = Array.from(
      { length: 250 },
      (_, i) => `Banyak Salah ${i},0812-SALAH,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980`,
    );
    const { preview: p } = await stage(cookie.pa, "kader", "salah-banyak.csv", csv(...lines));
    expect(p.counts.error).toBe(250);
    expect(p.errors).toHaveLength(200);
    expect(p.errors[0]).toBe("Baris 2: nomor HP tidak valid (0812-SALAH)");
  });

  it("an expired preview cannot be saved; old stage files are swept", async () => {
    const { token } = await stage(
      cookie.pa,
      "kader",
      "lama.csv",
      csv("Lama Sekali,081300000099,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980"),
    );
    const [row] = await db.select().from(importStages).where(eq(importStages.token, token));
    const staged = JSON.parse(row.summary);
    staged.expiresAt = new Date(Date.now() - 1000).toISOString();
    await db
      .update(importStages)
      .set({ summary: JSON.stringify(staged) })
      .where(eq(importStages.token, token));
    const res = await commit(cookie.pa, token);
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/kedaluwarsa/);
    expect((await preview(cookie.pa, token)).data.expired).toBe(true);
    expect(await userByPhone("6281300000099")).toBeUndefined();
    await db
      .update(importStages)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(importStages.token, token));
    expect(await sweepImports()).toBeGreaterThanOrEqual(1);
    expect((await preview(cookie.pa, token)).status).toBe(404);
  });

  it("a change between preview and commit is caught and nothing is saved", async () => {
    const { token } = await stage(
      cookie.pa,
      "kader",
      "berubah.csv",
      csv("Berubah Dulu,081300000110,Posyandu Melati 1,,64.08.01.2001,Sosial,P,1980"),
    );
    // Meanwhile the phone is given to a pembina account.
    await makeUser({ name: "Pembina Baru", role: "pembina_desa", scopeCode: DESA_A, phone: "6281300000110" });
    const res = await commit(cookie.pa, token);
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/Data berubah sejak pratinjau/);
    expect(res.data.errors[0]).toMatch(/^Baris 2: nomor HP 081300000110 sudah dipakai akun Tim Pembina Desa/);
    expect((await userByPhone("6281300000110")).role).toBe("pembina_desa");
  });
});

// ---------------------------------------------------------------- posyandu

describe("posyandu import", () => {
  const HEAD = "nama,kode_desa,nomor_registrasi,alamat";

  it("creates, then re-imports with no change, then updates by registration number or by desa + name", async () => {
    const first = [
      HEAD,
      "Posyandu Kenanga,64.08.01.2003,6408012003001,Jl. Poros RT 02",
      "Posyandu Dahlia,64.08.01.2003,,",
      "Posyandu Mawar,64.08.01.2002,6408012002009,Dusun II",
    ].join("\n");
    const a = await stage(cookie.pa, "posyandu", "posyandu.csv", first);
    // "Posyandu Mawar" exists (no registration number yet): matched by desa + name, not duplicated.
    expect(a.preview.counts).toEqual({ baru: 2, diperbarui: 1, sama: 0, error: 0 });
    expect((await commit(cookie.pa, a.token)).status).toBe(302);
    const [mawar] = await db.select().from(posyandu).where(eq(posyandu.id, posMawar));
    expect(mawar).toMatchObject({ registrationNo: "6408012002009", address: "Dusun II" });
    const [kenanga] = await db.select().from(posyandu).where(eq(posyandu.registrationNo, "6408012003001"));
    expect(kenanga).toMatchObject({
      name: "Posyandu Kenanga",
      desaCode: "64.08.01.2003",
      address: "Jl. Poros RT 02",
      active: true,
    });

    const again = await stage(cookie.pa, "posyandu", "posyandu.csv", first);
    expect(again.preview.counts).toEqual({ baru: 0, diperbarui: 0, sama: 3, error: 0 });

    const renamed = [
      HEAD,
      "Posyandu Kenanga Indah,64.08.01.2003,6408012003001,",
      "posyandu dahlia,64.08.01.2003,6408012003002,Jl. Dahlia",
    ].join("\n");
    const b = await stage(cookie.pa, "posyandu", "ubah.csv", renamed);
    expect(b.preview.counts).toEqual({ baru: 0, diperbarui: 2, sama: 0, error: 0 });
    expect((await commit(cookie.pa, b.token)).status).toBe(302);
    const [k2] = await db.select().from(posyandu).where(eq(posyandu.id, kenanga.id));
    expect(k2).toMatchObject({ name: "Posyandu Kenanga Indah", address: "Jl. Poros RT 02" });
    const [dahlia] = await db.select().from(posyandu).where(eq(posyandu.registrationNo, "6408012003002"));
    expect(dahlia).toMatchObject({ name: "posyandu dahlia", address: "Jl. Dahlia" });
    const [{ n }] = await db.select({ n: count() }).from(posyandu).where(eq(posyandu.desaCode, "64.08.01.2003"));
    expect(n).toBe(3); // Kenanga, Dahlia and the bulk-test posyandu: nothing duplicated
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "import.posyandu")).limit(1);
    expect(entry.entity).toBe("import_batch");
  });

  it("reports duplicates in the file, registration numbers outside the scope and desa outside the scope", async () => {
    const text = [
      HEAD,
      "Posyandu Satu,64.08.01.2004,R-1,",
      "Posyandu Dua,64.08.01.2004,R-1,",
      "Posyandu Satu,64.08.01.2004,,",
      "Posyandu Curang,64.08.01.2004,6408022001001,",
      "Posyandu Seberang,64.08.02.2001,,",
      "Po,64.08.01.2004,,",
      "Posyandu Tanpa Desa,,,",
      "Posyandu Melati 1,64.08.01.2001,LAIN-1,",
    ].join("\n");
    const { token, preview: p } = await stage(cookie.pa, "posyandu", "posyandu-salah.csv", text);
    expect(p.errors).toEqual([
      "Baris 3: nomor registrasi R-1 sudah ada di baris 2",
      'Baris 4: posyandu "Posyandu Satu" di desa 64.08.01.2004 sudah ada di baris 2',
      "Baris 5: nomor registrasi 6408022001001 sudah dipakai posyandu di luar wilayah Anda",
      "Baris 6: kode desa 64.08.02.2001 berada di luar wilayah Anda (64.08.01)",
      "Baris 7: nama posyandu minimal 3 karakter",
      "Baris 8: kode desa wajib diisi",
      "Baris 9: Posyandu Melati 1 di desa 64.08.01.2001 sudah terdaftar dengan nomor registrasi 6408012001001",
    ]);
    const [{ n: before }] = await db.select({ n: count() }).from(posyandu);
    expect((await commit(cookie.pa, token)).status).toBe(400);
    const [{ n: after }] = await db.select({ n: count() }).from(posyandu);
    expect(after).toBe(before);
  });
});

// ---------------------------------------------------------------- templates, audit, regions

describe("templates", () => {
  it("serves the four templates; the XLSX template filled in imports cleanly", async () => {
    const get = (file: string) =>
      call(templat.loader, makeRequest(`/admin/impor/${file}`, { cookie: cookie.pa }), { file });
    const kaderCsv = await get("templat-kader.csv");
    expect(kaderCsv.status).toBe(200);
    expect(kaderCsv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(kaderCsv.headers.get("Content-Disposition")).toBe('attachment; filename="templat-kader.csv"');
    expect(kaderCsv.data.replace(/^\uFEFF/, "").trim()).toBe(HEADER);
    const posCsv = await get("templat-posyandu.csv");
    expect(posCsv.data.replace(/^\uFEFF/, "").trim()).toBe("nama,kode_desa,nomor_registrasi,alamat");
    expect((await get("templat-lain.csv")).status).toBe(404);
    expect((await get("templat-kader.pdf")).status).toBe(404);

    for (const file of ["templat-kader.xlsx", "templat-posyandu.xlsx"]) {
      const res = await templat.loader({
        request: makeRequest(`/admin/impor/${file}`, { cookie: cookie.pa }),
        params: { file },
        context: { clientIp: "x" },
      });
      expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      expect(wb.worksheets[0].name).toBe("Data");
      expect(wb.worksheets.map((w) => w.name)).toContain("Petunjuk");
      if (file === "templat-kader.xlsx") {
        const ref = wb.getWorksheet("Daftar posyandu")!;
        const names: string[] = [];
        ref.eachRow((r, i) => i > 1 && names.push(String(r.getCell(1).value)));
        expect(names).toContain("Posyandu Melati 1");
        expect(names).not.toContain("Posyandu Wahau"); // only the importer's scope
        const data = wb.getWorksheet("Data")!;
        data.addRow(["Template Terisi", "081300000120", "", "6408012001001", "", "Pendidikan", "P", "1992"]);
        const up = await stage(cookie.pa, "kader", "templat-kader.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
        expect(up.preview.counts).toEqual({ baru: 1, diperbarui: 0, sama: 0, error: 0 });
      }
    }
  });
});

describe("audit and regions", () => {
  it("the audit page labels the import with its counts", async () => {
    const res = await call(auditPage.loader, makeRequest("/admin/audit", { cookie: cookie.admin }));
    const item = res.data.items.find((i: { action: string }) => i.action === "import.kader");
    expect(item.label).toBe("mengimpor daftar kader");
    expect(item.summary).toMatch(/baris, \d+ baru, \d+ diperbarui, \d+ tidak berubah$/);
    expect(
      res.data.items.some(
        (i: { action: string; label: string }) =>
          i.action === "import.posyandu" && i.label === "mengimpor daftar posyandu",
      ),
    ).toBe(true);
  });

  it("admin imports the region codes of another province through /admin/wilayah; others may not", async () => {
    const file = [
      "code,name,level,parent_code",
      "65,Kalimantan Utara,provinsi,",
      "65.01,Kabupaten Malinau,kabupaten,65",
      "65.01.01,Malinau Kota,kecamatan,65.01",
      "65.01.01.1001,Malinau Kota,desa,65.01.01",
      "65.01.01.1002,Malinau Hulu,desa,65.01.01",
    ].join("\n");
    const req = (c: string, content: string) => {
      const form = new FormData();
      form.set("file", new File([content], "kaltara.csv", { type: "text/csv" }));
      return new Request(BASE + "/admin/wilayah", { method: "POST", headers: { Cookie: c, Origin: BASE }, body: form });
    };
    expect((await call(wilayah.action, req(cookie.pa, file))).status).toBe(403);
    const res = await call(wilayah.action, req(cookie.admin, file));
    expect(res.status).toBe(200);
    // Kalimantan Utara down to kecamatan is bundled (data/wilayah/indonesia_wilayah.csv): its desa are new.
    expect(res.data).toEqual({ ok: true, inserted: 2, updated: 3 });
    const rows = await db.select().from(regions).where(like(regions.code, "65.01.01.%"));
    expect(rows).toHaveLength(2);
    const bad = await call(
      wilayah.action,
      req(cookie.admin, "code,name,level,parent_code\n66.01,Tanpa Induk,kabupaten,66\n"),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toEqual(["Baris 2: wilayah induk 66 tidak ada."]);
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "regions.import"), eq(auditLog.entityId, "65")));
    expect(entries).toHaveLength(1); // the refused file left no entry
    expect(entries[0]).toMatchObject({
      actorId: expect.any(String),
      regionCode: "65",
      detail: { rows: 5, inserted: 2, updated: 3 },
    });
    // The new province can then have an admin of its own, who imports its posyandu; the
    // Kalimantan Timur admin cannot.
    const posyanduFile = "nama,kode_desa,nomor_registrasi,alamat\nPosyandu Malinau,65.01.01.1001,,\n";
    const kaltim = await stage(cookie.admin, "posyandu", "kaltara-posyandu.csv", posyanduFile);
    expect(kaltim.preview.errors).toEqual(["Baris 2: kode desa 65.01.01.1001 berada di luar wilayah Anda (64)"]);
    const adminKaltara = await makeUser({ name: "Admin Kaltara", role: "admin", scopeCode: "65" });
    const up = await stage(await sessionCookie(adminKaltara.id), "posyandu", "kaltara-posyandu.csv", posyanduFile);
    expect(up.preview.counts).toEqual({ baru: 1, diperbarui: 0, sama: 0, error: 0 });
  });

  it("npm run regions:import: the same CSV format from the command line, all or nothing", {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "akademi-wilayah-cli-"));
    const good = path.join(dir, "uji.csv");
    writeFileSync(
      good,
      [
        "code,name,level,parent_code",
        "99,Provinsi Uji,provinsi,",
        "99.01,Kabupaten Uji,kabupaten,99",
        "99.01.01,Kecamatan Uji,kecamatan,99.01",
        "99.01.01.2001,Desa Uji,desa,99.01.01",
      ].join("\n"),
    );
    const bad = path.join(dir, "salah.csv");
    writeFileSync(bad, "code,name,level,parent_code\n98.01,Kabupaten Yatim,kabupaten,98\n");
    // A development-mode process: PGlite files under DATA_DIR (or the test's PostgreSQL database).
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", DATA_DIR: dir };
    const run = (file: string) =>
      spawnSync("npx", ["tsx", "scripts/import-regions.ts", file], { env, encoding: "utf8", timeout: 60_000 });
    const first = run(good);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("Impor selesai: 4 wilayah baru, 0 diperbarui.");
    const refused = run(bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("Baris 2: wilayah induk 98 tidak ada.");
    // Without a file it loads the bundled regions (tests/national-regions.test.ts); --help says both.
    const usage = spawnSync("npx", ["tsx", "scripts/import-regions.ts", "--help"], {
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(usage.status).toBe(0);
    expect(usage.stdout).toContain("npm run regions:import -- berkas.csv");
  });

  it("the phone numbers stored are canonical", () => {
    expect(normalizePhone("+62 813-0000-0002")).toBe("6281300000002");
  });
});
