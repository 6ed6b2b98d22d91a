/** Issue 14: reading progress per section, the "Lanjutkan" step, upcoming sessions, the offline bundle. */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "~/db.server";
import { enrolments, moduleProgress, quizAttempts, regions, workshops } from "~/db/schema";
import { content, getModule, syncModuleVersions } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { moduleSections } from "~/features/catalogue/mdx.server";
import { nextStep, type StepModule } from "~/features/learning/next-step";
import { resumeSection, sectionsRead, splitSections } from "~/features/catalogue/sections";
import * as modulePage from "~/routes/modul.$slug._index";
import * as home from "~/routes/_index";
import * as simpan from "~/routes/modul.simpan";
import * as root from "~/root";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const SLUG = "spm-kesehatan";
let posId: number;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  posId = await makePosyandu({ name: "Posyandu Anggrek", desaCode: "64.08.01.2003" });
});

async function newKader() {
  const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2003", posyanduId: posId });
  return { ...k, cookie: await sessionCookie(k.id) };
}

describe("sections from the rendered module", () => {
  it("splits at h2, gives stable unique ids and keeps the introduction apart", () => {
    const s = splitSections(
      '<p>Awal</p><h2>Apa itu &amp; Siapa?</h2><p>a</p><h2 class="x">Ringkasan</h2><p>b</p><h2>Ringkasan</h2>',
    );
    expect(s.intro).toBe("<p>Awal</p>");
    expect(s.sections.map((x) => x.id)).toEqual(["bagian-apa-itu-siapa", "bagian-ringkasan", "bagian-ringkasan-2"]);
    expect(s.sections[0].title).toBe("Apa itu & Siapa?");
    expect(s.sections[1].html).toBe('<h2 id="bagian-ringkasan" class="x">Ringkasan</h2><p>b</p>');
    expect(sectionsRead(s.sections, "bagian-ringkasan")).toBe(2);
    expect(resumeSection(s.sections, "bagian-ringkasan")).toBe("bagian-ringkasan-2");
    expect(resumeSection(s.sections, "hilang")).toBe("bagian-apa-itu-siapa");
    expect(splitSections("<p>tanpa judul</p>")).toEqual({ intro: "<p>tanpa judul</p>", sections: [] });
  });

  it("every module has sections", async () => {
    const split = await moduleSections(getModule(SLUG)!);
    expect(split.sections.length).toBeGreaterThan(3);
  });
});

describe("next step", () => {
  const mod = (slug: string, over: Partial<StepModule> = {}): StepModule => ({
    slug,
    title: slug,
    opened: false,
    completed: false,
    hasQuiz: true,
    quizPassed: false,
    resume: null,
    sectionsRead: 0,
    sections: 5,
    ...over,
  });
  const base = {
    attendanceOk: false,
    attendance: { kind: "pelatihan", title: "Ikuti satu sesi pelatihan" },
    practiceOk: true,
    certified: false,
    sessions: [],
  };
  it("reading first, then a pending quiz, then the next module, then the session, then the certificate", () => {
    expect(
      nextStep({
        ...base,
        modules: [
          mod("a", { completed: true }),
          mod("b", { opened: true, resume: { id: "bagian-x", title: "X" }, sectionsRead: 2 }),
        ],
      }),
    ).toMatchObject({ kind: "baca", href: "/modul/b#bagian-x" });
    expect(nextStep({ ...base, modules: [mod("a", { opened: true, completed: true }), mod("b")] })).toMatchObject({
      kind: "kuis",
      href: "/modul/a/kuis",
    });
    expect(
      nextStep({ ...base, modules: [mod("a", { opened: true, completed: true, quizPassed: true }), mod("b")] }),
    ).toMatchObject({ kind: "mulai", href: "/modul/b" });
    const done = [mod("a", { opened: true, completed: true, quizPassed: true })];
    expect(
      nextStep({ ...base, modules: done, sessions: [{ id: 7, title: "Pelatihan", when: "Senin" }] }),
    ).toMatchObject({ kind: "sesi", href: "/sesi/7" });
    expect(nextStep({ ...base, modules: done })).toMatchObject({ kind: "cari-sesi", href: "/sesi" });
    expect(nextStep({ ...base, modules: done, attendanceOk: true, certified: true })).toMatchObject({
      kind: "sertifikat",
      href: "/sertifikat",
    });
  });
});

describe("reading progress on the module page", () => {
  it("remembers the furthest section; Lanjutkan on home points at the next one", async () => {
    const k = await newKader();
    const page = await call(modulePage.loader, makeRequest(`/modul/${SLUG}`, { cookie: k.cookie }), { slug: SLUG });
    const ids: string[] = page.data.sections.map((s: { id: string }) => s.id);
    const post = (form: Record<string, string>) =>
      call(modulePage.action, makeRequest(`/modul/${SLUG}?index`, { cookie: k.cookie, form }), { slug: SLUG });

    expect((await post({ intent: "bagian", bagian: ids[0] })).location).toBe(`/modul/${SLUG}#${ids[1]}`);
    expect((await post({ intent: "bagian", bagian: ids[2] })).location).toBe(`/modul/${SLUG}#${ids[3]}`);
    // Going back to an earlier section does not move the mark back.
    await post({ intent: "bagian", bagian: ids[1] });
    const [row] = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, SLUG)));
    expect(row.lastSection).toBe(ids[2]);
    expect(row.completedAt).toBeNull();

    const again = await call(modulePage.loader, makeRequest(`/modul/${SLUG}`, { cookie: k.cookie }), { slug: SLUG });
    expect(again.data).toMatchObject({ read: 3, resume: ids[3] });
    const h = await call(home.loader, makeRequest("/", { cookie: k.cookie }));
    expect(h.data.next).toMatchObject({ kind: "baca", href: `/modul/${SLUG}#${ids[3]}` });
    expect(h.data.next.detail).toContain(`3 dari ${ids.length} bagian`);

    // "Selesai membaca" marks the whole module read.
    expect((await post({ intent: "selesai" })).location).toBe(`/modul/${SLUG}/kuis`);
    const done = await call(modulePage.loader, makeRequest(`/modul/${SLUG}`, { cookie: k.cookie }), { slug: SLUG });
    expect(done.data).toMatchObject({ read: ids.length, completed: true, resume: null });
    expect((await call(home.loader, makeRequest("/", { cookie: k.cookie }))).data.next).toMatchObject({
      kind: "kuis",
      href: `/modul/${SLUG}/kuis`,
    });
  });

  it("answers bad input with a 400 and an Indonesian message, nothing stored", async () => {
    const k = await newKader();
    for (const form of [{ intent: "bagian", bagian: "bagian-tidak-ada" }, { intent: "hapus" }] as Record<
      string,
      string
    >[]) {
      const res = await call(modulePage.action, makeRequest(`/modul/${SLUG}?index`, { cookie: k.cookie, form }), {
        slug: SLUG,
      });
      expect(res.status).toBe(400);
      expect(res.data.message).toMatch(/Muat ulang halaman/);
    }
    const rows = await db.select().from(moduleProgress).where(eq(moduleProgress.userId, k.id));
    expect(rows.every((r) => r.lastSection === null && r.completedAt === null)).toBe(true);
  });
});

describe("home page and header", () => {
  it("shows the posyandu and desa by name, and her upcoming sessions", async () => {
    const k = await newKader();
    const r = await call(root.loader, makeRequest("/", { cookie: k.cookie }));
    expect(r.data.user.place).toMatch(/^Posyandu Anggrek · /);
    expect(r.data.user.place).not.toMatch(/\d{2}\.\d{2}/);

    // Read with the session: the desa's name, and the scope region's name for an account without a posyandu.
    const [desa] = await db.select({ name: regions.name }).from(regions).where(eq(regions.code, "64.08.01.2003"));
    expect(r.data.user.place).toBe(`Posyandu Anggrek · ${desa.name}`);
    const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" });
    const [kec] = await db.select({ name: regions.name }).from(regions).where(eq(regions.code, "64.08.01"));
    const p = await call(root.loader, makeRequest("/", { cookie: await sessionCookie(pembina.id) }));
    expect(p.data.user.place).toBe(kec.name);
    // A posyandu named without the word gets it; a kader whose posyandu was cleared shows her desa.
    const bare = await makePosyandu({ name: "Mawar", desaCode: "64.08.01.2003" });
    const mawar = await makeUser({ role: "kader", scopeCode: "64.08.01.2003", posyanduId: bare });
    const m = await call(root.loader, makeRequest("/", { cookie: await sessionCookie(mawar.id) }));
    expect(m.data.user.place).toBe(`Posyandu Mawar · ${desa.name}`);
    const loose = await makeUser({ role: "kader", scopeCode: "64.08.01.2003", posyanduId: null });
    const l = await call(root.loader, makeRequest("/", { cookie: await sessionCookie(loose.id) }));
    expect(l.data.user.place).toBe(desa.name);

    const creator = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" });
    const starts = new Date(Date.now() + 3 * 86_400_000);
    const [w] = await db
      .insert(workshops)
      .values({
        title: "Pelatihan Kader",
        kind: "pelatihan",
        audience: "kader",
        regionCode: "64.08.01",
        venue: "Balai Desa",
        startsAt: starts,
        endsAt: new Date(starts.getTime() + 3600_000),
        capacity: 20,
        status: "published",
        createdBy: creator.id,
      })
      .returning({ id: workshops.id });
    await db.insert(enrolments).values({ workshopId: w.id, userId: k.id, status: "enrolled" });
    const h = await call(home.loader, makeRequest("/", { cookie: k.cookie }));
    expect(h.data.sessions).toEqual([
      expect.objectContaining({
        id: w.id,
        venue: "Balai Desa",
        waitlisted: false,
        when: expect.stringContaining("WITA"),
      }),
    ]);
    expect(h.data.next).toMatchObject({ kind: "mulai", href: "/modul/permendagri-13-2024" });
    expect(h.data.offline).toMatch(/^\d+ KB$/);
  });
});

describe("POST /modul/simpan", () => {
  it("kader: the pages to store, with one open attempt per quiz; repeating draws nothing new", async () => {
    const k = await newKader();
    const res = await call(simpan.action, makeRequest("/modul/simpan", { cookie: k.cookie, method: "POST" }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.data);
    expect(body.urls).toContain("/modul/spm-kesehatan");
    expect(body.urls).toContain("/luring");
    // One open attempt per quiz of the programme (a new kader has passed none).
    const quizzes = content().defaultProgramme.requiredModules.filter(
      (slug) => content().bySlug.get(slug)?.quiz,
    ).length;
    expect(quizzes).toBeGreaterThan(8);
    expect(body.attempts).toBe(quizzes);
    const open = await db
      .select({ id: quizAttempts.id })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, k.id), isNull(quizAttempts.submittedAt)));
    expect(open).toHaveLength(quizzes);
    for (const a of open) expect(body.urls.some((u: string) => u.endsWith(`/kuis/${a.id}`))).toBe(true);
    const second = JSON.parse(
      (await call(simpan.action, makeRequest("/modul/simpan", { cookie: k.cookie, method: "POST" }))).data,
    );
    expect(second.urls).toEqual(body.urls);
    expect(
      await db.select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, k.id)),
    ).toHaveLength(quizzes);
  });

  it("only kader; other roles 403, anonymous to /masuk, foreign origin refused, GET 405", async () => {
    const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.02" });
    const res = await call(
      simpan.action,
      makeRequest("/modul/simpan", { cookie: await sessionCookie(pembina.id), method: "POST" }),
    );
    expect(res.status).toBe(403);
    const anon = await call(simpan.action, makeRequest("/modul/simpan", { method: "POST" }));
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/masuk/);
    const k = await newKader();
    const foreign = await call(
      simpan.action,
      makeRequest("/modul/simpan", { cookie: k.cookie, method: "POST", origin: "https://jahat.example" }),
    );
    expect(foreign.status).toBe(403);
    expect(
      await db.select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, k.id)),
    ).toHaveLength(0);
    expect((await call(simpan.loader as never, makeRequest("/modul/simpan", { cookie: k.cookie }))).status).toBe(405);
  });
});

describe("sections and boxes", () => {
  it("an <h2> inside a box (the Sumber aside) does not start a section", () => {
    const s = splitSections(
      '<p>a</p><h2 id="satu">Satu</h2><p>b</p><aside class="sumber"><h2 id="sumber">Sumber</h2><p>c</p></aside>',
    );
    expect(s.sections.map((x) => x.id)).toEqual(["satu"]);
    expect(s.sections[0].html).toContain('<aside class="sumber"><h2 id="sumber">Sumber</h2><p>c</p></aside>');
  });
});
