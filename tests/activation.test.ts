/**
 * First login without email (activation codes), and account administration in scope:
 * printing codes per posyandu, /aktivasi, password reset, deactivate/reactivate, audit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { activationCodes, auditLog, rateLimits, sessions, users } from "~/db/schema";
import { deriveCode, hashCode, newIssueNonce, nonceValid } from "~/features/accounts/activation.server";
import { login, LOGIN_LIMITS } from "~/auth.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { CODE_ALPHABET, codeFromBytes, formatCode, normalizeCode } from "~/features/accounts/activation-code";
import * as kode from "~/routes/posyandu.$id_.kode-aktivasi";
import * as aktivasi from "~/routes/aktivasi";
import * as masuk from "~/routes/masuk";
import * as userDetail from "~/routes/admin.pengguna.$id";
import * as userList from "~/routes/admin.pengguna._index";
import * as auditPage from "~/routes/admin.audit";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const DESA_A = "64.08.01.2001";
const DESA_B = "64.08.02.2001";

let posA: number, posB: number;
let cookie: Record<"pa" | "pb" | "admin" | "kader", string>;
let pa: { id: string; phone: string };
let pending: { id: string; phone: string }[];
let activated: { id: string; phone: string };
let inactive: { id: string; phone: string };

beforeAll(async () => {
  await setupDatabase();
  posA = await makePosyandu({ name: "Posyandu Melati", desaCode: DESA_A });
  posB = await makePosyandu({ name: "Posyandu Wahau", desaCode: DESA_B });
  pending = [
    await makeUser({ name: "Ani Baru", role: "kader", scopeCode: DESA_A, posyanduId: posA, passwordHash: null }),
    await makeUser({ name: "Budi Baru", role: "kader", scopeCode: DESA_A, posyanduId: posA, passwordHash: null }),
  ];
  activated = await makeUser({
    name: "Citra Lama",
    role: "kader",
    scopeCode: DESA_A,
    posyanduId: posA,
    password: "sandi-lama-123",
  });
  inactive = await makeUser({
    name: "Dedi Nonaktif",
    role: "kader",
    scopeCode: DESA_A,
    posyanduId: posA,
    passwordHash: null,
    active: false,
  });
  pa = await makeUser({
    name: "Pembina Ancalong",
    role: "pembina_kecamatan",
    scopeCode: "64.08.01",
    password: "sandi-pembina-1",
  });
  const pb = await makeUser({ name: "Pembina Wahau", role: "pembina_kecamatan", scopeCode: "64.08.02" });
  const admin = await makeUser({ name: "Admin", role: "admin", scopeCode: "64" });
  cookie = {
    pa: await sessionCookie(pa.id),
    pb: await sessionCookie(pb.id),
    admin: await sessionCookie(admin.id),
    kader: await sessionCookie(activated.id),
  };
});

const codePath = (id: number) => `/posyandu/${id}/kode-aktivasi`;

async function printCodes(c: string, id: number, nonce: string) {
  return call(kode.action, makeRequest(codePath(id), { cookie: c, form: { nonce } }), { id: String(id) });
}

async function activate(form: Record<string, string>, ip = "198.51.100.1") {
  return call(aktivasi.action, makeRequest("/aktivasi", { form }), {}, ip);
}

async function codeRow(userId: string) {
  const [row] = await db.select().from(activationCodes).where(eq(activationCodes.userId, userId));
  return row;
}

async function auditCount(action: string, entityId?: string) {
  const [{ n }] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.action, action), entityId ? eq(auditLog.entityId, entityId) : undefined));
  return n;
}

describe("activation codes", () => {
  it("are 8 unambiguous characters, typeable with spaces, dashes and lower case", () => {
    for (const ch of "0O1IL") expect(CODE_ALPHABET).not.toContain(ch);
    const code = codeFromBytes(new Uint8Array(Array.from({ length: 32 }, (_, i) => i * 7)))!;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(formatCode("ABCD2345")).toBe("ABCD-2345");
    expect(normalizeCode(" abcd-2345 ")).toBe("ABCD2345");
    expect(normalizeCode("abcd 2345")).toBe("ABCD2345");
    expect(normalizeCode("ABCD-0123")).toBeNull(); // 0 and 1 are never used
    expect(normalizeCode("ABC")).toBeNull();
    expect(codeFromBytes(new Uint8Array([255, 255, 255]))).toBeNull();
    // Derived codes differ per account and per form, and only the keyed hash is stored.
    expect(deriveCode("u1", "n1")).not.toBe(deriveCode("u2", "n1"));
    expect(deriveCode("u1", "n1")).not.toBe(deriveCode("u1", "n2"));
    expect(deriveCode("u1", "n1")).toBe(deriveCode("u1", "n1"));
    expect(hashCode("u1", "ABCD2345")).toMatch(/^[a-f0-9]{64}$/);
    expect(nonceValid(newIssueNonce())).toBe(true);
    expect(nonceValid(newIssueNonce(Date.now() - 7 * 60 * 60 * 1000))).toBe(false);
    expect(nonceValid("x")).toBe(false);
  });
});

describe("printing codes per posyandu", () => {
  let nonce: string;
  let codes: { userId: string; name: string; phone: string; code: string }[];

  it("the page lists the kader without a password; only pembina in scope may open it", async () => {
    const page = await call(kode.loader, makeRequest(codePath(posA), { cookie: cookie.pa }), { id: String(posA) });
    expect(page.status).toBe(200);
    expect(page.data.pending).toEqual(["Ani Baru", "Budi Baru"]);
    expect(page.data.activated).toBe(1);
    expect(nonceValid(page.data.nonce)).toBe(true);
    nonce = page.data.nonce;
    expect(
      (await call(kode.loader, makeRequest(codePath(posA), { cookie: cookie.pb }), { id: String(posA) })).status,
    ).toBe(403);
    expect(
      (await call(kode.loader, makeRequest(codePath(posA), { cookie: cookie.kader }), { id: String(posA) })).status,
    ).toBe(403);
    expect(
      (await call(kode.loader, makeRequest(codePath(999999), { cookie: cookie.pa }), { id: "999999" })).status,
    ).toBe(404);
    expect((await printCodes(cookie.pb, posA, nonce)).status).toBe(403);
    expect(await codeRow(pending[0].id)).toBeUndefined();
  });

  it("a POST issues one code per pending, active kader; only a hash is stored; expiry 30 days", async () => {
    const res = await printCodes(cookie.pa, posA, nonce);
    expect(res.status).toBe(200);
    codes = res.data.codes;
    expect(codes.map((c) => c.name)).toEqual(["Ani Baru", "Budi Baru"]); // not the activated nor the inactive kader
    expect(codes[0].code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(codes[0].phone).toBe("0" + pending[0].phone.slice(2));
    expect(res.data.url).toBe("http://localhost:3000/aktivasi");
    const row = await codeRow(pending[0].id);
    expect(row.codeHash).toMatch(/^[a-f0-9]{64}$/);
    expect(row.codeHash).not.toContain(codes[0].code.replace("-", ""));
    expect(JSON.stringify(row)).not.toContain(codes[0].code.replace("-", ""));
    const days = (row.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(row.usedAt).toBeNull();
    expect(await codeRow(activated.id)).toBeUndefined();
    expect(await codeRow(inactive.id)).toBeUndefined();
    expect(await auditCount("activation.issue", String(posA))).toBe(1);
  });

  it("is idempotent: the same form posted again gives the same codes and writes nothing", async () => {
    const before = await codeRow(pending[0].id);
    const again = await printCodes(cookie.pa, posA, nonce);
    expect(again.data.codes).toEqual(codes);
    expect(await codeRow(pending[0].id)).toEqual(before);
    expect(await auditCount("activation.issue", String(posA))).toBe(1);
  });

  it("a new visit of the page makes fresh codes; the old ones stop working", async () => {
    const fresh = await printCodes(cookie.pa, posA, newIssueNonce());
    expect(fresh.data.codes[0].code).not.toBe(codes[0].code);
    expect(await auditCount("activation.issue", String(posA))).toBe(2);
    const old = await activate({
      phone: pending[0].phone,
      code: codes[0].code,
      password: "rahasia-ani-1",
      confirm: "rahasia-ani-1",
    });
    expect(old.status).toBe(400);
    expect(old.data.formError).toBe("Nomor HP atau kode aktivasi salah.");
    codes = fresh.data.codes;
  });

  it("a stale or missing form nonce is refused", async () => {
    expect((await printCodes(cookie.pa, posA, newIssueNonce(Date.now() - 7 * 60 * 60 * 1000))).status).toBe(400);
    expect(
      (await call(kode.action, makeRequest(codePath(posA), { cookie: cookie.pa, form: {} }), { id: String(posA) }))
        .status,
    ).toBe(400);
  });

  it("/aktivasi: phone + code + new password twice sets the password, logs in, and the code is spent", async () => {
    const code = codes.find((c) => c.userId === pending[0].id)!.code;
    const mismatch = await activate({
      phone: pending[0].phone,
      code,
      password: "rahasia-ani-1",
      confirm: "rahasia-ani-2",
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.data.errors.confirm).toBe("Ulangan kata sandi tidak sama.");
    const short = await activate({ phone: pending[0].phone, code, password: "pendek", confirm: "pendek" });
    expect(short.data.errors.password).toBe("Kata sandi minimal 8 karakter.");
    const badCode = await activate({
      phone: pending[0].phone,
      code: "ABC",
      password: "rahasia-ani-1",
      confirm: "rahasia-ani-1",
    });
    expect(badCode.data.errors.code).toMatch(/8 huruf\/angka/);
    expect(JSON.stringify(badCode.data)).not.toContain("rahasia-ani-1"); // passwords are never echoed

    // 08… typed with spaces, code in lower case without the dash: the same account and code.
    const phone08 = "0" + pending[0].phone.slice(2, 5) + " " + pending[0].phone.slice(5);
    const ok = await activate({
      phone: phone08,
      code: code.replace("-", "").toLowerCase(),
      password: "rahasia-ani-1",
      confirm: "rahasia-ani-1",
    });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/selamat-datang");
    expect(ok.headers.get("Set-Cookie")).toMatch(/^ap_sesi=/);
    const [u] = await db.select().from(users).where(eq(users.id, pending[0].id));
    expect(u.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await codeRow(pending[0].id)).usedAt).not.toBeNull();
    expect(await auditCount("user.activate", pending[0].id)).toBe(1);
    expect((await login({ login: pending[0].phone, password: "rahasia-ani-1" }, "198.51.100.9")).ok).toBe(true);

    // The same form sent twice (double tap): the person is let in again, nothing else changes.
    const twice = await activate({ phone: phone08, code, password: "rahasia-ani-1", confirm: "rahasia-ani-1" });
    expect(twice.status).toBe(302);
    expect(await auditCount("user.activate", pending[0].id)).toBe(1);
    // The spent code with another password does not work.
    const reuse = await activate({
      phone: pending[0].phone,
      code,
      password: "rahasia-lain-9",
      confirm: "rahasia-lain-9",
    });
    expect(reuse.status).toBe(400);
    expect(reuse.data.formError).toMatch(/sudah dipakai/);
    expect((await login({ login: pending[0].phone, password: "rahasia-lain-9" }, "198.51.100.9")).ok).toBe(false);
    // Once activated, the kader is no longer on the print list.
    const page = await call(kode.loader, makeRequest(codePath(posA), { cookie: cookie.pa }), { id: String(posA) });
    expect(page.data.pending).toEqual(["Budi Baru"]);
  });

  it("an expired code is refused with its own message", async () => {
    const code = codes.find((c) => c.userId === pending[1].id)!.code;
    await db
      .update(activationCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(activationCodes.userId, pending[1].id));
    const res = await activate({
      phone: pending[1].phone,
      code,
      password: "rahasia-budi-1",
      confirm: "rahasia-budi-1",
    });
    expect(res.status).toBe(400);
    expect(res.data.formError).toBe("Kode aktivasi sudah kedaluwarsa. Minta kode baru kepada Tim Pembina Posyandu.");
    const [u] = await db.select().from(users).where(eq(users.id, pending[1].id));
    expect(u.passwordHash).toBeNull();
  });

  it("a deactivated account cannot be activated", async () => {
    const nonce = newIssueNonce();
    await db.update(users).set({ active: true }).where(eq(users.id, inactive.id));
    const res = await printCodes(cookie.pa, posA, nonce);
    const code = res.data.codes.find((c: { userId: string }) => c.userId === inactive.id).code;
    await db.update(users).set({ active: false }).where(eq(users.id, inactive.id));
    const act = await activate({ phone: inactive.phone, code, password: "rahasia-dedi-1", confirm: "rahasia-dedi-1" });
    expect(act.status).toBe(403);
    expect(act.data.formError).toMatch(/dinonaktifkan/);
  });

  it("is rate-limited like login: 5 wrong codes per number, and failures per address", async () => {
    await db.delete(rateLimits);
    const target = await makeUser({
      name: "Eka Target",
      role: "kader",
      scopeCode: DESA_A,
      posyanduId: posA,
      passwordHash: null,
    });
    const res = await printCodes(cookie.pa, posA, newIssueNonce());
    const code = res.data.codes.find((c: { userId: string }) => c.userId === target.id).code;
    for (let i = 0; i < 5; i++) {
      const wrong = await activate(
        { phone: target.phone, code: "ZZZZ-ZZZZ", password: "rahasia-eka-1", confirm: "rahasia-eka-1" },
        `192.0.2.${i}`,
      );
      expect(wrong.status).toBe(400);
    }
    const held = await activate(
      { phone: target.phone, code, password: "rahasia-eka-1", confirm: "rahasia-eka-1" },
      "192.0.2.99",
    );
    expect(held.status).toBe(429);
    expect(held.data.formError).toMatch(/Terlalu banyak percobaan yang salah untuk nomor ini/);
    const [u] = await db.select().from(users).where(eq(users.id, target.id));
    expect(u.passwordHash).toBeNull();

    await db.delete(rateLimits);
    // Successful activations from one address (a training venue) do not count; failures
    // do: past the threshold the address is slowed to a few attempts a minute.
    for (let i = 0; i < LOGIN_LIMITS.throttleAfter + LOGIN_LIMITS.throttledPerMinute; i++) {
      const r = await activate(
        {
          phone: `0812000${String(i).padStart(5, "0")}`,
          code: "ZZZZ-ZZZZ",
          password: "rahasia-eka-1",
          confirm: "rahasia-eka-1",
        },
        "203.0.113.50",
      );
      expect(r.status).toBe(400);
    }
    const ip = await activate(
      { phone: target.phone, code, password: "rahasia-eka-1", confirm: "rahasia-eka-1" },
      "203.0.113.50",
    );
    expect(ip.status).toBe(429);
    expect(ip.data.formError).toMatch(/perangkat\/jaringan ini/);
    const [{ n }] = await db.select({ n: count() }).from(rateLimits);
    expect(n).toBeGreaterThan(0);
    await db.delete(rateLimits);
    expect(
      (
        await activate(
          { phone: target.phone, code, password: "rahasia-eka-1", confirm: "rahasia-eka-1" },
          "203.0.113.51",
        )
      ).status,
    ).toBe(302);
  });

  it("/aktivasi refuses cross-site posts and sends signed-in users home; /masuk links to it", async () => {
    const cross = await call(
      aktivasi.action,
      makeRequest("/aktivasi", { form: { phone: "x" }, origin: "https://jahat.example" }),
    );
    expect(cross.status).toBe(403);
    expect((await call(aktivasi.loader, makeRequest("/aktivasi", { cookie: cookie.kader }))).location).toBe("/");
    expect((await call(aktivasi.loader, makeRequest("/aktivasi"))).status).toBe(200);
    expect(masuk.default.toString()).toContain("/aktivasi");
  });
});

describe("account administration", () => {
  async function post(c: string, id: string, form: Record<string, string>) {
    return call(userDetail.action, makeRequest(`/admin/pengguna/${id}`, { cookie: c, form }), { id });
  }

  it("reset password: old password and sessions end, a new code is shown once, double submit is one reset", async () => {
    const victim = activated;
    const victimSession = await sessionCookie(victim.id);
    const page = await call(userDetail.loader, makeRequest(`/admin/pengguna/${victim.id}`, { cookie: cookie.pa }), {
      id: victim.id,
    });
    expect(page.data.activation).toEqual({ activated: true, pendingUntil: null });
    const nonce = page.data.nonce;
    const res = await post(cookie.pa, victim.id, { intent: "atur-ulang-sandi", nonce });
    expect(res.status).toBe(200);
    const code: string = res.data.reset.code;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [u] = await db.select().from(users).where(eq(users.id, victim.id));
    expect(u.passwordHash).toBeNull();
    const [{ n }] = await db.select({ n: count() }).from(sessions).where(eq(sessions.userId, victim.id));
    expect(n).toBe(0);
    expect(victimSession).toBeTruthy();
    expect((await login({ login: victim.phone, password: "sandi-lama-123" }, "198.51.100.20")).ok).toBe(false);
    expect(await auditCount("password.reset", victim.id)).toBe(1);

    const again = await post(cookie.pa, victim.id, { intent: "atur-ulang-sandi", nonce });
    expect(again.data.reset.code).toBe(code);
    expect(await auditCount("password.reset", victim.id)).toBe(1);

    const after = await call(userDetail.loader, makeRequest(`/admin/pengguna/${victim.id}`, { cookie: cookie.pa }), {
      id: victim.id,
    });
    expect(after.data.activation.activated).toBe(false);
    expect(after.data.activation.pendingUntil).toBeTruthy();
    const list = await call(userList.loader, makeRequest(`/admin/pengguna?q=Citra`, { cookie: cookie.pa }));
    expect(list.data.items[0]).toMatchObject({ name: "Citra Lama", activated: false });

    const act = await activate(
      { phone: victim.phone, code, password: "sandi-baru-456", confirm: "sandi-baru-456" },
      "198.51.100.30",
    );
    expect(act.status).toBe(302);
    expect((await login({ login: victim.phone, password: "sandi-baru-456" }, "198.51.100.20")).ok).toBe(true);
    // Replaying the reset form after the owner used the code does not wipe the new password.
    const replay = await post(cookie.pa, victim.id, { intent: "atur-ulang-sandi", nonce });
    expect(replay.status).toBe(400);
    expect(replay.data.resetError).toMatch(/sudah dipakai/);
    expect((await login({ login: victim.phone, password: "sandi-baru-456" }, "198.51.100.20")).ok).toBe(true);
  });

  it("reset is refused outside the scope, for one's own account and with a stale form", async () => {
    const wahau = await makeUser({
      name: "Kader Wahau",
      role: "kader",
      scopeCode: DESA_B,
      posyanduId: posB,
      password: "sandi-wahau-1",
    });
    expect((await post(cookie.pa, wahau.id, { intent: "atur-ulang-sandi", nonce: newIssueNonce() })).status).toBe(403);
    expect((await post(cookie.pa, pa.id, { intent: "atur-ulang-sandi", nonce: newIssueNonce() })).status).toBe(403);
    const stale = await post(cookie.pa, activated.id, { intent: "atur-ulang-sandi", nonce: "kemarin" });
    expect(stale.status).toBe(400);
    const [u] = await db.select().from(users).where(eq(users.id, wahau.id));
    expect(u.passwordHash).not.toBeNull();
  });

  it("explicit deactivate and reactivate buttons: audited once per real change, sessions end", async () => {
    const k = await makeUser({
      name: "Fitri Tombol",
      role: "kader",
      scopeCode: DESA_A,
      posyanduId: posA,
      password: "sandi-fitri-1",
    });
    await sessionCookie(k.id);
    expect((await post(cookie.pa, k.id, { intent: "nonaktifkan" })).status).toBe(302);
    expect((await post(cookie.pa, k.id, { intent: "nonaktifkan" })).status).toBe(302);
    const [u] = await db.select().from(users).where(eq(users.id, k.id));
    expect(u.active).toBe(false);
    const [{ n }] = await db.select({ n: count() }).from(sessions).where(eq(sessions.userId, k.id));
    expect(n).toBe(0);
    expect(await auditCount("user.deactivate", k.id)).toBe(1);
    expect((await login({ login: k.phone, password: "sandi-fitri-1" }, "198.51.100.40")).ok).toBe(false);
    expect((await post(cookie.pa, k.id, { intent: "aktifkan" })).status).toBe(302);
    expect(await auditCount("user.reactivate", k.id)).toBe(1);
    expect((await login({ login: k.phone, password: "sandi-fitri-1" }, "198.51.100.40")).ok).toBe(true);
    expect((await post(cookie.pb, k.id, { intent: "nonaktifkan" })).status).toBe(403);
    expect((await post(cookie.pa, pa.id, { intent: "nonaktifkan" })).status).toBe(403);
  });

  it("the audit page names every new action", async () => {
    const res = await call(auditPage.loader, makeRequest("/admin/audit?halaman=1", { cookie: cookie.admin }));
    const labels = new Map<string, string>(
      res.data.items.map((i: { action: string; label: string }) => [i.action, i.label]),
    );
    expect(labels.get("activation.issue")).toBe("mencetak kode aktivasi untuk");
    expect(labels.get("password.reset")).toBe("mengatur ulang kata sandi");
    expect(labels.get("user.activate")).toBe("mengaktifkan akun dengan kode aktivasi:");
    expect(labels.get("user.deactivate")).toBe("menonaktifkan akun");
    expect(labels.get("user.reactivate")).toBe("mengaktifkan kembali akun");
    const issue = res.data.items.find((i: { action: string }) => i.action === "activation.issue");
    expect(issue.summary).toMatch(/^\d+ kader$/);
    expect(issue.entityName).toBe("Posyandu Melati");
  });
});
