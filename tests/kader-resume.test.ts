/**
 * Issue 21, item 1: storing the modules for offline reading ("Simpan semua modul") is not
 * opening them, and "Lanjutkan" leads to the module she read last, at the section where she
 * stopped. Through the route loaders and actions, on a real database.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { moduleProgress } from "~/db/schema";
import { content, syncModuleVersions } from "~/features/catalogue/content.server";
import { nextStep, type StepModule } from "~/features/learning/next-step";
import { kaderWithCookie as newKader } from "./certification-helpers";
import * as modulePage from "~/routes/modul.$slug._index";
import * as modulList from "~/routes/modul._index";
import * as home from "~/routes/_index";
import * as simpan from "~/routes/modul.simpan";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

type Kader = Awaited<ReturnType<typeof newKader>>;

const open = (k: Kader, slug: string, headers?: Record<string, string>) =>
  call(modulePage.loader, makeRequest(`/modul/${slug}`, { cookie: k.cookie, headers }), { slug });

/** Finishes the first `n` sections of a module the way her "Bagian k selesai" button does; returns the section ids. */
async function readSections(k: Kader, slug: string, n: number): Promise<string[]> {
  const ids: string[] = (await open(k, slug)).data.sections.map((s: { id: string }) => s.id);
  for (const id of ids.slice(0, n)) {
    const res = await call(
      modulePage.action,
      makeRequest(`/modul/${slug}?index`, { cookie: k.cookie, form: { intent: "bagian", bagian: id } }),
      { slug },
    );
    expect(res.status).toBe(302);
  }
  return ids;
}

const nextOnHome = async (k: Kader) => (await call(home.loader, makeRequest("/", { cookie: k.cookie }))).data.next;

async function rows(userId: string) {
  return db.select().from(moduleProgress).where(eq(moduleProgress.userId, userId));
}

describe("Simpan semua modul", () => {
  it("stores every page without opening a module: only the one she reads is 'Sedang dibaca'", async () => {
    const k = await newKader();
    const ids = await readSections(k, "spm-sosial", 2);
    const bundle = await call(simpan.action, makeRequest("/modul/simpan", { cookie: k.cookie, form: {} }));
    expect(bundle.status).toBe(200);
    const modulePages = (JSON.parse(bundle.data).urls as string[]).filter((u) => /^\/modul\/[^/]+$/.test(u));
    expect(modulePages.length).toBe(content().defaultProgramme.requiredModules.length);
    // The page script's fetches, each marked as storing (app/client/kader.js sends X-Simpan: 1).
    for (const url of modulePages) {
      const slug = url.split("/")[2];
      const page = await open(k, slug, { "X-Simpan": "1" });
      expect(page.status).toBe(200);
    }
    expect((await rows(k.id)).map((r) => r.slug)).toEqual(["spm-sosial"]);
    const list = await call(modulList.loader, makeRequest("/modul", { cookie: k.cookie }));
    const states = list.data.groups.flatMap((g: { modules: { slug: string; state: string }[] }) => g.modules);
    expect(states.filter((m: { state: string }) => m.state === "dibuka").map((m: { slug: string }) => m.slug)).toEqual([
      "spm-sosial",
    ]);
    expect(await nextOnHome(k)).toMatchObject({ kind: "baca", href: `/modul/spm-sosial#${ids[2]}` });
  });

  it("her own opening still counts", async () => {
    const k = await newKader();
    await open(k, "spm-pendidikan");
    expect((await rows(k.id)).map((r) => r.slug)).toEqual(["spm-pendidikan"]);
  });
});

describe("Lanjutkan: the module she read last, at the section where she stopped", () => {
  it("after modules marked opened by an earlier save, the one with sections read", async () => {
    const k = await newKader();
    const ids = await readSections(k, "spm-sosial", 2);
    // What a "Simpan semua modul" before this fix left: every module opened, no time of reading.
    await db.insert(moduleProgress).values(
      content()
        .defaultProgramme.requiredModules.filter((s) => s !== "spm-sosial")
        .map((slug) => ({ userId: k.id, slug, contentHash: content().bySlug.get(slug)!.hash })),
    );
    expect(await nextOnHome(k)).toMatchObject({ kind: "baca", href: `/modul/spm-sosial#${ids[2]}` });
  });

  it("follows her from module to module", async () => {
    const k = await newKader();
    const sosial = await readSections(k, "spm-sosial", 2);
    const kesehatan = await readSections(k, "spm-kesehatan", 1);
    expect(await nextOnHome(k)).toMatchObject({ href: `/modul/spm-kesehatan#${kesehatan[1]}` });
    // Back in the first module (the third section): Lanjutkan goes back there.
    await call(
      modulePage.action,
      makeRequest("/modul/spm-sosial?index", { cookie: k.cookie, form: { intent: "bagian", bagian: sosial[2] } }),
      { slug: "spm-sosial" },
    );
    expect(await nextOnHome(k)).toMatchObject({
      href: `/modul/spm-sosial#${sosial[3]}`,
      detail: expect.stringContaining(`3 dari ${sosial.length} bagian`),
    });
  });

  it("the rule: the latest reading first, then a module with sections read, then programme order", () => {
    const mod = (slug: string, over: Partial<StepModule>): StepModule => ({
      slug,
      title: slug,
      opened: true,
      completed: false,
      hasQuiz: true,
      quizPassed: false,
      resume: null,
      sectionsRead: 0,
      sections: 5,
      readAt: null,
      ...over,
    });
    const base = {
      attendanceOk: false,
      attendance: { kind: "pelatihan", title: "Ikuti satu sesi pelatihan" },
      practiceOk: true,
      certified: false,
      sessions: [],
    };
    const read = { resume: { id: "bagian-b", title: "B" }, sectionsRead: 1 };
    expect(nextStep({ ...base, modules: [mod("a", {}), mod("b", read)] }).href).toBe("/modul/b#bagian-b");
    expect(nextStep({ ...base, modules: [mod("a", { readAt: 2 }), mod("b", { ...read, readAt: 1 })] }).href).toBe(
      "/modul/a",
    );
    expect(nextStep({ ...base, modules: [mod("a", {}), mod("b", {})] }).href).toBe("/modul/a");
  });
});
