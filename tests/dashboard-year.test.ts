/**
 * The dashboard's year filter counts years in WITA (REPORTING_ZONE), like every other date on
 * the dashboard: from 00.00 WITA on 1 January (16.00 UTC the day before) the new year is offered.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { sessions } from "~/db/schema";
import { makeUser } from "~/demo/factories.server";
import * as dasbor from "~/routes/dasbor.$region._index";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

beforeAll(async () => {
  await setupDatabase();
});
afterEach(() => {
  vi.useRealTimers();
});

async function yearsAt(iso: string) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
  const dpmd = await makeUser({ role: "dpmd", scopeCode: "64.08" });
  const cookie = await sessionCookie(dpmd.id);
  // The session's age is measured from its created_at (the database's clock): as if signed in just now.
  await db.update(sessions).set({ createdAt: new Date() }).where(eq(sessions.userId, dpmd.id));
  const res = await call(dasbor.loader, makeRequest("/dasbor/64.08", { cookie }), { region: "64.08" });
  expect(res.status).toBe(200);
  return { years: res.data.years as number[], today: res.data.today as string };
}

describe("dashboard year list", () => {
  it("00.30 WITA on 1 January 2027 (16.30 UTC on 31 December): 2027 first", async () => {
    expect(await yearsAt("2026-12-31T16:30:00Z")).toEqual({ years: [2027, 2026, 2025], today: "2027-01-01" });
  });

  it("23.30 WITA on 31 December 2026: still 2026", async () => {
    expect(await yearsAt("2026-12-31T15:30:00Z")).toEqual({ years: [2026, 2025, 2024], today: "2026-12-31" });
  });
});
