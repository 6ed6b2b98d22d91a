/**
 * Login limits as an attacker meets them (issue 24): the per-address limit counts before
 * argon2 runs, a flood of wrong passwords from a shared address cannot keep out kader whose
 * phone has signed in before (device cookie), a stranger's guesses do not lock the owner
 * out of her own phone or out of an activation code from her pembina, and a deactivated
 * account answers exactly like a wrong password.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { like } from "drizzle-orm";
import { db } from "~/db.server";
import { rateLimits } from "~/db/schema";
import { LOGIN_LIMITS, SESSION_COOKIE } from "~/auth.server";
import { newIssueNonce } from "~/features/accounts/activation.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { action as loginAction } from "~/routes/masuk";
import { action as aktivasiAction } from "~/routes/aktivasi";
import { action as userAction } from "~/routes/admin.pengguna.$id";
import { call, makeRequest, sessionCookie, setupDatabase, type RouteResult } from "./helpers";

const PASSWORD = "rahasia-kader-1";
const DESA = "64.08.01.2001";
const MAX_EVALUATED = LOGIN_LIMITS.throttleAfter + LOGIN_LIMITS.throttledPerMinute;

/**
 * A browser's cookies without the session (as after "Keluar"): what it sends at its next
 * login. Empty for a browser that never signed in.
 */
class Browser {
  private cookies = new Map<string, string>();
  keep(res: RouteResult): RouteResult {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      if (name !== SESSION_COOKIE) this.cookies.set(name, pair.slice(eq + 1));
    }
    return res;
  }
  get header(): string | undefined {
    const all = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return all || undefined;
  }
}

async function postLogin(login: string, password: string, ip: string, browser?: Browser): Promise<RouteResult> {
  const res = await call(
    loginAction,
    makeRequest("/masuk", { form: { login, password }, cookie: browser?.header }),
    {},
    ip,
  );
  return browser ? browser.keep(res) : res;
}

let unknownSeq = 0;
/** A phone number that belongs to no account (a password sprayer's list). */
function unknownPhone(): string {
  unknownSeq += 1;
  return `0813${String(process.pid % 1000).padStart(3, "0")}${String(unknownSeq).padStart(5, "0")}`;
}

/** The next fixed minute of the slowed-down address counter. */
async function nextMinute(): Promise<void> {
  await db
    .update(rateLimits)
    .set({ windowStartedAt: new Date(Date.now() - 61_000) })
    .where(like(rateLimits.key, "login:ipslow:%"));
}

async function failuresCounted(prefix: string): Promise<number[]> {
  const rows = await db
    .select()
    .from(rateLimits)
    .where(like(rateLimits.key, `${prefix}%`));
  return rows.map((r) => r.count).sort((a, b) => a - b);
}

const statuses = (rs: RouteResult[]) => ({
  evaluated: rs.filter((r) => r.status === 400).length,
  refused: rs.filter((r) => r.status === 429).length,
  other: rs.filter((r) => r.status !== 400 && r.status !== 429).map((r) => r.status),
});

beforeEach(async () => {
  await setupDatabase();
  await db.delete(rateLimits);
});

describe("per-address limit: counted before argon2 runs", () => {
  it("150 wrong logins in parallel from one address: at most 50 + 12 passwords are checked", async () => {
    const ip = "203.0.113.10";
    const rs = await Promise.all(Array.from({ length: 150 }, () => postLogin(unknownPhone(), "salah-sekali", ip)));
    const s = statuses(rs);
    expect(s.other).toEqual([]);
    // A 400 is an answer after argon2 ran; a 429 is refused before it.
    expect(s.evaluated).toBeLessThanOrEqual(MAX_EVALUATED);
    expect(s.evaluated + s.refused).toBe(150);
    // Every check was a failure, and the address's failure count says exactly that many.
    expect(await failuresCounted("login:ip:")).toEqual([s.evaluated]);
  });

  it("520 wrong logins in parallel slow the address, they do not block it: a correct password gets in a minute later", async () => {
    const ip = "203.0.113.11";
    const kader = await makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD });
    const rs = await Promise.all(Array.from({ length: 520 }, () => postLogin(unknownPhone(), "salah-sekali", ip)));
    await nextMinute();
    const res = await postLogin(kader.phone, PASSWORD, ip);
    expect(res.data?.formError).toBeUndefined();
    expect(res.status).toBe(302);
    expect(statuses(rs).evaluated).toBeLessThanOrEqual(MAX_EVALUATED);
  });

  it("an attacker flooding a venue's address: kader whose phones signed in before all get in; strangers stay slowed", async () => {
    const venue = "203.0.113.12";
    const kader = await Promise.all(
      Array.from({ length: 24 }, () => makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD })),
    );
    // Each kader signed in on her own phone before (at home), then signed out.
    const phones = kader.map(() => new Browser());
    for (let i = 0; i < kader.length; i++) {
      expect((await postLogin(kader[i].phone, PASSWORD, `198.51.100.${i + 1}`, phones[i])).status).toBe(302);
    }
    // The attacker is already past the address's threshold.
    await Promise.all(Array.from({ length: 60 }, () => postLogin(unknownPhone(), "salah-sekali", venue)));
    // Two minutes: 4 wrong passwords a second (240 a minute) and 12 kader logging in each minute.
    const outcomes: number[] = [];
    let attackerChecked = 0;
    for (let minute = 0; minute < 2; minute++) {
      const attack = Array.from({ length: 240 }, () => postLogin(unknownPhone(), "salah-sekali", venue));
      const logins = kader
        .slice(minute * 12, minute * 12 + 12)
        .map((k, j) => postLogin(k.phone, PASSWORD, venue, phones[minute * 12 + j]));
      const [a, l] = await Promise.all([Promise.all(attack), Promise.all(logins)]);
      attackerChecked += statuses(a).evaluated;
      outcomes.push(...l.map((r) => r.status));
      await nextMinute();
    }
    expect(outcomes.filter((s) => s === 302).length, `statuses: ${outcomes.join(",")}`).toBe(24);
    expect(attackerChecked).toBeLessThanOrEqual(2 * LOGIN_LIMITS.throttledPerMinute);
    // A stranger (no device cookie) is still slowed, even with a right password of someone else's.
    await Promise.all(Array.from({ length: 20 }, () => postLogin(unknownPhone(), "salah-sekali", venue)));
    const stranger = await postLogin(kader[0].phone, PASSWORD, venue);
    expect(stranger.status).toBe(429);
    expect(stranger.data.formError).toMatch(/perangkat\/jaringan ini: tunggu \d+ detik/);
  });
});

describe("a stranger's guesses do not lock the owner out", () => {
  it("five wrong guesses: the owner on her own phone gets in; the stranger, even with the right password, does not", async () => {
    const owner = await makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD });
    const phone = new Browser();
    expect((await postLogin(owner.phone, PASSWORD, "198.51.100.30", phone)).status).toBe(302);
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await postLogin(owner.phone, `tebakan-${i}`, `192.0.2.${i + 1}`)).status).toBe(400);
    }
    const stranger = await postLogin(owner.phone, PASSWORD, "192.0.2.50");
    expect(stranger.status).toBe(429);
    expect(stranger.data.formError).toMatch(/untuk akun ini\. Coba lagi dalam \d+ menit/);

    const own = await postLogin(owner.phone, PASSWORD, "198.51.100.31", phone);
    expect(own.data?.formError).toBeUndefined();
    expect(own.status).toBe(302);
    // The refusal tells the owner what to do.
    expect(stranger.data.formError).toMatch(/HP yang biasa Anda pakai.*Tim Pembina/);
    // The owner's success does not give the stranger new guesses.
    expect((await postLogin(owner.phone, "tebakan-lagi", "192.0.2.51")).status).toBe(429);
    expect((await postLogin(owner.phone, PASSWORD, "198.51.100.32", phone)).status).toBe(302);
  });

  it("a stolen phone gets a bounded number of guesses, then the ordinary limits", async () => {
    const owner = await makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD });
    const phone = new Browser();
    expect((await postLogin(owner.phone, PASSWORD, "198.51.100.40", phone)).status).toBe(302);
    const rs = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postLogin(owner.phone, `tebakan-${i}`, "198.51.100.41", phone)),
    );
    const s = statuses(rs);
    expect(s.other).toEqual([]);
    expect(s.evaluated).toBeLessThanOrEqual(LOGIN_LIMITS.perDevice + LOGIN_LIMITS.perAccount);
    expect((await postLogin(owner.phone, `tebakan-akhir`, "198.51.100.41", phone)).status).toBe(429);
  });

  it("a shared phone remembers five accounts; a cookie from another account or a forged one gives no pass", async () => {
    const accounts = await Promise.all(
      Array.from({ length: LOGIN_LIMITS.deviceAccounts + 1 }, () =>
        makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD }),
      ),
    );
    const shared = new Browser();
    for (const a of accounts) expect((await postLogin(a.phone, PASSWORD, "198.51.100.50", shared)).status).toBe(302);
    const other = new Browser();
    const own = await makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD });
    expect((await postLogin(own.phone, PASSWORD, "198.51.100.51", other)).status).toBe(302);
    // A stranger locks every one of them.
    for (const a of accounts) {
      for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) await postLogin(a.phone, `tebakan-${i}`, "192.0.2.60");
    }
    const results = [];
    for (const a of accounts) results.push((await postLogin(a.phone, PASSWORD, "198.51.100.52", shared)).status);
    // The oldest account fell off the phone's list; the five most recent pass.
    expect(results).toEqual([429, ...Array(LOGIN_LIMITS.deviceAccounts).fill(302)]);
    expect((await postLogin(accounts[1].phone, PASSWORD, "198.51.100.53", other)).status).toBe(429);
    const forged = `${shared.header!.split("=")[0]}=${"A".repeat(22)}.${"B".repeat(22)}`;
    const res = await call(
      loginAction,
      makeRequest("/masuk", { form: { login: accounts[2].phone, password: PASSWORD }, cookie: forged }),
      {},
      "198.51.100.54",
    );
    expect(res.status).toBe(429);
  });

  it("a stranger's guesses at login and activation: the owner gets in with a new code from her pembina, then on her phone", async () => {
    const pos = await makePosyandu({ name: "Posyandu Anggrek", desaCode: DESA });
    const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01", password: PASSWORD });
    const owner = await makeUser({ role: "kader", scopeCode: DESA, posyanduId: pos, password: "sandi-lama-123" });
    // The stranger locks her login and sprays activation codes at her number.
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await postLogin(owner.phone, `tebakan-${i}`, "192.0.2.70")).status).toBe(400);
    }
    const activate = (code: string, ip: string, browser?: Browser) =>
      call(
        aktivasiAction,
        makeRequest("/aktivasi", {
          form: { phone: owner.phone, code, password: "sandi-baru-456", confirm: "sandi-baru-456" },
          cookie: browser?.header,
        }),
        {},
        ip,
      ).then((r) => (browser ? browser.keep(r) : r));
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await activate("ZZZZ-ZZZZ", "192.0.2.71")).status).toBe(400);
    }
    // Her pembina resets the password: a fresh code.
    const reset = await call(
      userAction,
      makeRequest(`/admin/pengguna/${owner.id}`, {
        cookie: await sessionCookie(pembina.id),
        form: { intent: "atur-ulang-sandi", nonce: newIssueNonce() },
      }),
      { id: owner.id },
    );
    expect(reset.status).toBe(200);
    const code: string = reset.data.reset.code;
    // On a new phone, the owner activates with the code.
    const phone = new Browser();
    const act = await activate(code, "198.51.100.70", phone);
    expect(act.data?.formError).toBeUndefined();
    expect(act.status).toBe(302);
    // The stranger keeps guessing; the owner, signed out, signs in again on that phone.
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) await postLogin(owner.phone, `lagi-${i}`, "192.0.2.72");
    expect((await postLogin(owner.phone, "sandi-baru-456", "192.0.2.73")).status).toBe(429);
    const back = await postLogin(owner.phone, "sandi-baru-456", "198.51.100.71", phone);
    expect(back.data?.formError).toBeUndefined();
    expect(back.status).toBe(302);
  });
});

describe("a deactivated account", () => {
  it("answers a right password exactly as a wrong one, and counts it as a failure", async () => {
    const gone = await makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD, active: false });
    const right = await postLogin(gone.phone, PASSWORD, "198.51.100.80");
    const wrong = await postLogin(gone.phone, "bukan-ini-123", "198.51.100.81");
    expect({ status: right.status, data: right.data }).toEqual({ status: wrong.status, data: wrong.data });
    expect(right.status).toBe(400);
    expect(right.data.formError).toBe("Nomor HP/email atau kata sandi salah.");
    expect(right.headers.getSetCookie()).toEqual([]);
    // Both counted as failures: the account's counter and each address's.
    expect(await failuresCounted("login:acct:")).toEqual([2]);
    expect(await failuresCounted("login:ip:")).toEqual([1, 1]);
    for (let i = 2; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await postLogin(gone.phone, PASSWORD, "198.51.100.82")).status).toBe(400);
    }
    expect((await postLogin(gone.phone, PASSWORD, "198.51.100.83")).status).toBe(429);
  });
});
