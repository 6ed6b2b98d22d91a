/**
 * Region scoping: a pembina of one kecamatan never sees or changes another's users or
 * posyandu, by URL or by form post. Each route that reads or writes is exercised.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { auditLog, posyandu, sessions, users } from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import * as home from "~/routes/_index";
import * as posyanduList from "~/routes/posyandu._index";
import * as posyanduNew from "~/routes/posyandu.baru";
import * as posyanduDetail from "~/routes/posyandu.$id";
import * as userList from "~/routes/admin.pengguna._index";
import * as userNew from "~/routes/admin.pengguna.baru";
import * as userDetail from "~/routes/admin.pengguna.$id";
import * as audit from "~/routes/admin.audit";
import * as wilayah from "~/routes/admin.wilayah";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const DESA_A = "64.08.01.2001"; // Senyiur, Muara Ancalong
const DESA_A2 = "64.08.01.2002";
const DESA_B = "64.08.02.2001"; // Jak Luay, Muara Wahau

let posA: number, posB: number;
let kaderA: { id: string; phone: string }, kaderB: { id: string; phone: string };
let cookie: Record<"pa" | "pb" | "kab" | "dpmdKukar" | "admin" | "kader", string>;

beforeAll(async () => {
  await setupDatabase();
  posA = await makePosyandu({ name: "Posyandu Melati A", desaCode: DESA_A });
  posB = await makePosyandu({ name: "Posyandu Mawar B", desaCode: DESA_B });
  kaderA = await makeUser({ name: "Kader Ancalong", role: "kader", scopeCode: DESA_A, posyanduId: posA });
  kaderB = await makeUser({ name: "Kader Wahau", role: "kader", scopeCode: DESA_B, posyanduId: posB });
  const pa = await makeUser({ name: "Pembina Ancalong", role: "pembina_kecamatan", scopeCode: "64.08.01" });
  const pb = await makeUser({ name: "Pembina Wahau", role: "pembina_kecamatan", scopeCode: "64.08.02" });
  const kab = await makeUser({ name: "Pembina Kutim", role: "pembina_kabupaten", scopeCode: "64.08" });
  const dpmd = await makeUser({ name: "DPMD Kukar", role: "dpmd", scopeCode: "64.02" });
  const admin = await makeUser({ name: "Admin", role: "admin", scopeCode: "64" });
  cookie = {
    pa: await sessionCookie(pa.id),
    pb: await sessionCookie(pb.id),
    kab: await sessionCookie(kab.id),
    dpmdKukar: await sessionCookie(dpmd.id),
    admin: await sessionCookie(admin.id),
    kader: await sessionCookie(kaderA.id),
  };
});

async function posyanduRow(id: number) {
  const [row] = await db.select().from(posyandu).where(eq(posyandu.id, id));
  return row;
}
async function userRow(id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

describe("guards", () => {
  it("sends anonymous visitors to /masuk with a way back", async () => {
    const res = await call(posyanduList.loader, makeRequest("/posyandu?q=x"));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/masuk?redirectTo=%2Fposyandu%3Fq%3Dx");
    const root = await call(home.loader, makeRequest("/"));
    expect(root.location).toBe("/masuk");
  });

  it("keeps kader out of roster and admin pages", async () => {
    for (const [fn, path] of [
      [posyanduList.loader, "/posyandu"],
      [userList.loader, "/admin/pengguna"],
      [audit.loader, "/admin/audit"],
      [wilayah.loader, "/admin/wilayah"],
      [posyanduNew.loader, "/posyandu/baru"],
    ] as const) {
      expect((await call(fn, makeRequest(path, { cookie: cookie.kader }))).status, path).toBe(403);
    }
    expect(
      (
        await call(posyanduDetail.loader, makeRequest(`/posyandu/${posA}`, { cookie: cookie.kader }), {
          id: String(posA),
        })
      ).status,
    ).toBe(403);
  });

  it("shows the kader home and the area home by role", async () => {
    const k = await call(home.loader, makeRequest("/", { cookie: cookie.kader }));
    expect(k.data.kind).toBe("kader");
    expect(k.data.posyandu).toBe("Posyandu Melati A");
    const p = await call(home.loader, makeRequest("/", { cookie: cookie.pa }));
    expect(p.data.kind).toBe("area");
    expect(p.data.region.name).toBe("Muara Ancalong");
    expect(p.data.posyandu).toBe(1);
    expect(p.data.kader).toBe(1);
    expect(p.data.children.map((c: { code: string }) => c.code)).toContain(DESA_A);
    expect(p.data.children.every((c: { code: string }) => c.code.startsWith("64.08.01."))).toBe(true);
  });

  it("only admin imports regions; only DPMD and admin read the audit log", async () => {
    for (const c of [cookie.pa, cookie.kab, cookie.dpmdKukar]) {
      expect((await call(wilayah.loader, makeRequest("/admin/wilayah", { cookie: c }))).status).toBe(403);
    }
    expect((await call(wilayah.loader, makeRequest("/admin/wilayah", { cookie: cookie.admin }))).status).toBe(200);
    expect((await call(audit.loader, makeRequest("/admin/audit", { cookie: cookie.pa }))).status).toBe(403);
    expect((await call(audit.loader, makeRequest("/admin/audit", { cookie: cookie.dpmdKukar }))).status).toBe(200);
  });
});

describe("posyandu routes across kecamatan", () => {
  it("lists only posyandu inside the scope", async () => {
    const res = await call(posyanduList.loader, makeRequest("/posyandu", { cookie: cookie.pa }));
    expect(res.data.items.map((p: { id: number }) => p.id)).toEqual([posA]);
    const kab = await call(posyanduList.loader, makeRequest("/posyandu", { cookie: cookie.kab }));
    expect(kab.data.total).toBe(2);
    const dpmd = await call(posyanduList.loader, makeRequest("/posyandu", { cookie: cookie.dpmdKukar }));
    expect(dpmd.data.total).toBe(0);
  });

  it("refuses a region filter outside the scope and ignores malformed query values", async () => {
    expect(
      (await call(posyanduList.loader, makeRequest("/posyandu?wilayah=64.08.02", { cookie: cookie.pa }))).status,
    ).toBe(403);
    const junk = await call(
      posyanduList.loader,
      makeRequest("/posyandu?wilayah=64'%20or%201=1--&halaman=-3&q=%25", { cookie: cookie.pa }),
    );
    expect(junk.status).toBe(200);
    expect(junk.data.page).toBe(1);
    expect(junk.data.total).toBe(0); // "%" is searched literally
  });

  it("403 on another kecamatan's posyandu by URL; 404 on unknown or malformed ids", async () => {
    expect(
      (await call(posyanduDetail.loader, makeRequest(`/posyandu/${posB}`, { cookie: cookie.pa }), { id: String(posB) }))
        .status,
    ).toBe(403);
    expect(
      (await call(posyanduDetail.loader, makeRequest(`/posyandu/${posA}`, { cookie: cookie.pa }), { id: String(posA) }))
        .status,
    ).toBe(200);
    expect(
      (await call(posyanduDetail.loader, makeRequest(`/posyandu/999999`, { cookie: cookie.pa }), { id: "999999" }))
        .status,
    ).toBe(404);
    expect(
      (await call(posyanduDetail.loader, makeRequest(`/posyandu/abc`, { cookie: cookie.pa }), { id: "1;drop" })).status,
    ).toBe(404);
  });

  it("403 on a form post to another kecamatan's posyandu; nothing changes", async () => {
    const before = await posyanduRow(posB);
    const res = await call(
      posyanduDetail.action,
      makeRequest(`/posyandu/${posB}`, { cookie: cookie.pa, form: { name: "Diambil alih", desaCode: DESA_A } }),
      { id: String(posB) },
    );
    expect(res.status).toBe(403);
    expect(await posyanduRow(posB)).toEqual(before);
  });

  it("403 on moving an own posyandu into another kecamatan", async () => {
    const before = await posyanduRow(posA);
    const res = await call(
      posyanduDetail.action,
      makeRequest(`/posyandu/${posA}`, { cookie: cookie.pa, form: { name: before.name, desaCode: DESA_B } }),
      { id: String(posA) },
    );
    expect(res.status).toBe(403);
    expect(await posyanduRow(posA)).toEqual(before);
  });

  it("403 on creating a posyandu in another kecamatan; nothing stored", async () => {
    const [{ n: before }] = await db.select({ n: count() }).from(posyandu);
    const res = await call(
      posyanduNew.action,
      makeRequest("/posyandu/baru", { cookie: cookie.pa, form: { name: "Posyandu Liar", desaCode: DESA_B } }),
    );
    expect(res.status).toBe(403);
    const [{ n: after }] = await db.select({ n: count() }).from(posyandu);
    expect(after).toBe(before);
  });

  it("validates the posyandu form in Indonesian and creates, edits and audits within scope", async () => {
    const bad = await call(
      posyanduNew.action,
      makeRequest("/posyandu/baru", { cookie: cookie.pa, form: { name: "X", desaCode: "64.08.01" } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.name).toBe("Nama posyandu minimal 3 karakter.");
    expect(bad.data.errors.desaCode).toBe("Pilih desa/kelurahan yang valid.");

    const ok = await call(
      posyanduNew.action,
      makeRequest("/posyandu/baru", {
        cookie: cookie.pa,
        form: { name: "Posyandu Kenanga", desaCode: DESA_A2, registrationNo: "6408012002001" },
      }),
    );
    expect(ok.status).toBe(302);
    const id = Number(ok.location!.split("/").pop());
    expect((await posyanduRow(id)).name).toBe("Posyandu Kenanga");

    const dupReg = await call(
      posyanduNew.action,
      makeRequest("/posyandu/baru", {
        cookie: cookie.pa,
        form: { name: "Posyandu Kembar", desaCode: DESA_A2, registrationNo: "6408012002001" },
      }),
    );
    expect(dupReg.status).toBe(400);
    expect(dupReg.data.errors.registrationNo).toMatch(/sudah dipakai/);

    const edit = await call(
      posyanduDetail.action,
      makeRequest(`/posyandu/${id}`, {
        cookie: cookie.pa,
        form: { name: "Posyandu Kenanga Indah", desaCode: DESA_A2, active: "off" },
      }),
      { id: String(id) },
    );
    expect(edit.status).toBe(302);
    const row = await posyanduRow(id);
    expect(row.name).toBe("Posyandu Kenanga Indah");
    expect(row.active).toBe(false);
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "posyandu"), eq(auditLog.entityId, String(id))));
    expect(entries.map((e) => e.action).sort()).toEqual(["posyandu.create", "posyandu.update"]);
  });
});

describe("user routes across kecamatan", () => {
  it("lists only users inside the scope and searches by name or phone", async () => {
    const res = await call(userList.loader, makeRequest("/admin/pengguna", { cookie: cookie.pa }));
    const ids = res.data.items.map((u: { id: string }) => u.id);
    expect(ids).toContain(kaderA.id);
    expect(ids).not.toContain(kaderB.id);
    const byPhone = await call(
      userList.loader,
      makeRequest(`/admin/pengguna?q=0${kaderB.phone.slice(2)}`, { cookie: cookie.pa }),
    );
    expect(byPhone.data.total).toBe(0);
    const byPhoneKab = await call(
      userList.loader,
      makeRequest(`/admin/pengguna?q=0${kaderB.phone.slice(2)}`, { cookie: cookie.kab }),
    );
    expect(byPhoneKab.data.items.map((u: { id: string }) => u.id)).toEqual([kaderB.id]);
  });

  it("403 on another kecamatan's user by URL", async () => {
    expect(
      (
        await call(userDetail.loader, makeRequest(`/admin/pengguna/${kaderB.id}`, { cookie: cookie.pa }), {
          id: kaderB.id,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(userDetail.loader, makeRequest(`/admin/pengguna/${kaderA.id}`, { cookie: cookie.pa }), {
          id: kaderA.id,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(userDetail.loader, makeRequest(`/admin/pengguna/zzzzzzzzzzzzzzzz`, { cookie: cookie.pa }), {
          id: "zzzzzzzzzzzzzzzz",
        })
      ).status,
    ).toBe(404);
  });

  it("403 on a form post to another kecamatan's user; nothing changes", async () => {
    const before = await userRow(kaderB.id);
    const res = await call(
      userDetail.action,
      makeRequest(`/admin/pengguna/${kaderB.id}`, {
        cookie: cookie.pa,
        form: { name: "Diubah", role: "kader", posyanduId: String(posA), spmBidang: "sosial", active: "off" },
      }),
      { id: kaderB.id },
    );
    expect(res.status).toBe(403);
    expect(await userRow(kaderB.id)).toEqual(before);
  });

  it("403 on moving an own kader to another kecamatan's posyandu", async () => {
    const before = await userRow(kaderA.id);
    const res = await call(
      userDetail.action,
      makeRequest(`/admin/pengguna/${kaderA.id}`, {
        cookie: cookie.pa,
        form: { name: before.name, role: "kader", posyanduId: String(posB), spmBidang: "sosial" },
      }),
      { id: kaderA.id },
    );
    expect(res.status).toBe(403);
    expect(await userRow(kaderA.id)).toEqual(before);
  });

  it("403 on creating accounts outside the scope or above one's role", async () => {
    const [{ n: before }] = await db.select({ n: count() }).from(users);
    const attempts: { cookie: string; form: Record<string, string> }[] = [
      {
        cookie: cookie.pa,
        form: {
          name: "Kader Luar",
          phone: "081377770001",
          role: "kader",
          posyanduId: String(posB),
          spmBidang: "kesehatan",
          password: "sandi-awal-1",
        },
      },
      {
        cookie: cookie.pa,
        form: {
          name: "Pembina Luar",
          phone: "081377770002",
          role: "pembina_desa",
          scopeCode: DESA_B,
          password: "sandi-awal-1",
        },
      },
      {
        cookie: cookie.pa,
        form: {
          name: "Rekan",
          phone: "081377770003",
          role: "pembina_kecamatan",
          scopeCode: "64.08.01",
          password: "sandi-awal-1",
        },
      },
      {
        cookie: cookie.kab,
        form: { name: "DPMD palsu", phone: "081377770004", role: "dpmd", scopeCode: "64.08", password: "sandi-awal-1" },
      },
      {
        cookie: cookie.dpmdKukar,
        form: { name: "Admin palsu", phone: "081377770005", role: "admin", scopeCode: "64", password: "sandi-awal-1" },
      },
      {
        cookie: cookie.dpmdKukar,
        form: {
          name: "Pembina Kutim",
          phone: "081377770006",
          role: "pembina_kabupaten",
          scopeCode: "64.08",
          password: "sandi-awal-1",
        },
      },
    ];
    for (const a of attempts) {
      const res = await call(userNew.action, makeRequest("/admin/pengguna/baru", a));
      expect(res.status, a.form.name).toBe(403);
    }
    const [{ n: after }] = await db.select({ n: count() }).from(users);
    expect(after).toBe(before);
  });

  it("offers only assignable roles and in-scope regions and posyandu in the form", async () => {
    const res = await call(userNew.loader, makeRequest("/admin/pengguna/baru", { cookie: cookie.pa }));
    expect(res.data.options.roles).toEqual(["kader", "pembina_desa"]);
    expect(res.data.options.regions.every((r: { code: string }) => r.code.startsWith("64.08.01"))).toBe(true);
    expect(res.data.options.posyandu.map((p: { id: number }) => p.id)).toContain(posA);
    expect(res.data.options.posyandu.map((p: { id: number }) => p.id)).not.toContain(posB);
  });

  it("validates the account form in Indonesian and never echoes the password", async () => {
    const res = await call(
      userNew.action,
      makeRequest("/admin/pengguna/baru", {
        cookie: cookie.pa,
        form: { name: "", phone: "0812", role: "kader", password: "abc", email: "bukan-email" },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.data.errors).toMatchObject({
      name: "Nama minimal 2 karakter.",
      phone: "Nomor HP tidak valid. Contoh: 0812 3456 7890.",
      password: "Kata sandi minimal 8 karakter.",
      email: "Email tidak valid.",
    });
    expect(res.data.values.password).toBeUndefined();
    const wrongLevel = await call(
      userNew.action,
      makeRequest("/admin/pengguna/baru", {
        cookie: cookie.pa,
        form: {
          name: "Bu Desa",
          phone: "081377771111",
          role: "pembina_desa",
          scopeCode: "64.08.01",
          password: "sandi-awal-1",
        },
      }),
    );
    expect(wrongLevel.status).toBe(400);
    expect(wrongLevel.data.errors.scopeCode).toBe("Tim Pembina Desa harus bertugas di tingkat desa/kelurahan.");
    const noBidang = await call(
      userNew.action,
      makeRequest("/admin/pengguna/baru", {
        cookie: cookie.pa,
        form: {
          name: "Kader Baru",
          phone: "081377771112",
          role: "kader",
          posyanduId: String(posA),
          password: "sandi-awal-1",
        },
      }),
    );
    expect(noBidang.data.errors.spmBidang).toBe("Pilih bidang SPM yang dilayani kader.");
  });

  it("creates a kader within scope once, even when the form is sent twice", async () => {
    const form = {
      name: "Kader Senyiur",
      phone: "0813-7777-2222",
      role: "kader",
      posyanduId: String(posA),
      spmBidang: "pendidikan",
      password: "sandi-awal-1",
    };
    const first = await call(userNew.action, makeRequest("/admin/pengguna/baru", { cookie: cookie.pa, form }));
    expect(first.status).toBe(302);
    const second = await call(userNew.action, makeRequest("/admin/pengguna/baru", { cookie: cookie.pa, form }));
    expect(second.status).toBe(400);
    expect(second.data.errors.phone).toBe("Nomor HP ini sudah terdaftar.");
    const rows = await db.select().from(users).where(eq(users.phone, "6281377772222"));
    expect(rows).toHaveLength(1);
    expect(rows[0].scopeCode).toBe(DESA_A);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, rows[0].id), eq(auditLog.action, "user.create")));
    expect(entry.regionCode).toBe(DESA_A);
  });

  it("deactivates a kader in scope: audited, sessions ended", async () => {
    const k = await makeUser({ name: "Kader Pindah", role: "kader", scopeCode: DESA_A, posyanduId: posA });
    await sessionCookie(k.id);
    const res = await call(
      userDetail.action,
      makeRequest(`/admin/pengguna/${k.id}`, {
        cookie: cookie.pa,
        form: { name: "Kader Pindah", role: "kader", posyanduId: String(posA), spmBidang: "sosial", active: "off" },
      }),
      { id: k.id },
    );
    expect(res.status).toBe(302);
    expect((await userRow(k.id)).active).toBe(false);
    const [{ n }] = await db.select({ n: count() }).from(sessions).where(eq(sessions.userId, k.id));
    expect(n).toBe(0);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, k.id), eq(auditLog.action, "user.deactivate")));
    expect(entry.actorId).toBeTruthy();
    expect((entry.detail as { before: { active: boolean } }).before.active).toBe(true);
  });

  it("the audit page shows only entries of the DPMD's own kabupaten", async () => {
    const kab = await call(audit.loader, makeRequest("/admin/audit", { cookie: cookie.dpmdKukar }));
    expect(kab.data.items).toHaveLength(0); // everything above happened in Kutai Timur
    const adminView = await call(audit.loader, makeRequest("/admin/audit", { cookie: cookie.admin }));
    expect(adminView.data.total).toBeGreaterThan(0);
  });

  it("a user cannot change their own role or scope through the admin page", async () => {
    const [pa] = await db.select().from(users).where(eq(users.name, "Pembina Ancalong"));
    const self = await call(
      userDetail.action,
      makeRequest(`/admin/pengguna/${pa.id}`, {
        cookie: cookie.pa,
        form: { name: "Pembina Ancalong", role: "pembina_kecamatan", scopeCode: "64.08.02" },
      }),
      { id: pa.id },
    );
    expect(self.status).toBe(403);
    expect((await userRow(pa.id)).scopeCode).toBe("64.08.01");
    // The kabupaten pembina above may change that account.
    const byKab = await call(
      userDetail.action,
      makeRequest(`/admin/pengguna/${pa.id}`, {
        cookie: cookie.kab,
        form: { name: "Pembina Ancalong", role: "pembina_kecamatan", scopeCode: "64.08.02" },
      }),
      { id: pa.id },
    );
    expect(byKab.status).toBe(302);
    expect((await userRow(pa.id)).scopeCode).toBe("64.08.02");
  });
});
