/**
 * Public verification: every state, forged and altered codes and signatures, only the
 * printed data, normalised codes, rate limiting per client address and the log.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { desc, eq, sql } from "drizzle-orm";
import { db, sqlRows } from "~/db.server";
import { certificates, verificationLog } from "~/db/schema";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { makeUser } from "~/demo/factories.server";
import { clientHash, VERIFY_LIMITS } from "~/features/certification/verification.server";
import { evaluateCertificationStrict } from "~/features/certification/evaluate.server";
import * as page from "~/routes/verifikasi.$code";
import * as form from "~/routes/verifikasi._index";
import * as adminDetail from "~/routes/admin.sertifikat.$code";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { almostCertified, attend, MONTH, newKader } from "./certification-helpers";

let cert: typeof certificates.$inferSelect;
let other: typeof certificates.$inferSelect;
let ipSeq = 0;
/** A fresh client address per check, so the rate limit only bites where a test wants it. */
const ip = () => `198.51.100.${++ipSeq % 250}`;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  const a = await newKader({ name: "Fitri Handayani" });
  await almostCertified(a.id);
  const b = await newKader({ name: "Halimah Nurjanah" });
  await almostCertified(b.id);
  [cert] = await db.select().from(certificates).where(eq(certificates.userId, a.id));
  [other] = await db.select().from(certificates).where(eq(certificates.userId, b.id));
});

function check(code: string, opts: { s?: string | null; clientIp?: string } = {}) {
  const qs = opts.s !== undefined && opts.s !== null ? `?s=${encodeURIComponent(opts.s)}` : "";
  return call(
    page.loader,
    makeRequest(`/verifikasi/${encodeURIComponent(code)}${qs}`),
    { code },
    opts.clientIp ?? ip(),
  );
}

async function lastLog() {
  const [row] = await db.select().from(verificationLog).orderBy(desc(verificationLog.id)).limit(1);
  return row;
}

describe("states", () => {
  it("Berlaku: with the QR signature, and with the code alone; no login needed", async () => {
    const withSig = await check(cert.code, { s: cert.signature });
    expect(withSig.status).toBe(200);
    expect(withSig.headers.get("Cache-Control")).toBe("no-store");
    expect(withSig.data).toEqual({
      state: "berlaku",
      code: cert.code,
      signatureChecked: true,
      certificate: {
        code: cert.code,
        name: "Fitri Handayani",
        programme: "Sertifikasi Kader Posyandu 6 SPM",
        // What it attests, from the programme's rule (issue 21: the observed practice is named).
        criteria: expect.stringContaining("praktik lapangan"),
        issued: expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/),
        expires: expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/),
        issuer: "Kabupaten Kutai Timur",
      },
    });
    const bare = await check(cert.code);
    expect(bare.data).toMatchObject({ state: "berlaku", signatureChecked: false });
    expect((await lastLog()).result).toBe("berlaku");
  });

  it("shows only name, programme, dates and issuer: no phone, no ids, no posyandu", async () => {
    const res = await check(cert.code, { s: cert.signature });
    const json = JSON.stringify(res.data);
    const [kader] = await sqlRows<{ phone: string; id: string }>(
      sql`select phone, id from users where id = ${cert.userId}`,
    );
    expect(json).not.toContain(kader.phone);
    expect(json).not.toContain(kader.id);
    expect(json).not.toContain("Posyandu Melati");
    expect(json).not.toContain("Senyiur");
    expect(json).not.toContain(cert.signature);
    expect(Object.keys(res.data.certificate).sort()).toEqual([
      "code",
      "criteria",
      "expires",
      "issued",
      "issuer",
      "name",
      "programme",
    ]);
  });

  it("Tidak ditemukan: a well-formed code that was never issued (404)", async () => {
    const res = await check("AP-2222-2222");
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ state: "tidak_ditemukan", code: "AP-2222-2222" });
    expect(await lastLog()).toMatchObject({ code: "AP-2222-2222", result: "tidak_ditemukan" });
  });

  it("malformed codes and mistyped characters are caught without a lookup (404, format_salah)", async () => {
    for (const bad of ["AP-1234-5678", "AP-OOOO", "hello", "AP-2222-2222-2222", "'; drop table certificates; --"]) {
      const res = await check(bad);
      expect(res.status, bad).toBe(404);
      expect(res.data, bad).toMatchObject({ state: "format_salah", reason: "format" });
    }
    const typo = cert.code.slice(0, -1) + (cert.code.endsWith("2") ? "3" : "2");
    const res = await check(typo);
    expect(res.data).toEqual({ state: "format_salah", code: typo, reason: "check" });
    expect(await lastLog()).toMatchObject({ code: typo, result: "format_salah" });
  });

  it("Kedaluwarsa: a genuine certificate past its validity", async () => {
    const k = await newKader({ name: "Kader Lama" });
    await almostCertified(k.id, "attendance");
    await attend(k.id);
    await evaluateCertificationStrict(k.id, new Date(Date.now() - 25 * MONTH));
    const [old] = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    const res = await check(old.code, { s: old.signature });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      state: "kedaluwarsa",
      signatureChecked: true,
      certificate: { name: "Kader Lama" },
    });
    expect((await lastLog()).result).toBe("kedaluwarsa");
  });

  it("Dicabut, with the reason", async () => {
    const k = await newKader({ name: "Kader Dicabut" });
    await almostCertified(k.id);
    const [mine] = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    const dpmd = await makeUser({ role: "dpmd", scopeCode: "64.08" });
    const res = await call(
      adminDetail.action,
      makeRequest(`/admin/sertifikat/${mine.code}`, {
        cookie: await sessionCookie(dpmd.id),
        form: { alasan: "Identitas kader tidak sesuai." },
      }),
      { code: mine.code },
    );
    expect(res.status).toBe(302);
    const revoked = await check(mine.code, { s: mine.signature });
    expect(revoked.data).toMatchObject({
      state: "dicabut",
      reason: "Identitas kader tidak sesuai.",
      certificate: { name: "Kader Dicabut" },
    });
    expect(revoked.data.revokedAt).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    expect((await lastLog()).result).toBe("dicabut");
  });
});

describe("forged and altered", () => {
  it("a changed, truncated, empty, foreign or garbage signature says tanda tangan tidak valid", async () => {
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    for (const s of [
      flip(cert.signature, 0),
      flip(cert.signature, 40),
      cert.signature.slice(0, -2),
      "",
      other.signature,
      "x".repeat(86),
      "!!!!",
      cert.signature + "AA",
    ]) {
      const res = await check(cert.code, { s });
      expect(res.status, s).toBe(200);
      expect(res.data, s).toEqual({ state: "tanda_tangan_salah", code: cert.code });
    }
    expect((await lastLog()).result).toBe("tanda_tangan_salah");
  });

  it("a row altered in the database (name, dates) no longer verifies, even without s", async () => {
    const k = await newKader({ name: "Asli Namanya" });
    await almostCertified(k.id);
    const [row] = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    expect((await check(row.code)).data.state).toBe("berlaku");

    await db
      .update(certificates)
      .set({ payload: { ...row.payload, name: "Nama Palsu" } })
      .where(eq(certificates.id, row.id));
    expect((await check(row.code)).data).toEqual({ state: "tanda_tangan_salah", code: row.code });
    await db.update(certificates).set({ payload: row.payload }).where(eq(certificates.id, row.id));
    expect((await check(row.code)).data.state).toBe("berlaku");

    await db
      .update(certificates)
      .set({ expiresAt: new Date(row.expiresAt.getTime() + 365 * 86_400_000) })
      .where(eq(certificates.id, row.id));
    expect((await check(row.code, { s: row.signature })).data.state).toBe("tanda_tangan_salah");
    // A resigned payload with the new date by anyone without the key: still refused.
    await db
      .update(certificates)
      .set({ payload: { ...row.payload, expires: new Date(row.expiresAt.getTime() + 365 * 86_400_000).toISOString() } })
      .where(eq(certificates.id, row.id));
    expect((await check(row.code, { s: row.signature })).data.state).toBe("tanda_tangan_salah");
  });

  it("another certificate's valid signature does not vouch for this code", async () => {
    expect((await check(other.code, { s: cert.signature })).data.state).toBe("tanda_tangan_salah");
    expect((await check(other.code, { s: other.signature })).data.state).toBe("berlaku");
  });
});

describe("typed codes", () => {
  it("lower case, spaces and missing dashes redirect to the canonical URL, keeping the signature", async () => {
    const bare = cert.code.replaceAll("-", "").slice(2);
    for (const typed of [cert.code.toLowerCase(), bare, `ap ${bare.slice(0, 4)} ${bare.slice(4)}`]) {
      const res = await call(page.loader, makeRequest(`/verifikasi/${encodeURIComponent(typed)}?s=${cert.signature}`), {
        code: typed,
      });
      expect(res.status, typed).toBe(302);
      expect(res.location).toBe(`/verifikasi/${cert.code}?s=${cert.signature}`);
    }
    const noSig = await call(page.loader, makeRequest(`/verifikasi/${bare}`), { code: bare });
    expect(noSig.location).toBe(`/verifikasi/${cert.code}`);
  });

  it("the /verifikasi form sends a valid code to its page and explains a bad one", async () => {
    const empty = await call(form.loader, makeRequest("/verifikasi"));
    expect(empty.data).toEqual({ kode: "", error: null });
    const ok = await call(
      form.loader,
      makeRequest(`/verifikasi?kode=${encodeURIComponent(" " + cert.code.toLowerCase().replaceAll("-", " "))}`),
    );
    expect(ok.location).toBe(`/verifikasi/${cert.code}`);
    const typo = cert.code.slice(0, -1) + (cert.code.endsWith("2") ? "3" : "2");
    const bad = await call(form.loader, makeRequest(`/verifikasi?kode=${typo}`));
    expect(bad.status).toBe(400);
    expect(bad.data.error).toMatch(/salah ketik/);
    expect(await lastLog()).toMatchObject({ code: typo, result: "format_salah" });
    const junk = await call(form.loader, makeRequest("/verifikasi?kode=halo"));
    expect(junk.data.error).toMatch(/AP-XXXX-XXXX/);
  });
});

describe("rate limit and log", () => {
  it(`${VERIFY_LIMITS.perIp} checks per client address per window, then 429 with a message; other addresses unaffected`, async () => {
    const addr = "203.0.113.99";
    const before = await db.select({ id: verificationLog.id }).from(verificationLog);
    for (let i = 0; i < VERIFY_LIMITS.perIp; i++) {
      expect((await check(cert.code, { clientIp: addr })).status).toBe(200);
    }
    const limited = await check(cert.code, { clientIp: addr });
    expect(limited.status).toBe(429);
    expect(limited.data).toMatch(/Terlalu banyak pemeriksaan sertifikat dari jaringan ini/);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    // The form counts against the same budget.
    expect((await call(form.loader, makeRequest("/verifikasi?kode=halo"), {}, addr)).status).toBe(429);
    expect((await check(cert.code, { clientIp: "203.0.113.100" })).status).toBe(200);

    const after = await db.select({ id: verificationLog.id }).from(verificationLog);
    // Every check was logged except the refused ones.
    expect(after.length - before.length).toBe(VERIFY_LIMITS.perIp + 1);
  });

  it("logs a keyed hash of the client address, never the address", async () => {
    await check(cert.code, { clientIp: "192.0.2.45" });
    const row = await lastLog();
    expect(row.clientHash).toBe(clientHash("192.0.2.45"));
    expect(row.clientHash).toMatch(/^[0-9a-f]{32}$/);
    expect(row.clientHash).not.toContain("192.0.2.45");
    expect(clientHash("192.0.2.46")).not.toBe(row.clientHash);
    const [{ n }] = await sqlRows<{ n: number }>(
      sql`select count(*)::int as n from verification_log where client_hash like '%192.0.2%' or code like '%192.0.2%'`,
    );
    expect(Number(n)).toBe(0);
  });
});
