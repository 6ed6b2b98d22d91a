/** Issue 11 findings that live in the routes: double submits, scope of the peserta page, links from APP_URL. */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { posyandu, users, workshops } from "~/db/schema";
import { getUser } from "~/auth.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { enrolUsers } from "~/features/workshops/enrolment.server";
import { createWorkshop, transitionWorkshop } from "~/features/workshops/sessions.server";
import { workshopFormSchema } from "~/features/workshops/rules";
import * as userNew from "~/routes/admin.pengguna.baru";
import * as posyanduNew from "~/routes/posyandu.baru";
import * as sesiNew from "~/routes/sesi.baru";
import * as peserta from "~/routes/sesi.$id.peserta";
import * as sesi from "~/routes/sesi.$id._index";
import * as kalender from "~/routes/kalender._index";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

let admin: string;
beforeAll(async () => {
  await setupDatabase();
  const a = await makeUser({ role: "admin", scopeCode: "64", password: "sandi-admin-1" });
  admin = await sessionCookie(a.id);
});

describe("double-submitted create forms", () => {
  it("20 identical account creations at once: one account, 19 × 'sudah terdaftar', no 500", async () => {
    const posId = await makePosyandu({ name: "Posyandu Melati", desaCode: "64.08.01.2003" });
    const form = {
      name: "Sri Wahyuni",
      phone: "081255509876",
      role: "kader",
      scopeCode: "",
      posyanduId: String(posId),
      spmBidang: "kesehatan",
      password: "kata-sandi-sri-1",
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(userNew.action, makeRequest("/admin/pengguna/baru", { cookie: admin, form })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([302, ...Array(19).fill(400)]);
    for (const r of results.filter((x) => x.status === 400))
      expect(r.data.errors.phone).toBe("Nomor HP ini sudah terdaftar.");
    const [{ n }] = await db.select({ n: count() }).from(users).where(eq(users.phone, "6281255509876"));
    expect(n).toBe(1);
  });

  it("20 identical posyandu creations with a registration number: one posyandu, no 500", async () => {
    const form = { name: "Posyandu Dahlia", desaCode: "64.08.01.2003", registrationNo: "6408012003099" };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(posyanduNew.action, makeRequest("/posyandu/baru", { cookie: admin, form })),
      ),
    );
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 400))
      expect(r.data.errors.registrationNo).toMatch(/sudah dipakai/);
    const [{ n }] = await db.select({ n: count() }).from(posyandu).where(eq(posyandu.registrationNo, "6408012003099"));
    expect(n).toBe(1);
  });
});

describe("a create retried after its answer was lost (in-doubt write) makes one row", () => {
  // The page's form key: every create form carries one (a hidden field the loader generates).
  const keyOf = async (loader: typeof sesiNew.loader, path: string) => {
    const page = await call(loader as never, makeRequest(path, { cookie: admin }));
    return (page.data.defaults?.formKey ?? page.data.formKey) as string;
  };

  it("a session, a posyandu and an account: the retry answers the first try's row", async () => {
    const sesiKey = await keyOf(sesiNew.loader, "/sesi/baru");
    expect(sesiKey).toMatch(/^[a-f0-9]{32}$/);
    const start = new Date(Date.now() + 7 * 86_400_000);
    const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
    const sesiForm = {
      formKey: sesiKey,
      title: "Sosialisasi 6 SPM Kecamatan Muara Ancalong",
      kind: "sosialisasi",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Aula Kantor Camat",
      startsAt: local(start),
      endsAt: local(new Date(start.getTime() + 3 * 3600_000)),
      capacity: "40",
      graceMinutes: "15",
    };
    // The first try committed but its answer was lost; the retry posts the same form.
    const first = await call(sesiNew.action, makeRequest("/sesi/baru", { cookie: admin, form: sesiForm }));
    const retry = await call(sesiNew.action, makeRequest("/sesi/baru", { cookie: admin, form: sesiForm }));
    expect(first.status).toBe(302);
    expect(retry.location).toBe(first.location);
    const [{ n: sessions }] = await db
      .select({ n: count() })
      .from(workshops)
      .where(eq(workshops.title, sesiForm.title));
    expect(sessions).toBe(1);

    const posKey = await keyOf(posyanduNew.loader as never, "/posyandu/baru");
    const posForm = { formKey: posKey, name: "Posyandu Kenanga Ulang", desaCode: "64.08.01.2003" };
    const p1 = await call(posyanduNew.action, makeRequest("/posyandu/baru", { cookie: admin, form: posForm }));
    const p2 = await call(posyanduNew.action, makeRequest("/posyandu/baru", { cookie: admin, form: posForm }));
    expect(p2.location).toBe(p1.location);
    const [{ n: pos }] = await db.select({ n: count() }).from(posyandu).where(eq(posyandu.name, posForm.name));
    expect(pos).toBe(1);

    const userKey = await keyOf(userNew.loader as never, "/admin/pengguna/baru");
    const posId = Number(p1.location!.split("/").pop());
    const userForm = {
      formKey: userKey,
      name: "Wulan Ulang",
      phone: "081255501111",
      role: "kader",
      scopeCode: "",
      posyanduId: String(posId),
      spmBidang: "kesehatan",
      password: "kata-sandi-wulan-1",
    };
    const u1 = await call(userNew.action, makeRequest("/admin/pengguna/baru", { cookie: admin, form: userForm }));
    const u2 = await call(userNew.action, makeRequest("/admin/pengguna/baru", { cookie: admin, form: userForm }));
    expect(u1.status).toBe(302);
    expect(u2.location).toBe(u1.location);
  });

  it("a key is good for its own form and person only; a malformed key is refused", async () => {
    const key = await keyOf(sesiNew.loader, "/sesi/baru");
    const other = await sessionCookie((await makeUser({ role: "admin", scopeCode: "64" })).id);
    const posForm = { formKey: key, name: "Posyandu Kunci Lain", desaCode: "64.08.01.2003" };
    const mine = await call(posyanduNew.action, makeRequest("/posyandu/baru", { cookie: admin, form: posForm }));
    expect(mine.status).toBe(302);
    const stolen = await call(
      posyanduNew.action,
      makeRequest("/posyandu/baru", { cookie: other, form: { ...posForm, name: "Posyandu Lain Lagi" } }),
    );
    expect(stolen.status).toBe(400);
    const bad = await call(
      posyanduNew.action,
      makeRequest("/posyandu/baru", { cookie: admin, form: { ...posForm, formKey: "../x" } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.form).toMatch(/Muat ulang/);
  });
});

describe("a kabupaten-wide session seen by a pembina kecamatan", () => {
  it("names only the peserta in the viewer's kecamatan, with a count of the rest", async () => {
    const posA = await makePosyandu({ name: "Posyandu Anggrek", desaCode: "64.08.01.2001" });
    const posB = await makePosyandu({ name: "Posyandu Wahau", desaCode: "64.08.02.2001" });
    const kA = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", posyanduId: posA, name: "Kader Ancalong" });
    const kB = await makeUser({ role: "kader", scopeCode: "64.08.02.2001", posyanduId: posB, name: "Kader Wahau" });
    const kab = await makeUser({ role: "pembina_kabupaten", scopeCode: "64.08" });
    const kabUser = (await getUser(makeRequest("/", { cookie: await sessionCookie(kab.id) })))!;
    const start = new Date(Date.now() + 3 * 86_400_000);
    const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
    const r = await createWorkshop(
      kabUser,
      workshopFormSchema.parse({
        title: "Pelatihan Kabupaten",
        kind: "pelatihan",
        audience: "kader",
        regionCode: "64.08",
        venue: "Aula Kabupaten",
        startsAt: local(start),
        endsAt: local(new Date(start.getTime() + 3600_000)),
        capacity: "30",
        graceMinutes: "15",
        moduleSlugs: ["spm-kesehatan"],
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await transitionWorkshop(kabUser, r.id, "published");
    await enrolUsers(kabUser, r.id, [kA.id, kB.id]);
    const pk = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" });
    const res = await call(
      peserta.loader,
      makeRequest(`/sesi/${r.id}/peserta`, { cookie: await sessionCookie(pk.id) }),
      { id: String(r.id) },
    );
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.data);
    expect(text).toContain("Kader Ancalong");
    expect(text).not.toContain("Kader Wahau");
    expect(text).not.toContain("Posyandu Wahau");
    expect(res.data.othersHidden).toBe(1);
    expect(res.data.enrolledTotal).toBe(2);

    // Links on the session page and the calendar come from APP_URL, never from a forged Host.
    const forged = new Request(`http://evil.example/sesi/${r.id}`, {
      headers: { Cookie: await sessionCookie(pk.id), Host: "evil.example" },
    });
    const page = await call(sesi.loader, forged, { id: String(r.id) });
    expect(JSON.stringify(page.data)).not.toContain("evil.example");
    expect(decodeURIComponent(JSON.stringify(page.data))).toContain("http://localhost:3000/sesi/");
    const cal = await call(
      kalender.loader,
      new Request("http://evil.example/kalender", { headers: { Cookie: await sessionCookie(pk.id) } }),
    );
    expect(JSON.stringify(cal.data)).not.toContain("evil.example");
  });
});
