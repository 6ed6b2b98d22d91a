/**
 * Stateless processes: two app processes (the built server, `node build/server.js`) on one
 * PostgreSQL database, requests alternating between them. Login on one, pages on the
 * other; a QR shown by one accepted by the other; an import previewed on one and saved
 * on the other; login rate limits counted across both. Needs PostgreSQL (CI's PostgreSQL
 * pass); on PGlite (one process by design) it is skipped.
 */
import type { ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { attendance, importBatches, users } from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { createWorkshop, transitionWorkshop } from "~/features/workshops/sessions.server";
import { getUser, SESSION_COOKIE } from "~/auth.server";
import { workshopFormSchema } from "~/features/workshops/rules";
import { makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { ensureBuild, running, startBuiltServer, stopAll } from "./support/built-server";

const onPostgres = Boolean(process.env.DATABASE_URL);
const PASSWORD = "kata-sandi-uji-123";
const DESA = "64.08.01.2001";

interface App {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

const shared = {
  SESSION_SECRET: randomBytes(32).toString("hex"),
  CERT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
};

async function startApp(): Promise<App> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-cluster-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...shared,
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    WEB_CONCURRENCY: "1",
    APP_URL: "http://akademi.test",
  };
  const s = running(await startBuiltServer(env));
  return { url: s.url, child: s.child, dataDir };
}

let a: App;
let b: App;
let kaderPhone: string;
let pembinaPhone: string;
let workshopId: number;

/** A request to one app, as a browser on that origin would send it. */
async function req(
  app: App,
  p: string,
  opts: { cookie?: string; form?: Record<string, string>; body?: FormData } = {},
) {
  const headers: Record<string, string> = { "X-Forwarded-For": "198.51.100.9" };
  if (opts.cookie) headers.Cookie = opts.cookie;
  let body: BodyInit | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form);
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (opts.body) body = opts.body;
  if (body) headers.Origin = app.url;
  const res = await fetch(app.url + p, { method: body ? "POST" : "GET", headers, body, redirect: "manual" });
  return {
    status: res.status,
    location: res.headers.get("location"),
    setCookie: res.headers.get("set-cookie"),
    /** Each Set-Cookie as name=value (a write's answer also carries the read-your-writes cookie). */
    cookies: res.headers.getSetCookie().map((c) => c.split(";")[0]),
    text: await res.text(),
  };
}

async function login(app: App, phone: string, password = PASSWORD) {
  return req(app, "/masuk", { form: { login: phone, password } });
}

async function sessionOf(app: App, phone: string): Promise<string> {
  const res = await login(app, phone);
  expect(res.status, res.text.slice(0, 300)).toBe(302);
  const session = res.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(session, res.cookies.join("; ")).toBeDefined();
  return session!;
}

beforeAll(async () => {
  if (!onPostgres) return;
  await setupDatabase();
  const pos = await makePosyandu({ name: "Posyandu Klaster", desaCode: DESA });
  kaderPhone = (await makeUser({ role: "kader", scopeCode: DESA, posyanduId: pos, password: PASSWORD })).phone;
  const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01", password: PASSWORD });
  pembinaPhone = pembina.phone;
  const actor = (await getUser(makeRequest("/", { cookie: await sessionCookie(pembina.id) })))!;
  const start = new Date(Date.now() - 5 * 60_000);
  const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16); // WITA
  const r = await createWorkshop(
    actor,
    workshopFormSchema.parse({
      title: "Sosialisasi Klaster",
      kind: "sosialisasi",
      audience: "kader",
      regionCode: DESA,
      venue: "Balai Desa",
      startsAt: local(start),
      endsAt: local(new Date(start.getTime() + 3 * 3600_000)),
      capacity: "30",
      graceMinutes: "15",
    }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  workshopId = r.id;
  expect(await transitionWorkshop(actor, r.id, "published")).toEqual({ ok: true });
  ensureBuild();
  // One after the other: the first applies migrations (none left here), the second finds them done.
  a = await startApp();
  b = await startApp();
}, 600_000);

afterAll(async () => {
  await stopAll();
  for (const app of [a, b]) if (app) rmSync(app.dataDir, { recursive: true, force: true });
});

describe.skipIf(!onPostgres)("two app processes on one PostgreSQL", () => {
  it("a session from a login on one process opens pages on the other", async () => {
    const cookie = await sessionOf(a, kaderPhone);
    const page = await req(b, "/modul", { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Modul");
    // And back: logging out on B ends the session on A as well.
    const out = await req(b, "/keluar", { cookie, form: {} });
    expect(out.status).toBe(302);
    const after = await req(a, "/modul", { cookie });
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/masuk/);
  });

  it("a QR shown by one process is accepted by the other", async () => {
    const pembina = await sessionOf(b, pembinaPhone);
    const kader = await sessionOf(a, kaderPhone);
    const screen = await req(a, `/sesi/${workshopId}/qr`, { cookie: pembina });
    expect(screen.status).toBe(200);
    const link = screen.text.match(/\/hadir\/([A-Za-z0-9._~-]+)/);
    expect(link, "the QR page links to /hadir/<token>").not.toBeNull();
    const token = link![1];
    const open = await req(b, `/hadir/${token}`, { cookie: kader });
    expect(open.status).toBe(200);
    const ticket = open.text.match(/name="pindai" value="([^"]+)"/)![1];
    // The scan cookie set by one process binds the ticket to this browser on the other.
    const scan = open.setCookie!.split(";")[0];
    const done = await req(a, `/hadir/${token}`, { cookie: `${kader}; ${scan}`, form: { pindai: ticket } });
    expect(done.status).toBe(200);
    const rows = await db.select().from(attendance).where(eq(attendance.workshopId, workshopId));
    expect(rows.map((r) => [r.status, r.method])).toEqual([["hadir", "qr"]]);
  });

  it("an import previewed on one process is saved on the other, once", async () => {
    const pembina = await sessionOf(a, pembinaPhone);
    const form = new FormData();
    form.set("jenis", "kader");
    const csv =
      "nama,no_hp,posyandu,nomor_registrasi_posyandu,kode_desa,bidang_spm,jenis_kelamin,tahun_lahir\n" +
      `Siti Klaster,081399990001,Posyandu Klaster,,${DESA},Sosial,P,1985\n`;
    form.set("berkas", new Blob([csv], { type: "text/csv" }), "klaster.csv");
    const up = await req(a, "/admin/impor", { cookie: pembina, body: form });
    expect(up.status, up.text.slice(0, 400)).toBe(302);
    const previewPath = up.location!;
    expect(previewPath).toMatch(/^\/admin\/impor\/pratinjau\/[a-f0-9]{32}$/);
    const shown = await req(b, previewPath, { cookie: pembina });
    expect(shown.status).toBe(200);
    expect(shown.text).toContain("Siti Klaster");
    const saved = await req(b, previewPath, { cookie: pembina, form: {} });
    expect(saved.status).toBe(302);
    const again = await req(a, previewPath, { cookie: pembina, form: {} });
    expect(again.status).toBe(302);
    const batches = await db.select().from(importBatches).where(eq(importBatches.fileName, "klaster.csv"));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ inserted: 1 });
    const [u] = await db.select().from(users).where(eq(users.phone, "6281399990001"));
    expect(u?.name).toBe("Siti Klaster");
  });

  it("failed logins are counted across both processes", async () => {
    const victim = (await makeUser({ role: "kader", scopeCode: DESA, password: PASSWORD })).phone;
    // Five wrong passwords, alternating: the account's limit is 5 (LOGIN_LIMITS.perAccount).
    for (let i = 0; i < 5; i++) {
      const res = await login(i % 2 ? b : a, victim, "salah-" + i);
      expect(res.status).toBe(400);
    }
    // The right password is now refused on both, because both count in the database.
    for (const app of [a, b]) {
      const res = await login(app, victim);
      expect(res.status).toBe(429);
      expect(res.text).toContain("Terlalu banyak percobaan");
    }
  });
});
