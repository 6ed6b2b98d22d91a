/**
 * A real deployment on one machine (AKADEMI_MODE=pilot; on PostgreSQL the same rules as
 * production): no demo data and no demo accounts, ever; the first admin is made once with
 * the operator's password (`npm run setup`), never a default one; a pilot does not start
 * without it. `npm start` without settings stays the demo, and says so on every page.
 */
process.env.AKADEMI_MODE = process.env.DATABASE_URL ? "production" : "pilot";
process.env.APP_URL = "http://akademi.test";

import { count, eq, inArray } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { MemoryRouter } from "react-router-dom";
import { beforeAll, describe, expect, it } from "vitest";
import { boot } from "~/boot.server";
import { AppShell } from "~/components/app-shell";
import { db } from "~/db.server";
import { instance, users } from "~/db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoSeeded, seedDemo } from "~/demo/demo.server";
import { EnvError, env } from "~/env.server";
import { createFirstAdmin } from "~/features/accounts/first-admin.server";
import { claimInstanceMode } from "~/instance.server";
import * as masuk from "~/routes/masuk";
import * as root from "~/root";
import { call, makeRequest, setupDatabase } from "./helpers";

const ADMIN_PASSWORD = "Pilot-Kutim-2026!";
const pilot = !process.env.DATABASE_URL;

beforeAll(async () => {
  await setupDatabase();
}, 60_000);

function login(phone: string, password: string, ip: string) {
  return call(masuk.action, makeRequest("/masuk", { form: { login: phone, password } }), {}, ip);
}

describe(`${pilot ? "pilot (embedded database)" : "production (PostgreSQL)"}: no demo, first admin by setup`, () => {
  it(pilot
    ? "does not start without an admin, and says how to make one"
    : "starts without an admin and says how to make one", async () => {
    const lines: string[] = [];
    const started = await boot((l) => lines.push(l)).catch((e: unknown) => e);
    if (pilot) {
      expect(started).toBeInstanceOf(EnvError);
      expect((started as Error).message).toMatch(/^Belum ada admin: .*npm run setup -- --admin 08/);
      expect((started as Error).message.split("\n")).toHaveLength(1);
    } else {
      expect(started).toBeUndefined();
      expect(lines.join("\n")).toMatch(/Belum ada admin: .*npm run setup -- --admin 08/);
    }
    // Nothing of the demo was made, and the database now belongs to this mode.
    expect(await demoSeeded()).toBe(false);
    const [{ n }] = await db.select({ n: count() }).from(users);
    expect(n).toBe(0);
    expect(await db.select({ mode: instance.mode }).from(instance)).toEqual([{ mode: env().MODE }]);
  }, 120_000);

  it("the first admin needs a real number and a password of the operator's own (12+ characters, not the demo's)", async () => {
    expect(await createFirstAdmin({ phone: "12345", password: ADMIN_PASSWORD })).toEqual({
      ok: false,
      error: "Nomor HP tidak valid. Contoh: 0812 3456 7890.",
    });
    expect(await createFirstAdmin({ phone: "081234567890", password: "pendek123" })).toMatchObject({
      ok: false,
      error: "Kata sandi admin minimal 12 karakter.",
    });
    expect(await createFirstAdmin({ phone: "081234567890", password: DEMO_PASSWORD.padEnd(14, "-") })).toMatchObject({
      ok: true,
    });
    // Made once: a second first admin is refused (others come from /admin/pengguna).
    expect(await createFirstAdmin({ phone: "081298765432", password: ADMIN_PASSWORD })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Admin sudah ada/),
    });
    await db.delete(users);
    expect(await createFirstAdmin({ phone: "081234567890", password: DEMO_PASSWORD })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Kata sandi demo/),
    });
    const made = await createFirstAdmin({ phone: "0812 3456 7890", password: ADMIN_PASSWORD, name: "Admin Kutim" });
    expect(made).toEqual({ ok: true, id: expect.any(String), phone: "6281234567890", scopeCode: "ID" });
  });

  it("then starts; the admin signs in with that password; no demo account exists or signs in", async () => {
    await expect(boot(() => {})).resolves.toBeUndefined();
    expect(await demoSeeded()).toBe(false);
    const rows = await db.select({ role: users.role }).from(users);
    expect(rows).toEqual([{ role: "admin" }]);
    const demoPhones = DEMO_ACCOUNTS.map((a) => a.phone);
    expect(await db.select().from(users).where(inArray(users.phone, demoPhones))).toEqual([]);
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const res = await login("0" + a.phone.slice(2), DEMO_PASSWORD, `10.1.0.${i + 1}`);
      expect(res.status, a.phone).toBe(400);
    }
    expect((await login("081234567890", ADMIN_PASSWORD, "10.1.1.1")).status).toBe(302);
    // No demo banner: the root loader gives no demo password.
    const page = await call(root.loader, makeRequest("/masuk"));
    expect(page.data.demoPassword).toBeNull();
  }, 120_000);

  it("never takes demo data: the demo seed refuses this database and leaves it as it was", async () => {
    const refused = await seedDemo().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EnvError);
    expect((refused as Error).message).toMatch(/^Basis data ini dibuat untuk mode (pilot|produksi)/);
    await expect(claimInstanceMode("demo")).rejects.toThrow(/bukan demo/);
    expect(await demoSeeded()).toBe(false);
    expect(await db.select({ role: users.role }).from(users)).toEqual([{ role: "admin" }]);
  });
});

describe("the demo says it is one, on every page (app shell)", () => {
  /** The shell around a page, as the root Layout renders it (server-side, no JavaScript). */
  const render = (demoPassword: string | null) => {
    const props = { user: null, demoPassword } as Parameters<typeof AppShell>[0];
    return renderToString(createElement(MemoryRouter, null, createElement(AppShell, props, "isi")));
  };

  it("a banner with the published password when the root loader gives one; none otherwise", () => {
    const demo = render(DEMO_PASSWORD);
    expect(demo).toContain("Situs demo");
    expect(demo).toContain(DEMO_PASSWORD);
    expect(render(null)).not.toContain("Situs demo");
  });
});
