/**
 * The certificate v2: signatories (set by DPMD/admin, copied at issue, printed with the
 * practice tasks) and Open Badges 3.0 credentials (VC-JWT) verified by /verifikasi.
 */
import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createLocalJWKSet, decodeJwt, jwtVerify, SignJWT } from "jose";
import { db } from "~/db.server";
import { auditLog, certificates, certificateSignatories } from "~/db/schema";
import { content, syncModuleVersions } from "~/features/catalogue/content.server";
import { makeUser } from "~/demo/factories.server";
import { evaluateCertificationStrict } from "~/features/certification/evaluate.server";
import { findCertificate } from "~/features/certification/certificates.server";
import { renderCertificate } from "~/features/certification/pdf.server";
import { revokeCertificate } from "~/features/certification/certificates.server";
import * as penandatangan from "~/routes/admin.penandatangan";
import * as download from "~/routes/sertifikat.$code.jwt";
import * as verifikasi from "~/routes/verifikasi._index";
import * as kunci from "~/routes/verifikasi.kunci";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { almostCertified, attend, backdateAttempts, MONTH, newKader, pdfText } from "./certification-helpers";

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

async function staff(role: "pembina_kecamatan" | "dpmd" | "admin", scopeCode: string) {
  const u = await makeUser({ role, scopeCode, name: `${role} ${scopeCode}` });
  return { ...u, cookie: await sessionCookie(u.id) };
}

function multipart(path: string, fields: Record<string, string | Blob>, cookie?: string) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  const headers: Record<string, string> = { Origin: BASE };
  if (cookie) headers.Cookie = cookie;
  return new Request(BASE + path, { method: "POST", headers, body: fd });
}

// A 1x1 PNG.
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

describe("signatories", () => {
  it("DPMD sets the signatory of their kabupaten (audited); it is copied into certificates issued afterwards and printed with the practice tasks", async () => {
    const dpmd = await staff("dpmd", "64.08");
    const page = await call(penandatangan.loader, makeRequest("/admin/penandatangan", { cookie: dpmd.cookie }));
    expect(page.data.kabupaten.map((k: { code: string }) => k.code)).toEqual(["64.08"]);
    const saved = await call(
      penandatangan.action,
      multipart(
        "/admin/penandatangan",
        {
          kabupatenCode: "64.08",
          name: "Drs. Suriansyah",
          title: "Kepala Dinas Pemberdayaan Masyarakat dan Desa",
          nip: "19700101 199003 1 001",
          logo: new Blob([PNG_1X1], { type: "image/png" }),
        },
        dpmd.cookie,
      ),
    );
    expect(saved.status).toBe(302);
    const [row] = await db
      .select()
      .from(certificateSignatories)
      .where(eq(certificateSignatories.kabupatenCode, "64.08"));
    expect(row).toMatchObject({ name: "Drs. Suriansyah", nip: "197001011990031001" });
    expect(row.logo).toMatch(/^data:image\/png;base64,/);
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "signatory.create"), eq(auditLog.entityId, "64.08"))),
    ).toHaveLength(1);

    const k = await newKader({ name: "Rahmawati Tanda" });
    await almostCertified(k.id);
    const [cert] = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    expect(cert.payload).toMatchObject({
      v: "2",
      signatoryName: "Drs. Suriansyah",
      signatoryTitle: "Kepala Dinas Pemberdayaan Masyarakat dan Desa",
      signatoryNip: "197001011990031001",
    });
    const practice = content().defaultProgramme.practice;
    expect(cert.payload.practice.split(" | ")).toEqual(practice.tasks.slice(0, practice.required).map((t) => t.title));
    expect(cert.signatoryLogo).toBe(row.logo);

    const record = (await findCertificate(cert.code))!;
    const { pdf } = await renderCertificate(record, BASE);
    const text = pdfText(pdf).replace(/\s+/g, " "); // wrapped lines joined
    expect(text).toContain("Drs. Suriansyah");
    expect(text).toContain("Kepala Dinas Pemberdayaan Masyarakat dan Desa");
    expect(text).toContain("NIP 197001011990031001");
    for (const t of practice.tasks.slice(0, practice.required)) expect(text).toContain(t.title);
    expect(text).toMatch(/Ditandatangani secara elektronik; periksa keaslian di/);
    expect(text).not.toContain("Ed25519");

    // A new signatory later does not change the certificate already issued.
    await call(
      penandatangan.action,
      multipart(
        "/admin/penandatangan",
        { kabupatenCode: "64.08", name: "Hj. Nurlela", title: "Plt. Kepala Dinas PMD", nip: "" },
        dpmd.cookie,
      ),
    );
    const [after] = await db.select().from(certificates).where(eq(certificates.id, cert.id));
    expect(after.payload.signatoryName).toBe("Drs. Suriansyah");
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "signatory.update"), eq(auditLog.entityId, "64.08"))),
    ).toHaveLength(1);
  });

  it("refuses bad input with 400, other kabupaten with 403, and pembina with 403", async () => {
    const dpmd = await staff("dpmd", "64.08");
    const bad = await call(
      penandatangan.action,
      multipart(
        "/admin/penandatangan",
        { kabupatenCode: "64.08", name: "Budi", title: "Kepala Dinas", nip: "12345" },
        dpmd.cookie,
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.nip).toMatch(/18 angka/);
    const notImage = await call(
      penandatangan.action,
      multipart(
        "/admin/penandatangan",
        {
          kabupatenCode: "64.08",
          name: "Budi Santoso",
          title: "Kepala Dinas PMD",
          logo: new Blob(["bukan gambar"], { type: "image/png" }),
        },
        dpmd.cookie,
      ),
    );
    expect(notImage.status).toBe(400);
    expect(notImage.data.errors.logo).toMatch(/PNG atau JPEG/);
    const other = await call(
      penandatangan.action,
      multipart(
        "/admin/penandatangan",
        { kabupatenCode: "64.02", name: "Budi Santoso", title: "Kepala Dinas PMD" },
        dpmd.cookie,
      ),
    );
    expect(other.status).toBe(403);
    expect(
      await db.select().from(certificateSignatories).where(eq(certificateSignatories.kabupatenCode, "64.02")),
    ).toHaveLength(0);
    const pembina = await staff("pembina_kecamatan", "64.08.01");
    expect(
      (await call(penandatangan.loader, makeRequest("/admin/penandatangan", { cookie: pembina.cookie }))).status,
    ).toBe(403);
  });
});

describe("Open Badges 3.0", () => {
  async function certified(name: string) {
    const k = await newKader({ name });
    await almostCertified(k.id);
    const [cert] = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    const res = await call(
      download.loader,
      makeRequest(`/sertifikat/${cert.code}.jwt`, { cookie: await sessionCookie(k.id) }),
      { code: cert.code },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/application\/jwt/);
    return { k, cert, jwt: res.data as string };
  }
  const check = (token: string, ip = "198.51.100.9") =>
    call(verifikasi.action, multipart("/verifikasi", { kredensial: token }), {}, ip);

  it("a downloaded credential is an OpenBadgeCredential that verifies offline with the published key and on /verifikasi as Berlaku", async () => {
    const { cert, jwt } = await certified("Sri Lencana");
    const claims = decodeJwt(jwt) as {
      type: string[];
      "@context": string[];
      jti: string;
      exp: number;
      credentialSubject: { achievement: object; identifier: { identityHash: string }[] };
    };
    expect(claims.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(claims["@context"]).toContain("https://www.w3.org/ns/credentials/v2");
    expect(claims.credentialSubject.achievement).toMatchObject({
      type: ["Achievement"],
      name: content().defaultProgramme.title,
    });
    expect(claims.credentialSubject.identifier[0].identityHash).toBe("Sri Lencana");
    expect(claims.jti).toBe(`${BASE}/verifikasi/${cert.code}`);
    expect(claims.exp).toBe(Math.floor(cert.expiresAt.getTime() / 1000));

    const keys = await call(kunci.loader, makeRequest("/verifikasi/kunci"));
    const jwksJson = JSON.parse(keys.data);
    expect(jwksJson.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    const offline = await jwtVerify(jwt, createLocalJWKSet(jwksJson));
    expect(offline.payload.jti).toBe(claims.jti);
    expect((await call(kunci.loader, makeRequest("/verifikasi/kunci?format=pem"))).data).toMatch(/BEGIN PUBLIC KEY/);

    const pasted = await check(jwt);
    expect(pasted.status).toBe(200);
    expect(pasted.data.result).toMatchObject({
      state: "berlaku",
      code: cert.code,
      certificate: { name: "Sri Lencana" },
    });
    const uploaded = await call(
      verifikasi.action,
      multipart("/verifikasi", { berkas: new Blob([`${jwt}\n`], { type: "application/jwt" }) }),
      {},
      "198.51.100.10",
    );
    expect(uploaded.data.result.state).toBe("berlaku");
  });

  it("a credential signed by another key, or with an altered subject, says Tanda tangan tidak valid; junk is a 400", async () => {
    const { jwt } = await certified("Tuti Palsu");
    const claims = decodeJwt(jwt);
    const foreign = generateKeyPairSync("ed25519");
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", typ: "JWT" }).sign(foreign.privateKey);
    expect((await check(forged)).data.result.state).toBe("tanda_tangan_salah");

    const [h, , s] = jwt.split(".");
    const altered = {
      ...claims,
      credentialSubject: {
        ...(claims.credentialSubject as object),
        identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: "Orang Lain" }],
      },
    };
    const tampered = `${h}.${Buffer.from(JSON.stringify(altered)).toString("base64url")}.${s}`;
    expect((await check(tampered)).data.result.state).toBe("tanda_tangan_salah");

    const junk = await check("bukan-sebuah-token");
    expect(junk.status).toBe(400);
    expect(junk.data.result.state).toBe("format_salah");
    const empty = await call(verifikasi.action, multipart("/verifikasi", { kredensial: "" }), {}, "198.51.100.11");
    expect(empty.status).toBe(400);
    expect(empty.data.error).toMatch(/Unggah berkas/);
  });

  it("an expired credential says Kedaluwarsa, a revoked one Dicabut", async () => {
    const k = await newKader({ name: "Wati Lampau" });
    await almostCertified(k.id, "attendance");
    await backdateAttempts(k.id, 26 * MONTH);
    await attend(k.id);
    await evaluateCertificationStrict(k.id, new Date(Date.now() - 25 * MONTH));
    const [old] = await db.select().from(certificates).where(eq(certificates.userId, k.id));
    expect(old.expiresAt.getTime()).toBeLessThan(Date.now());
    const res = await call(
      download.loader,
      makeRequest(`/sertifikat/${old.code}.jwt`, { cookie: await sessionCookie(k.id) }),
      { code: old.code },
    );
    expect((await check(res.data)).data.result).toMatchObject({ state: "kedaluwarsa", code: old.code });

    const { cert, jwt } = await certified("Yeni Dicabut");
    const admin = await staff("admin", "64");
    await revokeCertificate(
      {
        id: admin.id,
        name: "Admin",
        phone: "",
        role: "admin",
        scopeCode: "64",
        posyanduId: null,
        active: true,
        place: "",
      },
      cert.code,
      "Data ganda, diterbitkan ulang",
    );
    expect((await check(jwt)).data.result).toMatchObject({ state: "dicabut", reason: "Data ganda, diterbitkan ulang" });
  });

  it("another kader cannot download a credential (404); staff outside the scope get 403", async () => {
    const { cert } = await certified("Zahra Milik");
    const other = await newKader({ name: "Bukan Pemilik" });
    expect(
      (
        await call(
          download.loader,
          makeRequest(`/sertifikat/${cert.code}.jwt`, { cookie: await sessionCookie(other.id) }),
          { code: cert.code },
        )
      ).status,
    ).toBe(404);
    const outsider = await staff("dpmd", "64.02");
    expect(
      (
        await call(download.loader, makeRequest(`/sertifikat/${cert.code}.jwt`, { cookie: outsider.cookie }), {
          code: cert.code,
        })
      ).status,
    ).toBe(403);
  });
});
