/**
 * Issue 20: the Tim Pembina as learners. A pembina takes her own programme (programme.yaml,
 * roles), is observed by the level above in its practice tasks and is certified like a kader;
 * kader are never evaluated in it, and the dashboards' projection counts kader only.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { attendance, certificates, kaderProgress, users } from "~/db/schema";
import { makeUser } from "~/demo/factories.server";
import { content, mainProgrammeFor, pembinaProgramme } from "~/features/catalogue/content.server";
import { kaderStanding } from "~/features/certification/evaluate.server";
import {
  kaderPracticeTasks,
  observablePembina,
  pembinaPracticeTasks,
  recordObservations,
  recordPembinaObservations,
} from "~/features/certification/practice.server";
import * as home from "~/routes/_index";
import * as sertifikat from "~/routes/sertifikat._index";
import * as list from "~/routes/tim-pembina._index";
import * as sheet from "~/routes/tim-pembina.praktik";
import { DESA, makeWorkshop, newKader, pdfText, readModule, takeQuiz } from "./certification-helpers";
import { findCertificate } from "~/features/certification/certificates.server";
import { renderCertificate } from "~/features/certification/pdf.server";
import { call, idempotencyKey, makeRequest, sessionCookie, sessionUser, setupDatabase } from "./helpers";

const KEC = "64.08.01";
const key = idempotencyKey;

function sheetForm(taskId: string, subjects: Record<string, { steps: number[]; result: string }>, k = key()) {
  const f = new FormData();
  f.set("taskId", taskId);
  f.set("observedOn", new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  f.set("place", "Aula Kantor Camat Muara Ancalong");
  f.set("idempotencyKey", k);
  for (const [id, s] of Object.entries(subjects)) {
    for (const i of s.steps) f.append(`langkah_${id}`, String(i));
    f.set(`hasil_${id}`, s.result);
  }
  return f;
}

const all = (taskId: string) => [
  ...pembinaPracticeTasks()
    .find((t) => t.id === taskId)!
    .steps.keys(),
];

let kab: SessionUser;
let kabOther: SessionUser;
let kec: SessionUser;
let kecPeer: SessionUser;
let desa: SessionUser;

beforeAll(async () => {
  await setupDatabase();
  kab = await sessionUser((await makeUser({ role: "pembina_kabupaten", scopeCode: "64.08", name: "Bu Kabupaten" })).id);
  kabOther = await sessionUser(
    (await makeUser({ role: "pembina_kabupaten", scopeCode: "64.02", name: "Bu Kukar" })).id,
  );
  kec = await sessionUser((await makeUser({ role: "pembina_kecamatan", scopeCode: KEC, name: "Pak Camat Tim" })).id);
  kecPeer = await sessionUser((await makeUser({ role: "pembina_kecamatan", scopeCode: KEC, name: "Bu Rekan" })).id);
  desa = await sessionUser((await makeUser({ role: "pembina_desa", scopeCode: DESA, name: "Bu Desa" })).id);
});

describe("the Tim Pembina programme (issue 20)", () => {
  it("is the programme of every pembina role and of no kader; kader and DPMD keep theirs", () => {
    const p = pembinaProgramme()!;
    expect(p.id).toBe("pembina-6-spm");
    for (const r of ["pembina_desa", "pembina_kecamatan", "pembina_kabupaten"] as const)
      expect(mainProgrammeFor(r)?.id).toBe(p.id);
    expect(mainProgrammeFor("kader")?.id).toBe(content().defaultProgramme.id);
    expect(mainProgrammeFor("dpmd")).toBeUndefined();
    expect(p.requiredModules).toHaveLength(5);
    expect(p.practice.tasks.map((t) => t.id)).toEqual(["fasilitasi-sesi", "penilaian-bersama"]);
  });

  it("a pembina kecamatan reads, passes, attends a sosialisasi and is certified once observed by the kabupaten", async () => {
    const p = pembinaProgramme()!;
    for (const slug of p.requiredModules) {
      await readModule(kec.id, slug);
      expect((await takeQuiz(kec.id, slug)).passed).toBe(true);
    }
    let [s] = await kaderStanding(kec.id);
    expect(s.programme.id).toBe(p.id);
    expect(s.rule.modulesDone).toBe(5);
    expect(s.valid).toBeNull();
    const w = await makeWorkshop({ kind: "sosialisasi" });
    await db.insert(attendance).values({ workshopId: w, userId: kec.id, status: "hadir", method: "roster" });

    // A peer of the same level may not observe her; a kabupaten team of another kabupaten does not see her.
    expect((await observablePembina(kecPeer)).map((u) => u.id)).not.toContain(kec.id);
    expect((await observablePembina(kabOther)).map((u) => u.id)).not.toContain(kec.id);
    const refused = await recordPembinaObservations(
      kabOther,
      sheetForm("fasilitasi-sesi", { [kec.id]: { steps: all("fasilitasi-sesi"), result: "kompeten" } }),
    );
    expect(refused.ok).toBe(false);
    // Not "kompeten" with a step unchecked.
    const partial = await recordPembinaObservations(
      kab,
      sheetForm("fasilitasi-sesi", { [kec.id]: { steps: [0, 1], result: "kompeten" } }),
    );
    expect(partial.ok).toBe(false);
    // A kader task is not on the pembina sheet.
    const wrongTask = await recordPembinaObservations(
      kab,
      sheetForm(kaderPracticeTasks()[0].id, { [kec.id]: { steps: [0], result: "belum_kompeten" } }),
    );
    expect(wrongTask.ok).toBe(false);

    const k = key();
    const first = await recordPembinaObservations(
      kab,
      sheetForm("fasilitasi-sesi", { [kec.id]: { steps: all("fasilitasi-sesi"), result: "kompeten" } }, k),
    );
    expect(first).toMatchObject({ ok: true, recorded: 1 });
    // The same sheet sent twice stores once.
    expect(
      await recordPembinaObservations(
        kab,
        sheetForm("fasilitasi-sesi", { [kec.id]: { steps: all("fasilitasi-sesi"), result: "kompeten" } }, k),
      ),
    ).toMatchObject({ ok: true, recorded: 0 });
    [s] = await kaderStanding(kec.id);
    expect(s.rule.practice.done).toBe(1);
    expect(s.valid).toBeNull();

    expect(
      await recordPembinaObservations(
        kab,
        sheetForm("penilaian-bersama", { [kec.id]: { steps: all("penilaian-bersama"), result: "kompeten" } }),
      ),
    ).toMatchObject({ ok: true, recorded: 1 });
    [s] = await kaderStanding(kec.id);
    expect(s.rule.certified).toBe(true);
    expect(s.valid).not.toBeNull();
    const certs = await db.select().from(certificates).where(eq(certificates.userId, kec.id));
    expect(certs.map((c) => c.programmeId)).toEqual([p.id]);
    expect(certs[0].payload).toMatchObject({
      peran: "Tim Pembina Posyandu Kecamatan",
      programme: p.title,
      posyandu: "",
    });
    expect(certs[0].payload.desa).toContain("Kecamatan");
    // Printed and verified like a kader's: the PDF names her team in place of a posyandu.
    const { pdf } = await renderCertificate((await findCertificate(certs[0].code))!, "http://localhost:3000");
    const text = pdfText(pdf);
    expect(text).toContain("Tim Pembina Posyandu Kecamatan");
    expect(text).toContain(p.title);
    expect(text).not.toContain("Kader Posyandu");
    // The dashboards' projection counts kader only.
    expect(await db.select().from(kaderProgress).where(eq(kaderProgress.userId, kec.id))).toHaveLength(0);
  });

  it("a pembina kecamatan observes the desa team of her kecamatan; a pembina desa observes nobody", async () => {
    expect((await observablePembina(kec)).map((u) => u.id)).toEqual([desa.id]);
    expect(await observablePembina(desa)).toEqual([]);
    const r = await recordPembinaObservations(
      kec,
      sheetForm("penilaian-bersama", { [desa.id]: { steps: [0, 1, 2], result: "belum_kompeten" } }),
    );
    expect(r).toMatchObject({ ok: true, recorded: 1 });
  });

  it("a kader is never evaluated in the pembina programme, and a pembina task is not on a posyandu sheet", async () => {
    const kader = await newKader({ name: "Kader Uji" });
    const [s, ...rest] = await kaderStanding(kader.id);
    expect(s.programme.id).toBe(content().defaultProgramme.id);
    expect(rest).toHaveLength(0);
    const [u] = await db.select({ posyanduId: users.posyanduId }).from(users).where(eq(users.id, kader.id));
    const f = sheetForm("fasilitasi-sesi", { [kader.id]: { steps: all("fasilitasi-sesi"), result: "kompeten" } });
    const r = await recordObservations(kec, u.posyanduId!, f);
    expect(r.ok).toBe(false);
  });

  it("routes: the list and sheet for the level above; the pembina's learning home and certificate page", async () => {
    const kabCookie = await sessionCookie(kab.id);
    const l = await call(list.loader, makeRequest("/tim-pembina", { cookie: kabCookie }));
    expect(l.status).toBe(200);
    const row = l.data.rows.find((r: { id: string }) => r.id === kec.id);
    expect(row).toMatchObject({ modules: "5/5", attendance: true, practice: "2/2" });
    expect(row.certificate?.code).toBeTruthy();
    expect(l.data.rows.map((r: { id: string }) => r.id)).not.toContain(kabOther.id);
    // A pembina desa has nobody below her: the page is not hers (403).
    expect(
      (await call(list.loader, makeRequest("/tim-pembina", { cookie: await sessionCookie(desa.id) }))).status,
    ).toBe(403);
    expect(
      (await call(sheet.loader, makeRequest("/tim-pembina/praktik", { cookie: await sessionCookie(desa.id) }))).status,
    ).toBe(403);
    // Above kecamatan level the list shows the kecamatan teams until an area is picked, and the
    // sheet lists nobody: a kabupaten's hundreds of desa teams never land on one page.
    expect(l.data.rows.map((r: { id: string }) => r.id)).not.toContain(desa.id);
    expect(l.data.areas.map((a: { code: string }) => a.code)).toContain(KEC);
    const inKec = await call(list.loader, makeRequest(`/tim-pembina?wilayah=${KEC}`, { cookie: kabCookie }));
    expect(inKec.data.rows.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([kec.id, desa.id]));
    const none = await call(
      sheet.loader,
      makeRequest("/tim-pembina/praktik?tugas=fasilitasi-sesi", { cookie: kabCookie }),
    );
    expect(none.data.kader).toEqual([]);
    // An area outside her region is no area.
    const outside = await call(
      sheet.loader,
      makeRequest("/tim-pembina/praktik?tugas=fasilitasi-sesi&wilayah=64.02.01", { cookie: kabCookie }),
    );
    expect(outside.data.area).toBeNull();
    expect(outside.data.kader).toEqual([]);
    const sh = await call(
      sheet.loader,
      makeRequest(`/tim-pembina/praktik?tugas=fasilitasi-sesi&wilayah=${KEC}`, { cookie: kabCookie }),
    );
    expect(sh.data.task.id).toBe("fasilitasi-sesi");
    expect(sh.data.kader.map((k: { id: string }) => k.id)).toEqual(
      expect.arrayContaining([kec.id, kecPeer.id, desa.id]),
    );
    // The kabupaten of Kukar does not see Kutai Timur's teams.
    const other = await call(
      sheet.loader,
      makeRequest(`/tim-pembina/praktik?tugas=fasilitasi-sesi&wilayah=${KEC}`, {
        cookie: await sessionCookie(kabOther.id),
      }),
    );
    expect(other.data.kader).toEqual([]);

    const h = await call(home.loader, makeRequest("/", { cookie: await sessionCookie(kec.id) }));
    expect(h.data.learning).toMatchObject({ programme: pembinaProgramme()!.title, passed: 5, required: 5 });
    const peer = await call(home.loader, makeRequest("/", { cookie: await sessionCookie(kecPeer.id) }));
    expect(peer.data.learning).toMatchObject({ passed: 0, required: 5 });
    expect(peer.data.learning.next.href).toContain("/modul/tim-pembina-posyandu");
    const c = await call(sertifikat.loader, makeRequest("/sertifikat", { cookie: await sessionCookie(kec.id) }));
    expect(c.status).toBe(200);
    expect(JSON.stringify(c.data)).toContain(pembinaProgramme()!.title);
  });
});
