/**
 * Certification v2 against the database: praktik lapangan recorded on the observation
 * sheet, the kader progress page, another round of quiz attempts, the locked-out report,
 * each with its role and region checks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { auditLog, certificates, practiceObservations, quizAttemptGrants } from "~/db/schema";
import { content, syncModuleVersions } from "~/features/catalogue/content.server";
import { makeUser } from "~/demo/factories.server";
import * as praktik from "~/routes/posyandu.$id_.praktik";
import * as kaderPage from "~/routes/kader.$id";
import * as terkunci from "~/routes/admin.kader-terkunci";
import * as quizInfo from "~/routes/modul.$slug.kuis._index";
import * as attemptPage from "~/routes/modul.$slug.kuis.$attemptId";
import * as sertifikatPage from "~/routes/sertifikat._index";
import * as dasbor from "~/routes/dasbor.$region._index";
import { practisedCount } from "~/features/certification/practice.server";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import {
  almostCertified,
  backdateAttempts,
  insertCertificate,
  newKader,
  SLUGS,
  takeQuiz,
} from "./certification-helpers";
import { startAttempt } from "~/features/learning/quiz.server";

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

async function staff(
  role: "pembina_desa" | "pembina_kecamatan" | "pembina_kabupaten" | "dpmd" | "admin",
  scopeCode: string,
) {
  const u = await makeUser({ role, scopeCode, name: `${role} ${scopeCode}` });
  return { ...u, cookie: await sessionCookie(u.id) };
}

const hex = (c: string) => c.repeat(32);
const TASKS = () => content().defaultProgramme.practice.tasks;
const REQUIRED = () => content().defaultProgramme.practice.required;
async function posyanduOf(userId: string): Promise<number> {
  const { users } = await import("~/db/schema");
  const [u] = await db.select({ p: users.posyanduId }).from(users).where(eq(users.id, userId));
  return u.p!;
}
function sheet(
  taskIndex: number,
  entries: Record<string, { result: string; steps?: number[]; note?: string }>,
  key: string,
  extra: Record<string, string> = {},
) {
  const task = TASKS()[taskIndex];
  const body = new URLSearchParams({
    taskId: task.id,
    observedOn: "2026-11-20",
    place: "Posyandu Melati",
    idempotencyKey: key,
    ...extra,
  });
  for (const [id, e] of Object.entries(entries)) {
    body.set(`hasil_${id}`, e.result);
    for (const s of e.steps ?? task.steps.map((_, i) => i)) body.append(`langkah_${id}`, String(s));
    if (e.note) body.set(`catatan_${id}`, e.note);
  }
  return body;
}
function post(path: string, body: URLSearchParams, cookie: string) {
  return new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: "http://localhost:3000", "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
}

describe("praktik lapangan", () => {
  it("several kader of one posyandu in one form; audited; double submit records once; the last practice issues the certificate", async () => {
    const a = await newKader({ name: "Ani Praktik" });
    const b = await newKader({ name: "Bunga Praktik" });
    await almostCertified(a.id, "practice");
    const pid = await posyanduOf(a.id);
    const pembina = await staff("pembina_desa", "64.08.01.2001");

    const page = await call(
      praktik.loader,
      makeRequest(`/posyandu/${pid}/praktik?tugas=${TASKS()[0].id}`, { cookie: pembina.cookie }),
      { id: String(pid) },
    );
    expect(page.status).toBe(200);
    expect(page.data.kader.map((k: { name: string }) => k.name)).toEqual(
      expect.arrayContaining(["Ani Praktik", "Bunga Praktik"]),
    );
    expect(page.data.task.steps.length).toBeGreaterThan(1);

    const req = () =>
      post(
        `/posyandu/${pid}/praktik`,
        sheet(
          0,
          {
            [a.id]: { result: "kompeten" },
            [b.id]: { result: "belum_kompeten", steps: [0], note: "Belum membaca timbangan" },
          },
          hex("a"),
        ),
        pembina.cookie,
      );
    const first = await call(praktik.action, req(), { id: String(pid) });
    expect(first.status).toBe(302);
    expect(first.location).toContain("tersimpan=2");
    const again = await call(praktik.action, req(), { id: String(pid) });
    expect(again.location).toContain("tersimpan=0");
    const rows = await db
      .select()
      .from(practiceObservations)
      .where(eq(practiceObservations.idempotencyKey, hex("a")));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.userId === b.id)).toMatchObject({
      result: "belum_kompeten",
      note: "Belum membaca timbangan",
      steps: TASKS()[0].steps.map((_, i) => i === 0),
    });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "practice.observe"));
    expect(audits.filter((x) => x.actorId === pembina.id)).toHaveLength(2);

    // The remaining required tasks for Ani: the evaluation after the observation issues the certificate.
    expect(await db.select().from(certificates).where(eq(certificates.userId, a.id))).toHaveLength(0);
    for (let i = 1; i < REQUIRED(); i++) {
      const r = await call(
        praktik.action,
        post(`/posyandu/${pid}/praktik`, sheet(i, { [a.id]: { result: "kompeten" } }, hex(String(i))), pembina.cookie),
        { id: String(pid) },
      );
      expect(r.status).toBe(302);
    }
    const certs = await db.select().from(certificates).where(eq(certificates.userId, a.id));
    expect(certs).toHaveLength(1);
    const mine = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie: await sessionCookie(a.id) }));
    expect(mine.data.programmes[0].current.fresh).toBe(true);
  });

  it("the dashboard funnel has the step praktik: kader meeting the practice requirement, in the region only", async () => {
    const k = await newKader({ name: "Fajar Funnel", desa: "64.08.01.2003" });
    const pid = await posyanduOf(k.id);
    const pembina = await staff("pembina_kecamatan", "64.08.01");
    const programmeId = content().defaultProgramme.id;
    const before = await practisedCount("64.08.01.2003", programmeId, null);
    for (let i = 0; i < REQUIRED(); i++) {
      await call(
        praktik.action,
        post(
          `/posyandu/${pid}/praktik`,
          sheet(i, { [k.id]: { result: "kompeten" } }, hex(String(7 + i))),
          pembina.cookie,
        ),
        { id: String(pid) },
      );
    }
    expect(await practisedCount("64.08.01.2003", programmeId, null)).toBe(before + 1);
    expect(await practisedCount("64.02", programmeId, null)).toBe(0);
    const dpmd = await staff("dpmd", "64.08");
    const res = await call(dasbor.loader, makeRequest("/dasbor/64.08.01.2003", { cookie: dpmd.cookie }), {
      region: "64.08.01.2003",
    });
    expect(res.data.practised).toBe(before + 1);
  });

  it("a correction is a new record naming the one it replaces; the latest counts", async () => {
    const k = await newKader({ name: "Citra Koreksi" });
    const pid = await posyanduOf(k.id);
    const pembina = await staff("pembina_kecamatan", "64.08.01");
    await call(
      praktik.action,
      post(`/posyandu/${pid}/praktik`, sheet(0, { [k.id]: { result: "kompeten" } }, hex("b")), pembina.cookie),
      { id: String(pid) },
    );
    await call(
      praktik.action,
      post(
        `/posyandu/${pid}/praktik`,
        sheet(0, { [k.id]: { result: "belum_kompeten", steps: [] } }, hex("c")),
        pembina.cookie,
      ),
      { id: String(pid) },
    );
    const rows = await db
      .select()
      .from(practiceObservations)
      .where(eq(practiceObservations.userId, k.id))
      .orderBy(practiceObservations.id);
    expect(rows).toHaveLength(2);
    expect(rows[1].correctsId).toBe(rows[0].id);
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "practice.correct"), eq(auditLog.entityId, String(rows[1].id)))),
    ).toHaveLength(1);
    const page = await call(kaderPage.loader, makeRequest(`/kader/${k.id}`, { cookie: pembina.cookie }), { id: k.id });
    expect(page.data.programmes[0].practice.tasks[0]).toMatchObject({ result: "belum_kompeten" });
    expect(page.data.practice).toHaveLength(2);
  });

  it("answers bad input with 400 and a message, and refuses kompeten with unmet steps", async () => {
    const k = await newKader({ name: "Dewi Validasi" });
    const pid = await posyanduOf(k.id);
    const pembina = await staff("pembina_desa", "64.08.01.2001");
    const send = (body: URLSearchParams) =>
      call(praktik.action, post(`/posyandu/${pid}/praktik`, body, pembina.cookie), { id: String(pid) });
    const partial = await send(sheet(0, { [k.id]: { result: "kompeten", steps: [0] } }, hex("d")));
    expect(partial.status).toBe(400);
    expect(partial.data.errors[`hasil_${k.id}`]).toMatch(/semua langkah/);
    expect(partial.data.values[`langkah_${k.id}`]).toEqual(["0"]);
    expect(
      (await send(sheet(0, { [k.id]: { result: "kompeten" } }, hex("d"), { observedOn: "2999-01-01" }))).data.errors
        .observedOn,
    ).toMatch(/masa depan/);
    expect(
      (await send(sheet(0, { [k.id]: { result: "kompeten" } }, hex("d"), { observedOn: "2026-02-30" }))).status,
    ).toBe(400);
    expect(
      (await send(sheet(0, { [k.id]: { result: "kompeten" } }, hex("d"), { place: "" }))).data.errors.place,
    ).toBeTruthy();
    expect((await send(sheet(0, { [k.id]: { result: "hebat" } }, hex("d")))).status).toBe(400);
    expect((await send(sheet(0, {}, hex("d")))).data.errors.form).toMatch(/Belum ada kader/);
    const bogus = sheet(0, { [k.id]: { result: "kompeten" } }, hex("d"), { taskId: "tidak-ada" });
    expect((await send(bogus)).status).toBe(400);
    // A kader of another posyandu cannot be slipped into this sheet.
    const other = await newKader({ name: "Lain Posyandu", desa: "64.08.01.2002" });
    expect((await send(sheet(0, { [other.id]: { result: "kompeten" } }, hex("d")))).data.errors.form).toMatch(
      /bukan kader aktif/,
    );
    expect(
      await db
        .select()
        .from(practiceObservations)
        .where(eq(practiceObservations.idempotencyKey, hex("d"))),
    ).toHaveLength(0);
  });

  it("only pembina desa/kecamatan in scope: another kecamatan gets 403, a kader or DPMD 403, an unknown posyandu 404", async () => {
    const k = await newKader({ name: "Eka Lingkup" });
    const pid = await posyanduOf(k.id);
    const outsider = await staff("pembina_kecamatan", "64.08.02");
    const body = () => sheet(0, { [k.id]: { result: "kompeten" } }, hex("e"));
    expect(
      (
        await call(praktik.loader, makeRequest(`/posyandu/${pid}/praktik`, { cookie: outsider.cookie }), {
          id: String(pid),
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(praktik.action, post(`/posyandu/${pid}/praktik`, body(), outsider.cookie), { id: String(pid) }))
        .status,
    ).toBe(403);
    const dpmd = await staff("dpmd", "64.08");
    expect(
      (await call(praktik.action, post(`/posyandu/${pid}/praktik`, body(), dpmd.cookie), { id: String(pid) })).status,
    ).toBe(403);
    const kaderCookie = await sessionCookie(k.id);
    expect(
      (await call(praktik.action, post(`/posyandu/${pid}/praktik`, body(), kaderCookie), { id: String(pid) })).status,
    ).toBe(403);
    const own = await staff("pembina_desa", "64.08.01.2001");
    expect(
      (await call(praktik.loader, makeRequest(`/posyandu/999999/praktik`, { cookie: own.cookie }), { id: "999999" }))
        .status,
    ).toBe(404);
    expect(
      await db
        .select()
        .from(practiceObservations)
        .where(eq(practiceObservations.idempotencyKey, hex("e"))),
    ).toHaveLength(0);
  });
});

describe("no dead end after the last attempt", () => {
  const slug = () => SLUGS()[0];

  async function lockedOut(name: string) {
    const k = await newKader({ name });
    for (let i = 0; i < 3; i++) {
      await takeQuiz(k.id, slug(), false);
      await backdateAttempts(k.id, 3600_000, slug());
    }
    return k;
  }

  it("warns before the last attempt, explains what happens next after it", async () => {
    const k = await newKader({ name: "Fitri Peringatan" });
    const cookie = await sessionCookie(k.id);
    await takeQuiz(k.id, slug(), false);
    await backdateAttempts(k.id, 3600_000, slug());
    expect(
      (await call(quizInfo.loader, makeRequest(`/modul/${slug()}/kuis`, { cookie }), { slug: slug() })).data.lastChance,
    ).toBe(false);
    await takeQuiz(k.id, slug(), false);
    await backdateAttempts(k.id, 3600_000, slug());
    const info = await call(quizInfo.loader, makeRequest(`/modul/${slug()}/kuis`, { cookie }), { slug: slug() });
    expect(info.data).toMatchObject({ lastChance: true, lockedOut: false });
    const last = await takeQuiz(k.id, slug(), false);
    const review = await call(attemptPage.loader, makeRequest(`/modul/${slug()}/kuis/${last.attemptId}`, { cookie }), {
      slug: slug(),
      attemptId: last.attemptId,
    });
    expect(review.data).toMatchObject({ lockedOut: true });
    expect(review.data.afterLockout).toMatch(/Tim Pembina/);
    const cert = await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie }));
    expect(cert.data.programmes[0].progress.missing[0].label).toMatch(/kesempatan kuis habis/);
  });

  it("a pembina in scope sees the attempts and grants another round with a reason: audited, idempotent, seen at once; the kader then passes", async () => {
    const k = await lockedOut("Gita Terkunci");
    const kaderCookie = await sessionCookie(k.id);
    const pembina = await staff("pembina_desa", "64.08.01.2001");
    const page = await call(kaderPage.loader, makeRequest(`/kader/${k.id}`, { cookie: pembina.cookie }), { id: k.id });
    expect(page.status).toBe(200);
    const q = page.data.quizzes.find((x: { slug: string }) => x.slug === slug());
    expect(q).toMatchObject({ used: 3, max: 3, lockedOut: true, passed: false });
    expect(q.attempts).toHaveLength(3);
    expect(q.attempts[0]).toMatchObject({
      score: expect.any(Number),
      passed: false,
      when: expect.stringContaining("WITA"),
    });

    const noReason = await call(
      kaderPage.action,
      post(
        `/kader/${k.id}`,
        new URLSearchParams({ slug: slug(), reason: "", idempotencyKey: hex("1") }),
        pembina.cookie,
      ),
      { id: k.id },
    );
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toMatch(/alasan/i);
    const unknown = await call(
      kaderPage.action,
      post(
        `/kader/${k.id}`,
        new URLSearchParams({ slug: "tidak-ada", reason: "Sudah belajar lagi", idempotencyKey: hex("1") }),
        pembina.cookie,
      ),
      { id: k.id },
    );
    expect(unknown.status).toBe(400);

    const grant = () =>
      call(
        kaderPage.action,
        post(
          `/kader/${k.id}`,
          new URLSearchParams({
            slug: slug(),
            reason: "Sudah belajar ulang bersama pembina",
            idempotencyKey: hex("2"),
          }),
          pembina.cookie,
        ),
        { id: k.id },
      );
    expect((await grant()).status).toBe(200);
    expect((await grant()).status).toBe(200); // the same form again: still one grant
    const grants = await db.select().from(quizAttemptGrants).where(eq(quizAttemptGrants.userId, k.id));
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ extra: 3, reason: "Sudah belajar ulang bersama pembina", grantedBy: pembina.id });
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "quiz.grant_attempts"), eq(auditLog.entityId, k.id)));
    expect(audits).toHaveLength(1);

    // A second grant with a new form while attempts remain is refused (409).
    const extra = await call(
      kaderPage.action,
      post(
        `/kader/${k.id}`,
        new URLSearchParams({ slug: slug(), reason: "Sekali lagi", idempotencyKey: hex("3") }),
        pembina.cookie,
      ),
      { id: k.id },
    );
    expect(extra.status).toBe(409);

    const info = await call(quizInfo.loader, makeRequest(`/modul/${slug()}/kuis`, { cookie: kaderCookie }), {
      slug: slug(),
    });
    expect(info.data).toMatchObject({ granted: 3, maxAttempts: 6, lockedOut: false, check: { ok: true } });
    const passed = await takeQuiz(k.id, slug(), true);
    expect(passed.passed).toBe(true);
  });

  it("a grant of the earlier certification cycle does not count in the next, on the quiz page and at the start", async () => {
    const k = await newKader({ name: "Hana Siklus Baru" });
    const cookie = await sessionCookie(k.id);
    const pembina = await staff("pembina_desa", "64.08.01.2001");
    const grant = (idempotencyKey: string, grantedAt: Date) =>
      db.insert(quizAttemptGrants).values({
        userId: k.id,
        slug: slug(),
        extra: 3,
        reason: "Belajar ulang",
        grantedBy: pembina.id,
        grantedAt,
        idempotencyKey,
      });
    // Granted 30 days ago; the certificate ended 10 days ago, and a new cycle began then.
    await grant(hex("7"), new Date(Date.now() - 30 * 86_400_000));
    await insertCertificate(k.id, -10);
    for (let i = 0; i < 3; i++) {
      await takeQuiz(k.id, slug(), false);
      await backdateAttempts(k.id, 3600_000, slug());
    }
    const info = () => call(quizInfo.loader, makeRequest(`/modul/${slug()}/kuis`, { cookie }), { slug: slug() });
    expect((await info()).data).toMatchObject({ granted: 0, maxAttempts: 3, submittedCount: 3, lockedOut: true });
    expect(await startAttempt(k.id, slug(), hex("a"))).toMatchObject({ ok: false, status: 429 });

    // A grant in this cycle opens another round, on the page and at the start.
    await grant(hex("8"), new Date());
    expect((await info()).data).toMatchObject({ granted: 3, maxAttempts: 6, lockedOut: false, check: { ok: true } });
    expect(await startAttempt(k.id, slug(), hex("b"))).toMatchObject({ ok: true });
  });

  it("the progress page and grants: another kecamatan 403, a kader 403, unknown or non-kader 404", async () => {
    const k = await lockedOut("Hana Lingkup");
    const outsider = await staff("pembina_kecamatan", "64.08.02");
    expect(
      (await call(kaderPage.loader, makeRequest(`/kader/${k.id}`, { cookie: outsider.cookie }), { id: k.id })).status,
    ).toBe(403);
    const tried = await call(
      kaderPage.action,
      post(
        `/kader/${k.id}`,
        new URLSearchParams({ slug: slug(), reason: "Dari luar wilayah", idempotencyKey: hex("4") }),
        outsider.cookie,
      ),
      { id: k.id },
    );
    expect(tried.status).toBe(403);
    expect(
      await db
        .select()
        .from(quizAttemptGrants)
        .where(eq(quizAttemptGrants.idempotencyKey, hex("4"))),
    ).toHaveLength(0);
    const otherKader = await newKader({ name: "Kader Lain" });
    expect(
      (
        await call(kaderPage.loader, makeRequest(`/kader/${k.id}`, { cookie: await sessionCookie(otherKader.id) }), {
          id: k.id,
        })
      ).status,
    ).toBe(403);
    const own = await staff("pembina_kecamatan", "64.08.01");
    expect(
      (await call(kaderPage.loader, makeRequest(`/kader/tidakada123`, { cookie: own.cookie }), { id: "tidakada123" }))
        .status,
    ).toBe(404);
    expect(
      (await call(kaderPage.loader, makeRequest(`/kader/${own.id}`, { cookie: own.cookie }), { id: own.id })).status,
    ).toBe(404);
    expect(
      (await call(kaderPage.loader, makeRequest(`/kader/${k.id}`, { cookie: own.cookie }), { id: k.id })).status,
    ).toBe(200);
  });

  it("the locked-out report lists kader per kecamatan for DPMD, admin and pembina, each in scope only", async () => {
    const k = await lockedOut("Indah Laporan");
    const kukar = await newKader({ name: "Kukar Terkunci", desa: "64.02.01.2001" });
    for (let i = 0; i < 3; i++) {
      await takeQuiz(kukar.id, slug(), false);
      await backdateAttempts(kukar.id, 3600_000, slug());
    }
    const dpmd = await staff("dpmd", "64.08");
    const res = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: dpmd.cookie }));
    expect(res.status).toBe(200);
    const names = res.data.kecamatan.flatMap((g: { rows: { name: string }[] }) => g.rows.map((r) => r.name));
    expect(names).toContain("Indah Laporan");
    expect(names).not.toContain("Kukar Terkunci");
    const group = res.data.kecamatan.find((g: { code: string }) => g.code === "64.08.01");
    expect(group.name).toBe("Muara Ancalong");
    expect(group.rows.find((r: { userId: string }) => r.userId === k.id)).toMatchObject({ slug: slug(), used: 3 });
    // The pembina kecamatan grants another round, so she sees her kecamatan's list (issue 21).
    const pembina = await staff("pembina_kecamatan", "64.08.01");
    const own = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: pembina.cookie }));
    expect(own.status).toBe(200);
    const ownNames = own.data.kecamatan.flatMap((g: { rows: { name: string }[] }) => g.rows.map((r) => r.name));
    expect(ownNames).toContain("Indah Laporan");
    expect(ownNames).not.toContain("Kukar Terkunci");
    const kader = await call(
      terkunci.loader,
      makeRequest("/admin/kader-terkunci", { cookie: await sessionCookie(k.id) }),
    );
    expect(kader.status).toBe(403);
    const admin = await staff("admin", "64");
    const all = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: admin.cookie }));
    expect(all.data.kecamatan.flatMap((g: { rows: { name: string }[] }) => g.rows.map((r) => r.name))).toEqual(
      expect.arrayContaining(["Indah Laporan", "Kukar Terkunci"]),
    );
  });
});
