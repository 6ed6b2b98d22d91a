/**
 * Issue 21, point 4: every page that explains how a kader gets her certificate says the
 * programme's rule, from content/programme.yaml, never a sentence written by hand. The
 * programme here is changed (10 modules, pass score 80, two pendampingan sessions, three
 * practice tasks, 36 months) in a copy of the content (CONTENT_DIR), and every
 * explanation must follow: the welcome page, the home page, /sertifikat (before a
 * certificate and after it expired), the "Lanjutkan" step, the verification page, the
 * certificate PDF and the Open Badges credential.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = mkdtempSync(path.join(tmpdir(), "akademi-rule-"));
cpSync("content", root, { recursive: true });
const file = path.join(root, "programme.yaml");
const original = readFileSync(file, "utf8");
const changed = original
  .replace('title: "Sertifikasi Kader Posyandu 6 SPM"', 'title: "Sertifikasi Uji Kader"')
  .replace("      - spm-sosial\n", "")
  .replace("      - rujukan-dan-jejaring\n", "")
  .replace("    attendance:\n      kind: pelatihan", "    passScore: 80\n    attendance:\n      kind: pendampingan")
  .replace("      minSessions: 1", "      minSessions: 2")
  .replace("    validityMonths: 24", "    validityMonths: 36")
  .replace("      required: 2\n", "      required: 3\n");
// Each replacement must have hit (a changed programme.yaml must fail here, not pass silently).
for (const probe of ["Sertifikasi Uji Kader", "passScore: 80", "minSessions: 2", "validityMonths: 36", "required: 3"])
  expect(changed).toContain(probe);
writeFileSync(file, changed);
process.env.CONTENT_DIR = root;

const { eq } = await import("drizzle-orm");
const { db } = await import("~/db.server");
const { certificates } = await import("~/db/schema");
const { content, syncModuleVersions } = await import("~/features/catalogue/content.server");
const { recertificationText, ruleCriteria, ruleSentence, ruleSteps } = await import(
  "~/features/certification/rule-text"
);
const { renderCertificate } = await import("~/features/certification/pdf.server");
const { openBadgeCredential } = await import("~/features/certification/open-badge.server");
const { kaderNextStep } = await import("~/features/learning/next-step.server");
const selamat = await import("~/routes/selamat-datang");
const home = await import("~/routes/_index");
const sertifikat = await import("~/routes/sertifikat._index");
const verifikasi = await import("~/routes/verifikasi.$code");
const { call, makeRequest, sessionCookie, setupDatabase } = await import("./helpers");
const { attend, backdateAttempts, newKader, pdfText, practise, readModule, takeQuiz } = await import(
  "./certification-helpers"
);
const { pageText } = await import("./support/render-page");

const P = () => content().defaultProgramme;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

async function page(route: { loader: never; default: never }, url: string, cookie: string, params = {}) {
  const res = await call(route.loader, makeRequest(url, { cookie }), params);
  expect(res.status, url).toBe(200);
  return pageText(route.default, res.data, url);
}

describe("the rule in words comes from the programme", () => {
  it("the changed programme gives four steps with its own numbers", () => {
    expect(P().title).toBe("Sertifikasi Uji Kader");
    expect(ruleSteps(P()).map((s) => s.title)).toEqual([
      "Baca 10 modul wajib",
      "Lulus kuis setiap modul (nilai minimal 80)",
      "Ikuti dua sesi pendampingan",
      "Dinilai kompeten dalam tiga tugas praktik lapangan",
    ]);
    expect(ruleCriteria(P())).toBe(
      "membaca 10 modul wajib sampai selesai, lulus kuis setiap modul dengan nilai minimal 80, mengikuti dua sesi pendampingan, dan dinilai kompeten oleh Tim Pembina dalam tiga tugas praktik lapangan",
    );
    // A programme without attendance or practice says nothing of them.
    const bare = { ...P(), attendance: { ...P().attendance, minSessions: 0 }, practice: { required: 0, tasks: [] } };
    expect(ruleCriteria(bare)).toBe(
      "membaca 10 modul wajib sampai selesai dan lulus kuis setiap modul dengan nilai minimal 80",
    );
    expect(recertificationText(bare)).toBe(
      "Untuk sertifikasi ulang, kerjakan lagi kuis setiap modul wajib sampai lulus. Modul yang sudah dibaca tetap dihitung.",
    );
  });

  it("/selamat-datang lists the programme's steps, practice included", async () => {
    const k = await newKader({ name: "Kader Baru" });
    const text = await page(selamat as never, "/selamat-datang", await sessionCookie(k.id));
    expect(text).toContain("Empat langkah menuju Sertifikasi Uji Kader");
    for (const s of ruleSteps(P())) {
      expect(text).toContain(s.title);
      expect(text).toContain(s.detail);
    }
    expect(text).toContain("setelah empat langkah ini selesai dan berlaku 36 bulan");
    expect(text).not.toMatch(/ketiga langkah|satu pelatihan|Tiga langkah/);
  });

  it("the home page's certificate card says the programme's rule", async () => {
    const k = await newKader({ name: "Kader Beranda" });
    const text = await page(home as never, "/", await sessionCookie(k.id));
    expect(text).toContain(ruleSentence(P()));
    expect(text).toContain("dua sesi pendampingan");
    expect(text).toContain("tiga tugas praktik lapangan");
    expect(text).not.toContain("mengikuti pelatihan dan lulus semua kuis");
  });

  // One kader walks the whole way; each page is checked at the point she reaches it.
  let kader: { id: string };
  let cookie: string;
  let cert: typeof certificates.$inferSelect;

  it("/sertifikat before a certificate says the programme's rule", async () => {
    kader = await newKader({ name: "Kader Lengkap" });
    cookie = await sessionCookie(kader.id);
    expect(await page(sertifikat as never, "/sertifikat", cookie)).toContain(ruleSentence(P()));
  });

  it("every module read and quiz passed: 'Lanjutkan' names the programme's attendance, not 'the last step'", async () => {
    for (const slug of P().requiredModules) {
      await readModule(kader.id, slug);
      await takeQuiz(kader.id, slug);
    }
    const step = await kaderNextStep(kader.id, []);
    expect(step.title).toBe("Ikuti dua sesi pendampingan");
    expect(step.label).not.toBe("Langkah terakhir");
    expect(step.detail).toContain("pendampingan");
  });

  it("the verification page says what the certificate attests", async () => {
    await attend(kader.id, { kind: "pendampingan" });
    await attend(kader.id, { kind: "pendampingan" });
    await practise(kader.id, {
      tasks: P()
        .practice.tasks.slice(0, 3)
        .map((t) => t.id),
    });
    [cert] = await db.select().from(certificates).where(eq(certificates.userId, kader.id));
    expect(cert, "the changed programme's rule issues the certificate").toBeTruthy();
    const text = await page(verifikasi as never, `/verifikasi/${cert.code}`, "", { code: cert.code });
    expect(text).toContain(`Syarat ${ruleCriteria(P())}`);
  });

  it("the certificate PDF prints the programme's rule", async () => {
    const pdf = pdfText((await renderCertificate(cert as never, "https://akademi.test")).pdf).replace(/\s+/g, " ");
    expect(pdf).toContain(`dengan ${ruleCriteria(P())}`);
  });

  it("the Open Badges credential's criteria are the programme's rule", () => {
    const narrative = openBadgeCredential(cert as never, "https://akademi.test").credentialSubject.achievement.criteria
      .narrative;
    expect(narrative.toLowerCase()).toContain(ruleCriteria(P()).toLowerCase());
  });

  it("/sertifikat after expiry says what recertification asks and what carries over", async () => {
    // Expired yesterday; the quizzes were passed before (they count only in their cycle).
    await backdateAttempts(kader.id, 2 * 86_400_000);
    await db
      .update(certificates)
      .set({ expiresAt: new Date(Date.now() - 86_400_000) })
      .where(eq(certificates.id, cert.id));
    const expired = await page(sertifikat as never, "/sertifikat", cookie);
    expect(expired).toContain(recertificationText(P()));
    expect(recertificationText(P())).toContain("kehadiran pendampingan");
    expect(recertificationText(P())).toContain("praktik lapangan yang sudah kompeten");
  });
});
