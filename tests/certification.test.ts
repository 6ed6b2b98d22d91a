/**
 * Certification against the database: automatic issuance from every trigger,
 * idempotency under concurrent evaluations, expiry and recertification, revocation,
 * downloads and their access rules, the certificate PDF and its QR code.
 */
import { PNG } from "pngjs";
import jsQR from "jsqr";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { db, dbKind } from "~/db.server";
import { auditLog, certificates, enrolments, quizAttempts } from "~/db/schema";
import { recordAttendance } from "~/features/workshops/attendance.server";
import { syncModuleVersions, content } from "~/features/catalogue/content.server";
import { makeUser } from "~/demo/factories.server";
import {
  cycleStart,
  evaluateCertification,
  evaluateCertificationStrict,
  evaluateRegion,
  kaderStanding,
} from "~/features/certification/evaluate.server";
import { renderCertificate } from "~/features/certification/pdf.server";
import { verifyPayload } from "~/features/certification/signing.server";
import { findCertificate } from "~/features/certification/certificates.server";
import { quizStatus, requireQuizModule } from "~/features/learning/quiz.server";
import * as sertifikatPage from "~/routes/sertifikat._index";
import * as downloadPdf from "~/routes/sertifikat.$code.pdf";
import { rewriteSuffixUrl } from "~/lib/suffix-url";
import * as kedaluwarsa from "~/routes/sertifikat.kedaluwarsa";
import * as adminList from "~/routes/admin.sertifikat._index";
import * as adminDetail from "~/routes/admin.sertifikat.$code";
import * as verifikasi from "~/routes/verifikasi.$code";
import * as quizInfo from "~/routes/modul.$slug.kuis._index";
import * as attemptPage from "~/routes/modul.$slug.kuis.$attemptId";
import * as modulePage from "~/routes/modul.$slug._index";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import {
  almostCertified,
  attend,
  backdateAttempts,
  makeWorkshop,
  MONTH,
  newKader,
  pdfText,
  practise,
  praktikSuffix,
  readModule,
  SLUGS,
  takeQuiz,
} from "./certification-helpers";

const PROGRAMME = () => content().defaultProgramme;
/** Required modules of the default programme (12 since content v2). */
const N = 12;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function certsOf(userId: string) {
  return db.select().from(certificates).where(eq(certificates.userId, userId)).orderBy(certificates.cycle);
}

async function staff(
  role: "pembina_desa" | "pembina_kecamatan" | "pembina_kabupaten" | "dpmd" | "admin",
  scopeCode: string,
) {
  const u = await makeUser({ role, scopeCode, name: `${role} ${scopeCode}` });
  return { ...u, cookie: await sessionCookie(u.id) };
}

describe("automatic issuance", () => {
  it("passing the last quiz (through the quiz pages) issues the certificate", async () => {
    const k = await newKader({ name: "Rina Wulandari" });
    await almostCertified(k.id, "lastQuiz");
    expect(await certsOf(k.id)).toHaveLength(0);
    const cookie = await sessionCookie(k.id);
    const slug = SLUGS()[SLUGS().length - 1];
    const started = await call(
      quizInfo.action,
      makeRequest(`/modul/${slug}/kuis`, { cookie, form: { idempotencyKey: "c".repeat(32) } }),
      { slug },
    );
    const attemptId = started.location!.split("/").pop()!;
    const [{ draw }] = await db
      .select({ draw: quizAttempts.draw })
      .from(quizAttempts)
      .where(eq(quizAttempts.id, attemptId));
    const body = new URLSearchParams(draw.flatMap((q) => q.answer.map((a) => [`q_${q.id}`, a])));
    const submit = new Request(`${BASE}/modul/${slug}/kuis/${attemptId}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    const res = await call(attemptPage.action, submit, { slug, attemptId });
    expect(res.status).toBe(302);

    const [cert] = await certsOf(k.id);
    expect(cert).toMatchObject({ programmeId: PROGRAMME().id, cycle: 1, issuingRegion: "64.08", revokedAt: null });
    expect(cert.code).toMatch(/^AP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    // Validity: 24 months, same WITA time of day.
    const months =
      (cert.expiresAt.getUTCFullYear() - cert.issuedAt.getUTCFullYear()) * 12 +
      cert.expiresAt.getUTCMonth() -
      cert.issuedAt.getUTCMonth();
    expect(months).toBe(PROGRAMME().validityMonths);
    expect(cert.payload).toMatchObject({
      code: cert.code,
      name: "Rina Wulandari",
      posyandu: "Posyandu Melati 1",
      desa: "Desa Senyiur, Kecamatan Muara Ancalong",
      programme: "Sertifikasi Kader Posyandu 6 SPM",
      issuer: "Kabupaten Kutai Timur",
      issued: cert.issuedAt.toISOString(),
      expires: cert.expiresAt.toISOString(),
    });
    expect(verifyPayload(cert.payload, cert.signature)).toBe(true);
  });

  it("reading the last module (module page) issues it when that was the only thing missing", async () => {
    const k = await newKader();
    const slugs = SLUGS();
    await attend(k.id);
    await practise(k.id);
    for (const s of slugs.slice(1)) await readModule(k.id, s);
    // Quizzes can be taken before the module is marked read.
    for (const s of slugs) await takeQuiz(k.id, s);
    expect(await certsOf(k.id)).toHaveLength(0);
    const cookie = await sessionCookie(k.id);
    const res = await call(modulePage.action, makeRequest(`/modul/${slugs[0]}`, { cookie, form: {} }), {
      slug: slugs[0],
    });
    expect(res.status).toBe(302);
    expect(await certsOf(k.id)).toHaveLength(1);
  });

  it("recorded attendance plus evaluateCertification issues it (the workshop trigger)", async () => {
    const k = await newKader();
    await almostCertified(k.id, "attendance");
    expect(await certsOf(k.id)).toHaveLength(0);
    await attend(k.id, { status: "terlambat" });
    const outcomes = await evaluateCertification(k.id);
    expect(outcomes).toEqual([expect.objectContaining({ programmeId: PROGRAMME().id, status: "issued", cycle: 1 })]);
    expect((await certsOf(k.id))[0].code).toBe(outcomes[0].code);
  });

  it("attendance recorded through the workshop module (roster) issues it", async () => {
    const k = await newKader();
    await almostCertified(k.id, "attendance");
    const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01", name: "Pembina Ancalong" });
    const actor = {
      id: pembina.id,
      name: "Pembina Ancalong",
      phone: pembina.phone,
      role: "pembina_kecamatan" as const,
      scopeCode: "64.08.01",
      posyanduId: null,
      active: true,
      place: "",
    };
    const workshopId = await makeWorkshop({ status: "published" });
    await db.insert(enrolments).values({ workshopId, userId: k.id, status: "enrolled" });
    expect(await certsOf(k.id)).toHaveLength(0);
    await recordAttendance(actor, workshopId, [{ userId: k.id, status: "hadir" }]);
    expect(await certsOf(k.id)).toEqual([expect.objectContaining({ cycle: 1, revokedAt: null })]);
  });

  it("does not issue without the pelatihan, with a sosialisasi, izin or a cancelled session, or with a failed quiz", async () => {
    const noAttendance = await newKader();
    await almostCertified(noAttendance.id, "attendance");
    await attend(noAttendance.id, { kind: "sosialisasi" });
    await attend(noAttendance.id, { status: "izin" });
    await attend(noAttendance.id, { status: "alpa" });
    await attend(noAttendance.id, { workshopStatus: "cancelled" });
    expect(await evaluateCertificationStrict(noAttendance.id)).toEqual([
      expect.objectContaining({
        status: "not_yet",
        summary: `${N} dari ${N} modul lulus, kehadiran pelatihan: belum${praktikSuffix(99)}`,
      }),
    ]);

    const failed = await newKader();
    await almostCertified(failed.id, "lastQuiz");
    const last = SLUGS()[SLUGS().length - 1];
    const r = await takeQuiz(failed.id, last, false);
    expect(r.passed).toBe(false);
    expect(await evaluateCertificationStrict(failed.id)).toEqual([
      expect.objectContaining({
        status: "not_yet",
        summary: `${N - 1} dari ${N} modul lulus, kehadiran pelatihan: sudah${praktikSuffix(99)}`,
      }),
    ]);
    expect(await certsOf(noAttendance.id)).toHaveLength(0);
    expect(await certsOf(failed.id)).toHaveLength(0);
  });

  it("a user is evaluated in the programmes of her role only; DPMD and admin in none", async () => {
    const pembina = await makeUser({ role: "pembina_desa", scopeCode: "64.08.01.2001" });
    expect(await evaluateCertificationStrict(pembina.id)).toEqual([
      expect.objectContaining({ programmeId: "pembina-6-spm", status: "not_yet" }),
    ]);
    const dpmd = await makeUser({ role: "dpmd", scopeCode: "64.08" });
    expect(await evaluateCertificationStrict(dpmd.id)).toEqual([{ programmeId: "*", status: "skipped" }]);
    expect(await evaluateCertificationStrict("tidak-ada")).toEqual([]);
  });

  it("an evaluation failure is logged and never fails the grading", async () => {
    // A kader registered at province level has no kabupaten to print: issuance fails.
    const k = await makeUser({ role: "kader", scopeCode: "64", name: "Kader Tanpa Kabupaten" });
    await almostCertified(k.id, "lastQuiz");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const slug = SLUGS()[SLUGS().length - 1];
    const r = await takeQuiz(k.id, slug);
    expect(r).toMatchObject({ score: 100, passed: true });
    const [attempt] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, r.attemptId));
    expect(attempt.passed).toBe(true);
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining(`[sertifikasi] evaluasi gagal untuk pengguna ${k.id}`),
      expect.stringContaining("kabupaten"),
    );
    expect(await certsOf(k.id)).toHaveLength(0);
    await expect(evaluateCertificationStrict(k.id)).rejects.toThrow(/kabupaten/);
  });
});

describe("idempotency", () => {
  it("re-evaluating never issues a second certificate in the same cycle", async () => {
    const k = await newKader();
    await almostCertified(k.id);
    const [first] = await certsOf(k.id);
    for (let i = 0; i < 3; i++) {
      expect(await evaluateCertificationStrict(k.id)).toEqual([
        expect.objectContaining({ status: "valid", code: first.code, cycle: 1 }),
      ]);
    }
    await readModule(k.id, SLUGS()[0]);
    await takeQuiz(k.id, SLUGS()[0]).catch(() => undefined); // cool-down may refuse; either way nothing new
    expect(await certsOf(k.id)).toHaveLength(1);
  });

  it(`concurrent evaluations issue exactly one certificate per kader (${process.env.DATABASE_URL ? "PostgreSQL, real concurrency" : "PGlite"})`, async () => {
    const kader = await Promise.all([1, 2, 3, 4].map(() => newKader()));
    for (const k of kader) await almostCertified(k.id, "attendance");
    for (const k of kader) await attend(k.id);
    const runs = await Promise.all(
      kader.flatMap((k) => Array.from({ length: 8 }, () => evaluateCertificationStrict(k.id))),
    );
    for (const k of kader) {
      const rows = await certsOf(k.id);
      expect(rows).toHaveLength(1);
      const mine = runs.filter((_, i) => kader[Math.floor(i / 8)].id === k.id).map((o) => o[0]);
      expect(mine.filter((o) => o.status === "issued")).toHaveLength(1);
      expect(new Set(mine.map((o) => o.code))).toEqual(new Set([rows[0].code]));
    }
    if (dbKind() === "postgres") {
      // The evaluations really overlapped: some computed the insert, lost on the unique index and read the winner's row.
      expect(runs.flat().filter((o) => o.lostRace).length).toBeGreaterThan(0);
    }
  });

  it("the unique index is the backstop: a second row for the same cycle is refused", async () => {
    const k = await newKader();
    await almostCertified(k.id);
    const [c] = await certsOf(k.id);
    const dup = await db
      .insert(certificates)
      .values({
        code: "AP-2222-2222",
        userId: k.id,
        programmeId: c.programmeId,
        cycle: 1,
        expiresAt: c.expiresAt,
        issuingRegion: "64.08",
        payload: {},
        signature: "x",
      })
      .onConflictDoNothing()
      .returning({ id: certificates.id });
    expect(dup).toEqual([]);
    await expect(
      db.insert(certificates).values({
        code: "AP-3333-3333",
        userId: k.id,
        programmeId: c.programmeId,
        cycle: 1,
        expiresAt: c.expiresAt,
        issuingRegion: "64.08",
        payload: {},
        signature: "x",
      }),
    ).rejects.toThrow();
    expect(await certsOf(k.id)).toHaveLength(1);
  });

  it("racing triggers: the last quiz, a module re-read and the /sertifikat page at once", async () => {
    const k = await newKader();
    await almostCertified(k.id, "lastQuiz");
    const cookie = await sessionCookie(k.id);
    const last = SLUGS()[SLUGS().length - 1];
    await Promise.all([
      takeQuiz(k.id, last),
      readModule(k.id, SLUGS()[0]),
      evaluateCertification(k.id),
      call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie })),
    ]);
    await evaluateCertification(k.id);
    expect(await certsOf(k.id)).toHaveLength(1);
  });
});

describe("expiry and recertification", () => {
  /** Certified 25 months ago (quizzes 26 months ago): the certificate expired a month ago. */
  async function expiredKader() {
    const k = await newKader({ name: "Yuliana Safitri" });
    await almostCertified(k.id, "attendance");
    await backdateAttempts(k.id, 26 * MONTH);
    await attend(k.id);
    const past = new Date(Date.now() - 25 * MONTH);
    const [o] = await evaluateCertificationStrict(k.id, past);
    expect(o.status).toBe("issued");
    return k;
  }

  it("an expired certificate says Kedaluwarsa; old quiz results do not re-certify; attendance and reading carry over", async () => {
    const k = await expiredKader();
    const [old] = await certsOf(k.id);
    expect(old.expiresAt.getTime()).toBeLessThan(Date.now());
    const v = await call(verifikasi.loader, makeRequest(`/verifikasi/${old.code}`), { code: old.code });
    expect(v.data.state).toBe("kedaluwarsa");

    const [o] = await evaluateCertificationStrict(k.id);
    expect(o).toMatchObject({
      status: "not_yet",
      cycle: 2,
      summary: `0 dari ${N} modul lulus, kehadiran pelatihan: sudah${praktikSuffix(99)}`,
    });
    expect(await cycleStart(k.id, PROGRAMME().id)).toEqual(old.expiresAt);
    const page = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: await sessionCookie(k.id) }));
    expect(page.data.programmes[0]).toMatchObject({
      state: "kedaluwarsa",
      current: { code: old.code, state: "kedaluwarsa" },
    });
    expect(page.data.programmes[0].progress.summary).toBe(
      `0 dari ${N} modul lulus, kehadiran pelatihan: sudah${praktikSuffix(99)}`,
    );
    expect(page.data.programmes[0].progress.missing.map((m: { label: string }) => m.label)).toEqual(
      Array(N).fill("kuis belum dikerjakan"),
    );
  });

  it("passing the quizzes again issues cycle 2 with a new code and a new issue date", async () => {
    const k = await expiredKader();
    const [old] = await certsOf(k.id);
    for (const s of SLUGS()) await takeQuiz(k.id, s);
    const rows = await certsOf(k.id);
    expect(rows).toHaveLength(2);
    const renewed = rows[1];
    expect(renewed.cycle).toBe(2);
    expect(renewed.code).not.toBe(old.code);
    expect(renewed.issuedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * MONTH);
    expect(
      (await call(verifikasi.loader, makeRequest(`/verifikasi/${renewed.code}`), { code: renewed.code })).data.state,
    ).toBe("berlaku");
    expect((await call(verifikasi.loader, makeRequest(`/verifikasi/${old.code}`), { code: old.code })).data.state).toBe(
      "kedaluwarsa",
    );
    const page = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: await sessionCookie(k.id) }));
    expect(page.data.programmes[0]).toMatchObject({
      state: "berlaku",
      current: { code: renewed.code, cycle: 2 },
      progress: null,
    });
    expect(page.data.programmes[0].history).toEqual([
      expect.objectContaining({ code: old.code, state: "kedaluwarsa" }),
    ]);
  });

  it("quiz attempt limits count only the current cycle", async () => {
    const k = await newKader();
    const slug = SLUGS()[0];
    const mod = requireQuizModule(slug);
    for (let i = 0; i < mod.quiz.maxAttempts; i++) {
      await takeQuiz(k.id, slug, false);
      await backdateAttempts(k.id, 15 * 60_000); // past the cool-down
    }
    const used = await quizStatus(k.id, mod);
    expect(used.check).toMatchObject({ ok: false, reason: "limit" });
    await expect(takeQuiz(k.id, slug)).rejects.toThrow(/sudah habis/);

    // The same kader in a new cycle: a certificate that expired after those attempts.
    await backdateAttempts(k.id, 26 * MONTH);
    expect((await quizStatus(k.id, mod)).check).toMatchObject({ ok: false, reason: "limit" });
    await db.insert(certificates).values({
      code: "AP-4444-4444",
      userId: k.id,
      programmeId: PROGRAMME().id,
      cycle: 1,
      issuedAt: new Date(Date.now() - 25 * MONTH),
      expiresAt: new Date(Date.now() - 1 * MONTH),
      issuingRegion: "64.08",
      payload: {},
      signature: "",
    });
    const fresh = await quizStatus(k.id, mod);
    expect(fresh.check).toEqual({ ok: true });
    expect(fresh.bestScore).toBeNull();
    expect(fresh.submittedCount).toBe(0);
    expect((await takeQuiz(k.id, slug)).passed).toBe(true);
  });
});

describe("revocation", () => {
  let kader: { id: string };
  let code: string;
  let dpmdKutim: Awaited<ReturnType<typeof staff>>,
    dpmdKukar: Awaited<ReturnType<typeof staff>>,
    kabKutim: Awaited<ReturnType<typeof staff>>;

  beforeAll(async () => {
    kader = await newKader();
    await almostCertified(kader.id);
    code = (await certsOf(kader.id))[0].code;
    dpmdKutim = await staff("dpmd", "64.08");
    dpmdKukar = await staff("dpmd", "64.02");
    kabKutim = await staff("pembina_kabupaten", "64.08");
  });

  const revoke = (cookie: string, alasan: string | undefined, c = code, origin?: string) =>
    call(
      adminDetail.action,
      makeRequest(`/admin/sertifikat/${c}`, { cookie, form: alasan === undefined ? {} : { alasan }, origin }),
      { code: c },
    );
  const auditRows = async () =>
    (
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "certificate.revoke"), eq(auditLog.entityId, code)))
    ).length;

  it("outside the scope: 403 and nothing changed", async () => {
    const res = await revoke(dpmdKukar.cookie, "Data kader tidak benar menurut DPMD.");
    expect(res.status).toBe(403);
    const [row] = await certsOf(kader.id);
    expect(row.revokedAt).toBeNull();
    expect(await auditRows()).toBe(0);
    // The detail page is out of reach too.
    expect(
      (await call(adminDetail.loader, makeRequest(`/admin/sertifikat/${code}`, { cookie: dpmdKukar.cookie }), { code }))
        .status,
    ).toBe(403);
  });

  it("pembina kabupaten may look but not revoke; a kader neither", async () => {
    expect(
      (await call(adminDetail.loader, makeRequest(`/admin/sertifikat/${code}`, { cookie: kabKutim.cookie }), { code }))
        .data.canRevoke,
    ).toBe(false);
    expect((await revoke(kabKutim.cookie, "Tidak berhak mencabut sertifikat.")).status).toBe(403);
    expect((await revoke(await sessionCookie(kader.id), "Saya ingin mencabut sertifikat.")).status).toBe(403);
    expect((await certsOf(kader.id))[0].revokedAt).toBeNull();
  });

  it("requires a reason; cross-site posts and unknown codes are refused", async () => {
    for (const alasan of [undefined, "", "   ", "singkat"]) {
      const res = await revoke(dpmdKutim.cookie, alasan);
      expect(res.status).toBe(400);
      expect(res.data.errors.alasan).toMatch(/alasan pencabutan/i);
    }
    expect((await revoke(dpmdKutim.cookie, "x".repeat(501))).data.errors.alasan).toMatch(/terlalu panjang/);
    expect((await revoke(dpmdKutim.cookie, "Alasan yang cukup panjang.", code, "https://jahat.example")).status).toBe(
      403,
    );
    expect((await revoke(dpmdKutim.cookie, "Alasan yang cukup panjang.", "AP-2222-2222")).status).toBe(404);
    expect((await revoke(dpmdKutim.cookie, "Alasan yang cukup panjang.", "bukan-kode")).status).toBe(404);
    expect((await certsOf(kader.id))[0].revokedAt).toBeNull();
    expect(await auditRows()).toBe(0);
  });

  it("DPMD in scope revokes with a reason, audited; a double submit changes nothing; the public page says Dicabut", async () => {
    const res = await revoke(dpmdKutim.cookie, "Kader terbukti tidak mengikuti pelatihan.");
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/sertifikat/${code}?dicabut=1`);
    const [row] = await certsOf(kader.id);
    expect(row).toMatchObject({ revokedReason: "Kader terbukti tidak mengikuti pelatihan.", revokedBy: dpmdKutim.id });
    expect(row.revokedAt).toBeInstanceOf(Date);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "certificate.revoke"), eq(auditLog.entityId, code)));
    expect(entry).toMatchObject({ actorId: dpmdKutim.id, entity: "certificate", regionCode: "64.08.01.2001" });
    expect(entry.detail).toMatchObject({
      reason: "Kader terbukti tidak mengikuti pelatihan.",
      userId: kader.id,
      cycle: 1,
    });

    expect((await revoke(dpmdKutim.cookie, "Alasan lain yang berbeda sekali.")).status).toBe(302);
    expect((await certsOf(kader.id))[0].revokedReason).toBe("Kader terbukti tidak mengikuti pelatihan.");
    expect(await auditRows()).toBe(1);

    const v = await call(verifikasi.loader, makeRequest(`/verifikasi/${code}`), { code });
    expect(v.data).toMatchObject({ state: "dicabut", reason: "Kader terbukti tidak mengikuti pelatihan." });
    const detail = await call(
      adminDetail.loader,
      makeRequest(`/admin/sertifikat/${code}`, { cookie: dpmdKutim.cookie }),
      { code },
    );
    expect(detail.data).toMatchObject({ state: "dicabut", revokedBy: "dpmd 64.08", canRevoke: false });
  });

  it("after revocation: no automatic re-issue from old results; quizzes passed again give cycle 2", async () => {
    expect(await evaluateCertificationStrict(kader.id)).toEqual([
      expect.objectContaining({ status: "not_yet", cycle: 2 }),
    ]);
    const page = await call(
      sertifikatPage.loader,
      makeRequest("/sertifikat", { cookie: await sessionCookie(kader.id) }),
    );
    expect(page.data.programmes[0]).toMatchObject({
      state: "dicabut",
      current: { code, revokedReason: "Kader terbukti tidak mengikuti pelatihan." },
    });
    // Downloading a revoked certificate is refused, for the owner as for staff.
    expect(
      (
        await call(
          downloadPdf.loader,
          makeRequest(`/sertifikat/${code}.pdf`, { cookie: await sessionCookie(kader.id) }),
          {
            code,
          },
        )
      ).status,
    ).toBe(410);
    await backdateAttempts(kader.id, 20 * 60_000); // past the cool-down (and still before the revocation)
    for (const s of SLUGS()) await takeQuiz(kader.id, s);
    const rows = await certsOf(kader.id);
    expect(rows.map((r) => [r.cycle, !!r.revokedAt])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it("a quiz regraded below the pass mark after issuance does not revoke", async () => {
    const k = await newKader();
    await almostCertified(k.id);
    await db.update(quizAttempts).set({ score: 10, passed: false }).where(eq(quizAttempts.userId, k.id));
    expect(await evaluateCertificationStrict(k.id)).toEqual([expect.objectContaining({ status: "valid" })]);
    const [row] = await certsOf(k.id);
    expect(row.revokedAt).toBeNull();
    expect((await call(verifikasi.loader, makeRequest(`/verifikasi/${row.code}`), { code: row.code })).data.state).toBe(
      "berlaku",
    );
  });
});

describe("downloads", () => {
  let owner: { id: string; cookie: string };
  let code: string;

  beforeAll(async () => {
    const k = await newKader({ name: "Dewi Kartika" });
    await almostCertified(k.id);
    owner = { id: k.id, cookie: await sessionCookie(k.id) };
    code = (await certsOf(k.id))[0].code;
  });

  /** GET /sertifikat/<file> as the server routes it: the suffix-URL table, then the PDF route (no route: 404). */
  const get = async (cookie: string | undefined, file: string) => {
    const to = rewriteSuffixUrl(`/sertifikat/${file}`);
    const m = to ? /^\/sertifikat\/([^/]+)\/pdf$/.exec(to) : null;
    if (!m) return { status: 404, data: "", headers: new Headers(), location: null };
    return call(downloadPdf.loader, makeRequest(`/sertifikat/${file}`, { cookie }), { code: m[1] });
  };

  it("the owner downloads a PDF", async () => {
    const res = await get(owner.cookie, `${code}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="sertifikat-${code}.pdf"`);
    expect(res.data.startsWith("%PDF-")).toBe(true);
  });

  it("another kader gets 404; staff in scope 200; staff outside scope 403; anonymous to /masuk", async () => {
    const other = await newKader();
    expect((await get(await sessionCookie(other.id), `${code}.pdf`)).status).toBe(404);
    for (const [role, scope] of [
      ["pembina_desa", "64.08.01.2001"],
      ["pembina_kecamatan", "64.08.01"],
      ["pembina_kabupaten", "64.08"],
      ["dpmd", "64.08"],
      ["admin", "64"],
    ] as const) {
      expect((await get((await staff(role, scope)).cookie, `${code}.pdf`)).status, role).toBe(200);
    }
    for (const [role, scope] of [
      ["pembina_desa", "64.08.01.2002"],
      ["pembina_kecamatan", "64.08.02"],
      ["dpmd", "64.02"],
    ] as const) {
      expect((await get((await staff(role, scope)).cookie, `${code}.pdf`)).status, `${role} ${scope}`).toBe(403);
    }
    const anon = await get(undefined, `${code}.pdf`);
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(`/masuk?redirectTo=${encodeURIComponent(`/sertifikat/${code}.pdf`)}`);
  });

  it("malformed, altered and unknown file names are 404", async () => {
    const altered = code.slice(0, -1) + (code.endsWith("2") ? "3" : "2");
    for (const file of [
      code,
      `${code}.PDF`,
      `${code}.pdf.exe`,
      `${code.toLowerCase()}.pdf`,
      `${altered}.pdf`,
      "AP-2222-2223.pdf",
      ".pdf",
      "..%2F..%2Fetc%2Fpasswd.pdf",
      `${code}.txt`,
    ]) {
      expect((await get(owner.cookie, file)).status, file).toBe(404);
    }
    // A well-formed code (valid check character) that was never issued.
    expect((await get(owner.cookie, "AP-2222-2222.pdf")).status).toBe(404);
  });

  it("the QR in the PDF decodes to the verification URL with a valid signature; the PDF carries the code and the name", async () => {
    const cert = (await findCertificate(code))!;
    const t0 = performance.now();
    const { pdf, qrPng, url } = await renderCertificate(cert, BASE);
    const ms = performance.now() - t0;
    const png = PNG.sync.read(qrPng);
    const qr = jsQR(
      new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
      png.width,
      png.height,
    );
    expect(qr?.data).toBe(`${BASE}/verifikasi/${code}?s=${cert.signature}`);
    expect(qr?.data).toBe(url);
    const s = new URL(qr!.data).searchParams.get("s")!;
    expect(verifyPayload(cert.payload, s)).toBe(true);
    const v = await call(verifikasi.loader, new Request(qr!.data), { code });
    expect(v.data).toMatchObject({ state: "berlaku", signatureChecked: true, certificate: { name: "Dewi Kartika" } });

    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain(`Sertifikat ${code}`); // document title
    const text = pdfText(pdf);
    expect(text).toContain(code);
    expect(text).toContain("Dewi Kartika");
    expect(text).toContain("Sertifikasi Kader Posyandu 6 SPM");
    expect(text).toContain("Kabupaten Kutai Timur");
    expect(text).toMatch(
      /Berlaku sampai: \d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}/,
    );
    expect(pdf.length).toBeLessThan(100_000);
    expect(ms).toBeLessThan(2000);
  });
});

describe("pages", () => {
  it("/sertifikat shows progress and what is missing when not yet certified", async () => {
    const k = await newKader();
    await almostCertified(k.id, "lastQuiz");
    const res = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: await sessionCookie(k.id) }));
    const p = res.data.programmes[0];
    expect(p).toMatchObject({ state: "belum", current: null });
    expect(p.progress.summary).toBe(`${N - 1} dari ${N} modul lulus, kehadiran pelatihan: sudah${praktikSuffix(99)}`);
    expect(p.progress.missing).toEqual([
      {
        slug: "pendanaan-dan-perencanaan",
        title: expect.any(String),
        label: "kuis belum dikerjakan",
        href: "/modul/pendanaan-dan-perencanaan/kuis",
      },
    ]);

    const fresh = await newKader();
    const empty = await call(
      sertifikatPage.loader,
      makeRequest("/sertifikat", { cookie: await sessionCookie(fresh.id) }),
    );
    expect(empty.data.programmes[0].progress.summary).toBe(
      `0 dari ${N} modul lulus, kehadiran pelatihan: belum${praktikSuffix(0)}`,
    );
    expect(empty.data.programmes[0].progress.missing[0]).toMatchObject({
      label: "belum selesai dibaca; kuis belum dikerjakan",
      href: "/modul/permendagri-13-2024",
    });
  });

  it("/sertifikat catches up a missed issuance", async () => {
    const k = await newKader();
    await almostCertified(k.id, "attendance");
    await attend(k.id); // recorded without calling evaluateCertification
    expect(await certsOf(k.id)).toHaveLength(0);
    const res = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: await sessionCookie(k.id) }));
    expect(res.data.programmes[0].state).toBe("berlaku");
    expect(await certsOf(k.id)).toHaveLength(1);
  });

  it("DPMD is sent to the certificate list; a pembina desa sees her own programme, not the register", async () => {
    const dpmd = await staff("dpmd", "64.08");
    expect((await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: dpmd.cookie }))).location).toBe(
      "/admin/sertifikat",
    );
    const desa = await staff("pembina_desa", "64.08.01.2001");
    const own = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: desa.cookie }));
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.data)).toContain("Sertifikasi Tim Pembina Posyandu 6 SPM");
    expect(JSON.stringify(own.data)).not.toContain("Sertifikasi Kader Posyandu 6 SPM");
    expect(
      (await call(kedaluwarsa.loader, makeRequest("/sertifikat/kedaluwarsa", { cookie: desa.cookie }))).status,
    ).toBe(403);
    expect((await call(adminList.loader, makeRequest("/admin/sertifikat", { cookie: desa.cookie }))).status).toBe(403);
  });

  it("/sertifikat/kedaluwarsa lists certificates expiring within 60 days in scope only", async () => {
    const soon = await newKader({ name: "Segera Habis" });
    await almostCertified(soon.id, "attendance");
    await attend(soon.id);
    await evaluateCertificationStrict(soon.id, new Date(Date.now() - 24 * MONTH + 35 * 86_400_000)); // ~30 days left

    const later = await newKader({ name: "Masih Lama" });
    await almostCertified(later.id); // 24 months left

    const kukar = await newKader({ name: "Kader Kukar", desa: "64.02.01.2001" });
    await almostCertified(kukar.id, "attendance");
    await attend(kukar.id);
    await evaluateCertificationStrict(kukar.id, new Date(Date.now() - 24 * MONTH + 35 * 86_400_000));

    const lapsed = await newKader({ name: "Sudah Habis" });
    await almostCertified(lapsed.id, "attendance");
    await backdateAttempts(lapsed.id, 26 * MONTH);
    await attend(lapsed.id);
    await evaluateCertificationStrict(lapsed.id, new Date(Date.now() - 25 * MONTH)); // expired ~20 days ago

    const dpmd = await staff("dpmd", "64.08");
    const res = await call(kedaluwarsa.loader, makeRequest("/sertifikat/kedaluwarsa", { cookie: dpmd.cookie }));
    const names = res.data.expiring.map((r: { name: string }) => r.name);
    expect(names).toContain("Segera Habis");
    expect(names).not.toContain("Masih Lama");
    expect(names).not.toContain("Kader Kukar");
    const row = res.data.expiring.find((r: { name: string }) => r.name === "Segera Habis");
    expect(row.days).toBeGreaterThan(20);
    expect(row.days).toBeLessThanOrEqual(60);
    expect(res.data.expired.map((r: { name: string }) => r.name)).toContain("Sudah Habis");

    const kukarDpmd = await staff("dpmd", "64.02");
    const other = await call(kedaluwarsa.loader, makeRequest("/sertifikat/kedaluwarsa", { cookie: kukarDpmd.cookie }));
    expect(other.data.expiring.map((r: { name: string }) => r.name)).toEqual(["Kader Kukar"]);

    const list = await call(adminList.loader, makeRequest("/admin/sertifikat?q=segera", { cookie: dpmd.cookie }));
    expect(list.data.items.map((r: { name: string }) => r.name)).toEqual(["Segera Habis"]);
    const byCode = await call(
      adminList.loader,
      makeRequest(`/admin/sertifikat?q=${encodeURIComponent(row.code.toLowerCase())}`, { cookie: dpmd.cookie }),
    );
    expect(byCode.data.items.map((r: { code: string }) => r.code)).toEqual([row.code]);
    const kukarList = await call(
      adminList.loader,
      makeRequest("/admin/sertifikat?q=segera", { cookie: kukarDpmd.cookie }),
    );
    expect(kukarList.data.items).toEqual([]);
  });
});

describe("npm run certify -- --region", () => {
  it("re-evaluates every kader of the region and issues what is due, idempotently", async () => {
    const due = await newKader({ desa: "64.08.02.2001" });
    await almostCertified(due.id, "attendance");
    await attend(due.id);
    const notYet = await newKader({ desa: "64.08.02.2001" });
    await readModule(notYet.id, SLUGS()[0]);
    const elsewhere = await newKader({ desa: "64.02.01.2001" });
    await almostCertified(elsewhere.id, "attendance");
    await attend(elsewhere.id);

    const first = await evaluateRegion("64.08.02", { batchSize: 1 });
    expect(first).toEqual({ kader: 2, issued: 1, valid: 0, notYet: 1, failed: [] });
    expect(await certsOf(due.id)).toHaveLength(1);
    expect(await certsOf(elsewhere.id)).toHaveLength(0);
    const again = await evaluateRegion("64.08.02");
    expect(again).toEqual({ kader: 2, issued: 0, valid: 1, notYet: 1, failed: [] });
    const standing = await kaderStanding(notYet.id);
    expect(standing[0].rule.summary).toBe(`0 dari ${N} modul lulus, kehadiran pelatihan: belum${praktikSuffix(0)}`);
    const [{ n }] = await db.select({ n: count() }).from(certificates).where(eq(certificates.userId, due.id));
    expect(n).toBe(1);
  });
});
