import { beforeAll, describe, expect, it } from "vitest";
import { count, eq, like } from "drizzle-orm";
import { db } from "~/db.server";
import { auditLog, rateLimits, sessions, users } from "~/db/schema";
import { getUser, lucia, LOGIN_LIMITS, SESSION_COOKIE } from "~/auth.server";
import { makeUser } from "~/demo/factories.server";
import { action as loginAction, loader as loginLoader } from "~/routes/masuk";
import { action as logoutAction } from "~/routes/keluar";
import { action as akunAction, loader as akunLoader } from "~/routes/akun";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const PASSWORD = "rahasia-kader-1";
let kader: { id: string; phone: string };

async function sessionCount(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(sessions);
  return row.n;
}

function cookieValue(setCookie: string | null): string {
  const m = /ap_sesi=([^;]*)/.exec(setCookie ?? "");
  return m ? m[1] : "";
}

beforeAll(async () => {
  await setupDatabase();
  kader = await makeUser({ name: "Sari", role: "kader", scopeCode: "64.08.01.2001", password: PASSWORD });
});

async function postLogin(form: Record<string, string>, ip = "198.51.100.1") {
  return call(loginAction, makeRequest("/masuk", { form }), {}, ip);
}

describe("login", () => {
  it("signs in by phone in any common format and sets a safe session cookie", async () => {
    const local = "0" + kader.phone.slice(2);
    const res = await postLogin({ login: local, password: PASSWORD, redirectTo: "/modul" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/modul");
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toContain(`${SESSION_COOKIE}=`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // secure only in production
    const user = await getUser(makeRequest("/", { cookie: `${SESSION_COOKIE}=${cookieValue(setCookie)}` }));
    expect(user?.id).toBe(kader.id);

    const plus = await postLogin({ login: "+" + kader.phone, password: PASSWORD });
    expect(plus.status).toBe(302);
  });

  it("signs in by email", async () => {
    const u = await makeUser({ role: "dpmd", scopeCode: "64.02", email: "dpmd@kukar.go.id", password: PASSWORD });
    const res = await postLogin({ login: "DPMD@Kukar.go.id", password: PASSWORD });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    expect(u.id).toBeTruthy();
  });

  it("never redirects off-site", async () => {
    const res = await postLogin({ login: kader.phone, password: PASSWORD, redirectTo: "//evil.example/x" });
    expect(res.location).toBe("/");
  });

  it("gives the same message for a wrong password and an unknown phone, and stores no session", async () => {
    const before = await sessionCount();
    const wrong = await postLogin({ login: kader.phone, password: "salah-sekali" }, "198.51.100.2");
    const unknown = await postLogin({ login: "081299998888", password: "salah-sekali" }, "198.51.100.2");
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.data.formError).toBe("Nomor HP/email atau kata sandi salah.");
    expect(unknown.data.formError).toBe(wrong.data.formError);
    expect(JSON.stringify(wrong.data)).not.toContain("salah-sekali"); // password never echoed
    expect(await sessionCount()).toBe(before);
  });

  it("explains a malformed phone and empty fields in Indonesian", async () => {
    const bad = await postLogin({ login: "12345", password: "x" });
    expect(bad.status).toBe(400);
    expect(bad.data.errors.login).toMatch(/Nomor HP tidak valid/);
    const empty = await postLogin({ login: "", password: "" });
    expect(empty.status).toBe(400);
    expect(empty.data.errors.login).toBe("Isi nomor HP atau email.");
    expect(empty.data.errors.password).toBe("Isi kata sandi.");
    const missing = await postLogin({});
    expect(missing.status).toBe(400);
    expect(missing.data.errors.login).toBeTruthy();
  });

  it("refuses a deactivated account with the right password, in the words of a wrong one", async () => {
    const u = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", password: PASSWORD, active: false });
    const res = await postLogin({ login: u.phone, password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.data.formError).toBe("Nomor HP/email atau kata sandi salah.");
  });

  it("holds an account after repeated failures (429), even for the right password", async () => {
    const u = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", password: PASSWORD });
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      const r = await postLogin({ login: u.phone, password: "bukan-ini" }, `192.0.2.${i}`);
      expect(r.status).toBe(400);
    }
    const held = await postLogin({ login: u.phone, password: PASSWORD }, "192.0.2.99");
    expect(held.status).toBe(429);
    expect(held.data.formError).toMatch(
      /Terlalu banyak percobaan yang salah untuk akun ini\. Coba lagi dalam \d+ menit\./,
    );
    // The window passes: the account opens again.
    await db
      .update(rateLimits)
      .set({ windowStartedAt: new Date(Date.now() - 16 * 60_000) })
      .where(like(rateLimits.key, "login:acct:%"));
    const again = await postLogin({ login: u.phone, password: PASSWORD }, "192.0.2.100");
    expect(again.status).toBe(302);
  });

  it("a venue keeps working past many typos; a sprayer from one address is slowed, never locked", async () => {
    const venue = "203.0.113.200";
    for (let i = 0; i < LOGIN_LIMITS.throttleAfter + 5; i++) {
      expect((await postLogin({ login: kader.phone, password: PASSWORD }, venue)).status).toBe(302);
    }
    // 60 typos from the venue's one address (the old per-address block refused everyone after 50).
    for (let i = 0; i < 60; i++) {
      expect((await postLogin({ login: `08129999${String(1000 + i)}`, password: "x" }, venue)).status).toBe(400);
    }
    expect((await postLogin({ login: kader.phone, password: PASSWORD }, venue)).status).toBe(302);
    // Slowed: a dozen attempts a minute past the threshold, then a wait of seconds.
    let slowed: Awaited<ReturnType<typeof postLogin>> | undefined;
    for (let i = 0; i < LOGIN_LIMITS.throttledPerMinute && !slowed; i++) {
      const r = await postLogin({ login: `08129998${String(1000 + i)}`, password: "x" }, venue);
      if (r.status === 429) slowed = r;
    }
    expect(slowed?.data.formError).toMatch(/perangkat\/jaringan ini: tunggu \d+ detik/);
    await db
      .update(rateLimits)
      .set({ windowStartedAt: new Date(Date.now() - 61_000) })
      .where(like(rateLimits.key, "login:ipslow:%"));
    expect((await postLogin({ login: kader.phone, password: PASSWORD }, venue)).status).toBe(302);
    // Never stopped: however many failures, the address is only slowed (the throttle bounds
    // it to 50 + 12 a minute, 230 failures per window).
    await db.update(rateLimits).set({ count: 10_000 }).where(like(rateLimits.key, "login:ip:%"));
    await db
      .update(rateLimits)
      .set({ windowStartedAt: new Date(Date.now() - 61_000) })
      .where(like(rateLimits.key, "login:ipslow:%"));
    expect((await postLogin({ login: kader.phone, password: PASSWORD }, venue)).status).toBe(302);
    // Another address is not affected.
    expect((await postLogin({ login: kader.phone, password: PASSWORD }, "203.0.113.251")).status).toBe(302);
  });

  it("check-and-count is atomic: 40 parallel wrong passwords get at most 5 evaluations", async () => {
    const u = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postLogin({ login: u.phone, password: `salah-${i}` }, `198.51.100.${i}`)),
    );
    const evaluated = results.filter((r) => r.status === 400).length;
    expect(evaluated).toBeLessThanOrEqual(LOGIN_LIMITS.perAccount);
    expect(results.filter((r) => r.status === 429).length).toBe(40 - evaluated);
  });

  it("sends a signed-in user away from the login page", async () => {
    const res = await call(loginLoader, makeRequest("/masuk", { cookie: await sessionCookie(kader.id) }));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
  });
});

describe("sessions", () => {
  it("logout ends the session in the database", async () => {
    const cookie = await sessionCookie(kader.id);
    expect(await getUser(makeRequest("/", { cookie }))).not.toBeNull();
    const res = await call(logoutAction, makeRequest("/keluar", { method: "POST", cookie }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/ap_sesi=;/);
    expect(await getUser(makeRequest("/", { cookie }))).toBeNull();
  });

  it("an expired session is not accepted", async () => {
    const cookie = await sessionCookie(kader.id);
    const id = cookie.split("=")[1];
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, id));
    expect(await getUser(makeRequest("/", { cookie }))).toBeNull();
  });

  it("a session ends at its absolute lifetime by role, however active; the cookie's Max-Age says so", async () => {
    const admin = await makeUser({ role: "admin", scopeCode: "64", password: PASSWORD });
    const res = await postLogin({ login: admin.phone, password: PASSWORD }, "198.51.100.77");
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=43200;/);
    expect(res.headers.get("Set-Cookie")).not.toMatch(/Max-Age=34560000/);
    const kaderLogin = await postLogin({ login: kader.phone, password: PASSWORD }, "198.51.100.77");
    expect(kaderLogin.headers.get("Set-Cookie")).toMatch(/Max-Age=2592000;/);
    const cookie = `${SESSION_COOKIE}=${cookieValue(res.headers.get("Set-Cookie"))}`;
    const id = cookie.split("=")[1];
    expect(await getUser(makeRequest("/", { cookie }))).not.toBeNull();
    // Used a minute ago (expiry fresh), but created 13 hours ago: over.
    await db
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 13 * 3600_000), expiresAt: new Date(Date.now() + 14 * 86_400_000) })
      .where(eq(sessions.id, id));
    expect(await getUser(makeRequest("/", { cookie }))).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
    // A kader's session of 13 hours is fine.
    const kc = await sessionCookie(kader.id);
    await db
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 13 * 3600_000) })
      .where(eq(sessions.id, kc.split("=")[1]));
    expect(await getUser(makeRequest("/", { cookie: kc }))).not.toBeNull();
  });

  it("after login, redirectTo goes only to paths of this site", async () => {
    for (const [to, expected] of [
      ["/\t/evil.example", "/"],
      ["/\t/\tevil.example", "/"],
      ["/%09/evil.example", "/%09/evil.example"],
      ["//evil.example", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example", "/"],
      ["/sesi/12?tab=peserta", "/sesi/12?tab=peserta"],
    ] as const) {
      const res = await postLogin({ login: kader.phone, password: PASSWORD, redirectTo: to }, "198.51.100.78");
      expect(res.status, to).toBe(302);
      expect(res.location, to).toBe(expected);
      expect(new URL(res.location!, "http://localhost:3000").origin).toBe("http://localhost:3000");
    }
  });

  it("extends a session that is past half its life (sliding expiry)", async () => {
    const cookie = await sessionCookie(kader.id);
    const id = cookie.split("=")[1];
    const soon = new Date(Date.now() + 2 * 24 * 3600_000);
    await db.update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, id));
    expect(await getUser(makeRequest("/", { cookie }))).not.toBeNull();
    const [row] = await db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.id, id));
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600_000);
  });

  it("a deactivated user's sessions stop working", async () => {
    const u = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", password: PASSWORD });
    const cookie = await sessionCookie(u.id);
    await db.update(users).set({ active: false }).where(eq(users.id, u.id));
    expect(await getUser(makeRequest("/", { cookie }))).toBeNull();
  });
});

describe("password change", () => {
  it("checks the current password, rotates the session and ends the others", async () => {
    const u = await makeUser({ role: "kader", scopeCode: "64.08.01.2001", password: PASSWORD });
    const current = await sessionCookie(u.id);
    const other = await sessionCookie(u.id);

    const wrong = await call(
      akunAction,
      makeRequest("/akun", {
        cookie: current,
        form: { current: "keliru-123", next: "kata-sandi-baru", confirm: "kata-sandi-baru" },
      }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data.errors.current).toBe("Kata sandi saat ini salah.");

    const mismatch = await call(
      akunAction,
      makeRequest("/akun", { cookie: current, form: { current: PASSWORD, next: "kata-sandi-baru", confirm: "lain" } }),
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.data.errors.confirm).toBe("Ulangan kata sandi tidak sama.");

    const short = await call(
      akunAction,
      makeRequest("/akun", { cookie: current, form: { current: PASSWORD, next: "pendek", confirm: "pendek" } }),
    );
    expect(short.data.errors.next).toBe("Kata sandi minimal 8 karakter.");

    const ok = await call(
      akunAction,
      makeRequest("/akun", {
        cookie: current,
        form: { current: PASSWORD, next: "kata-sandi-baru", confirm: "kata-sandi-baru" },
      }),
    );
    // Post/redirect/get carrying the new cookie (before: 200 whose cookie the browser
    // lost when the page's loader, still on the old cookie, redirected to /masuk).
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/akun?sandi=diganti");
    expect(ok.headers.get("Set-Cookie")).toMatch(/Max-Age=2592000/);
    const fresh = `${SESSION_COOKIE}=${cookieValue(ok.headers.get("Set-Cookie"))}`;
    expect(await getUser(makeRequest("/", { cookie: current }))).toBeNull();
    expect(await getUser(makeRequest("/", { cookie: other }))).toBeNull();
    expect((await getUser(makeRequest("/", { cookie: fresh })))?.id).toBe(u.id);
    const page = await call(akunLoader, makeRequest("/akun?sandi=diganti", { cookie: fresh }));
    expect(page.status).toBe(200);
    expect(page.data.changed).toBe(true);

    expect((await postLogin({ login: u.phone, password: PASSWORD }, "198.51.100.9")).status).toBe(400);
    expect((await postLogin({ login: u.phone, password: "kata-sandi-baru" }, "198.51.100.9")).status).toBe(302);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, u.id));
    expect(entry.action).toBe("password.change");
  });

  it("stores argon2id hashes, never the password", async () => {
    const [row] = await db.select({ h: users.passwordHash }).from(users).where(eq(users.id, kader.id));
    expect(row.h).toMatch(/^\$argon2id\$/);
    expect(row.h).not.toContain(PASSWORD);
    expect(lucia()).toBeTruthy();
  });
});
