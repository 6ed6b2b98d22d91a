/**
 * Issue 21, point 5: a pembina finds a locked-out kader, and the kader finds her pembina.
 * Every pembina level (desa, kecamatan, kabupaten) sees the locked-out list of her scope
 * with the way to the grant, a pembina of another area sees nobody of it (403 for its
 * region or posyandu), the dashboard's locked-out counts link to that list and count what
 * it lists (a granted round ends the lock-out there too), the kader tables mark the
 * locked kader, and the locked kader is told who her pembina are, with a WhatsApp link.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { users } from "~/db/schema";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { grantAttempts } from "~/features/coaching/kader-progress.server";
import * as terkunci from "~/routes/admin.kader-terkunci";
import * as dasbor from "~/routes/dasbor.$region._index";
import * as dasborPosyandu from "~/routes/dasbor.$region.posyandu.$id";
import * as posyanduPage from "~/routes/posyandu.$id";
import * as quizInfo from "~/routes/modul.$slug.kuis._index";
import * as attemptPage from "~/routes/modul.$slug.kuis.$attemptId";
import * as sertifikatPage from "~/routes/sertifikat._index";
import { afterWrite, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { backdateAttempts, DESA, newKader, SLUGS, takeQuiz } from "./certification-helpers";
import { pageText, renderPage } from "./support/render-page";

const KEC = "64.08.01"; // Muara Ancalong
const KAB = "64.08"; // Kutai Timur
const slug = () => SLUGS()[0];

async function staff(
  role: "pembina_desa" | "pembina_kecamatan" | "pembina_kabupaten",
  scopeCode: string,
  name?: string,
) {
  const u = await makeUser({ role, scopeCode, name: name ?? `${role} ${scopeCode}` });
  return { ...u, cookie: await sessionCookie(u.id) };
}

/** Every allowed attempt of the first required quiz used, none passed. */
async function lockedOut(name: string) {
  const k = await newKader({ name });
  let last = "";
  for (let i = 0; i < 3; i++) {
    last = (await takeQuiz(k.id, slug(), false)).attemptId;
    await backdateAttempts(k.id, 3600_000, slug());
  }
  const [u] = await db.select({ posyanduId: users.posyanduId }).from(users).where(eq(users.id, k.id));
  return { ...k, lastAttempt: last, posyanduId: u.posyanduId! };
}

const names = (data: { kecamatan: { rows: { name: string }[] }[] }) =>
  data.kecamatan.flatMap((g) => g.rows.map((r) => r.name));

let kader: Awaited<ReturnType<typeof lockedOut>>;
let desaPembina: Awaited<ReturnType<typeof staff>>;
let kecPembina: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  desaPembina = await staff("pembina_desa", DESA, "Kartini Pembina Desa");
  kecPembina = await staff("pembina_kecamatan", KEC, "Siti Pembina Kecamatan");
  kader = await lockedOut("Sari Terkunci");
});

describe("the locked-out list for every pembina level, in her scope", () => {
  it("pembina desa, kecamatan and kabupaten each see the kader, with the link to the grant", async () => {
    const kab = await staff("pembina_kabupaten", KAB);
    for (const p of [desaPembina, kecPembina, kab]) {
      const res = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: p.cookie }));
      expect(res.status, `pembina ${p.id}`).toBe(200);
      expect(names(res.data)).toContain("Sari Terkunci");
      const html = await renderPage(terkunci.default, res.data);
      expect(html).toContain(`href="/kader/${kader.id}#kuis-${slug()}"`);
      expect(await pageText(terkunci.default, res.data)).toContain("Beri kesempatan lagi");
    }
  });

  it("a pembina of another kecamatan or desa does not see her, and is refused her area (403)", async () => {
    const otherKec = await staff("pembina_kecamatan", "64.08.02");
    const res = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: otherKec.cookie }));
    expect(res.status).toBe(200);
    expect(names(res.data)).not.toContain("Sari Terkunci");
    expect(
      (await call(terkunci.loader, makeRequest(`/admin/kader-terkunci?wilayah=${KEC}`, { cookie: otherKec.cookie })))
        .status,
    ).toBe(403);
    expect(
      (
        await call(
          terkunci.loader,
          makeRequest(`/admin/kader-terkunci?posyandu=${kader.posyanduId}`, { cookie: otherKec.cookie }),
        )
      ).status,
    ).toBe(403);
    const otherDesa = await staff("pembina_desa", "64.08.01.2002");
    const desaList = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: otherDesa.cookie }));
    expect(names(desaList.data)).not.toContain("Sari Terkunci");
    expect(
      (await call(terkunci.loader, makeRequest(`/admin/kader-terkunci?wilayah=${DESA}`, { cookie: otherDesa.cookie })))
        .status,
    ).toBe(403);
    // A kader is not a pembina.
    const k = await newKader({ name: "Kader Biasa" });
    expect(
      (await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: await sessionCookie(k.id) }))).status,
    ).toBe(403);
  });
});

describe("the dashboard's counts lead to the list", () => {
  it("kecamatan: the desa's count links to that desa's list, which names her", async () => {
    const res = await call(dasbor.loader, makeRequest(`/dasbor/${KEC}`, { cookie: kecPembina.cookie }), {
      region: KEC,
    });
    expect(res.data.attention.locked).toEqual([{ code: DESA, name: "Senyiur", value: "1 kader" }]);
    const html = await renderPage(dasbor.default, res.data, `/dasbor/${KEC}`);
    expect(html).toMatch(
      new RegExp(`<a [^>]*href="/admin/kader-terkunci\\?wilayah=${DESA.replaceAll(".", "\\.")}"[^>]*>1 kader</a>`),
    );
    const list = await call(
      terkunci.loader,
      makeRequest(`/admin/kader-terkunci?wilayah=${DESA}`, { cookie: kecPembina.cookie }),
    );
    expect(list.status).toBe(200);
    expect(names(list.data)).toEqual(["Sari Terkunci"]);
    expect(list.data.place).toBe("Desa/Kelurahan Senyiur");
  });

  it("desa: the posyandu's count links to that posyandu's list", async () => {
    const res = await call(dasbor.loader, makeRequest(`/dasbor/${DESA}`, { cookie: desaPembina.cookie }), {
      region: DESA,
    });
    expect(res.data.attention.locked.map((r: { code: string }) => r.code)).toEqual([String(kader.posyanduId)]);
    const html = await renderPage(dasbor.default, res.data, `/dasbor/${DESA}`);
    expect(html).toContain(`href="/admin/kader-terkunci?posyandu=${kader.posyanduId}"`);
    const list = await call(
      terkunci.loader,
      makeRequest(`/admin/kader-terkunci?posyandu=${kader.posyanduId}`, { cookie: desaPembina.cookie }),
    );
    expect(names(list.data)).toEqual(["Sari Terkunci"]);
  });

  it("kabupaten: no count, but a link to the list of the whole kabupaten", async () => {
    const kab = await staff("pembina_kabupaten", KAB);
    const res = await call(dasbor.loader, makeRequest(`/dasbor/${KAB}`, { cookie: kab.cookie }), { region: KAB });
    expect(res.data.attention.lockedCounted).toBe(false);
    expect(await renderPage(dasbor.default, res.data, `/dasbor/${KAB}`)).toContain(
      `href="/admin/kader-terkunci?wilayah=${KAB}"`,
    );
  });
});

describe("the kader tables mark the locked kader", () => {
  it("the posyandu page and the dashboard's posyandu table", async () => {
    const pos = await call(
      posyanduPage.loader,
      makeRequest(`/posyandu/${kader.posyanduId}`, { cookie: desaPembina.cookie }),
      {
        id: String(kader.posyanduId),
      },
    );
    const row = pos.data.kader.find((k: { id: string }) => k.id === kader.id);
    expect(row.locked.map((l: { slug: string }) => l.slug)).toEqual([slug()]);
    const posHtml = await renderPage(posyanduPage.default, pos.data);
    expect(posHtml).toContain(`href="/kader/${kader.id}#kuis-${slug()}"`);
    expect(posHtml).toContain("Terkunci kuis");

    const table = await call(
      dasborPosyandu.loader,
      makeRequest(`/dasbor/${DESA}/posyandu/${kader.posyanduId}`, { cookie: desaPembina.cookie }),
      { region: DESA, id: String(kader.posyanduId) },
    );
    expect(table.data.kader.find((k: { id: string }) => k.id === kader.id).locked).toHaveLength(1);
    expect(await pageText(dasborPosyandu.default, table.data)).toContain("Terkunci kuis");
    // Nobody else of that posyandu is marked.
    const other = await newKader({ name: "Kader Tidak Terkunci" });
    const again = await call(
      dasborPosyandu.loader,
      makeRequest(`/dasbor/${DESA}/posyandu/${kader.posyanduId}`, { cookie: desaPembina.cookie }),
      { region: DESA, id: String(kader.posyanduId) },
    );
    expect(again.data.kader.find((k: { id: string }) => k.id === other.id).locked).toEqual([]);
  });
});

describe("the kader is told who her pembina is and how to reach her", () => {
  it("the quiz page, the result page and /sertifikat name her pembina desa and kecamatan with a WhatsApp link", async () => {
    const outsider = await staff("pembina_kecamatan", "64.08.02", "Pembina Kecamatan Lain");
    const cookie = await sessionCookie(kader.id);
    const pages = [
      await call(quizInfo.loader, makeRequest(`/modul/${slug()}/kuis`, { cookie }), { slug: slug() }),
      await call(attemptPage.loader, makeRequest(`/modul/${slug()}/kuis/${kader.lastAttempt}`, { cookie }), {
        slug: slug(),
        attemptId: kader.lastAttempt,
      }),
      await call(sertifikatPage.loader, makeRequest("/sertifikat", { cookie })),
    ];
    const components = [quizInfo.default, attemptPage.default, sertifikatPage.default];
    for (const [i, res] of pages.entries()) {
      expect(res.status).toBe(200);
      const html = await renderPage(components[i], res.data);
      const text = await pageText(components[i], res.data);
      expect(text).toContain("Kartini Pembina Desa");
      expect(text).toContain("Siti Pembina Kecamatan");
      expect(text).not.toContain(outsider.phone.replace(/^62/, "0"));
      expect(text).not.toContain("Pembina Kecamatan Lain");
      expect(html).toContain(`href="https://wa.me/${desaPembina.phone}?text=`);
      expect(html).toContain(`href="https://wa.me/${kecPembina.phone}?text=`);
      expect(text).toContain(`0${desaPembina.phone.slice(2)}`);
    }
  });
});

describe("one definition of locked out", () => {
  it("after a grant she is no longer counted on the dashboard nor listed", async () => {
    const k = await lockedOut("Rina Diberi Kesempatan");
    const before = await call(dasbor.loader, makeRequest(`/dasbor/${KEC}`, { cookie: afterWrite(kecPembina.cookie) }), {
      region: KEC,
    });
    expect(before.data.attention.locked).toEqual([{ code: DESA, name: "Senyiur", value: "2 kader" }]);
    const actor = {
      id: kecPembina.id,
      name: "Siti",
      phone: kecPembina.phone,
      role: "pembina_kecamatan" as const,
      scopeCode: KEC,
      posyanduId: null,
      active: true,
      place: "",
    };
    const g = await grantAttempts(actor, k.id, {
      slug: slug(),
      reason: "Sudah belajar lagi",
      idempotencyKey: "c".repeat(32),
    });
    expect(g.ok).toBe(true);
    const after = await call(dasbor.loader, makeRequest(`/dasbor/${KEC}`, { cookie: afterWrite(kecPembina.cookie) }), {
      region: KEC,
    });
    expect(after.data.attention.locked).toEqual([{ code: DESA, name: "Senyiur", value: "1 kader" }]);
    const list = await call(terkunci.loader, makeRequest("/admin/kader-terkunci", { cookie: kecPembina.cookie }));
    expect(names(list.data)).toEqual(["Sari Terkunci"]);
  });
});
