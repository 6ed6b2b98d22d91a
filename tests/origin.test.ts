/** Every route with an action rejects a cross-site POST before doing anything. */
import { beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { db } from "~/db.server";
import { auditLog } from "~/db/schema";
import { makeUser } from "~/demo/factories.server";
import { isSameOriginRequest } from "~/lib/http";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const routes = import.meta.glob<{ action?: Function }>("../app/routes/*.{ts,tsx}", { eager: true });
const withAction = Object.entries(routes).filter(([, m]) => typeof m.action === "function");

let adminCookie: string;
beforeAll(async () => {
  await setupDatabase();
  const admin = await makeUser({ role: "admin", scopeCode: "64", password: "sandi-admin-1" });
  adminCookie = await sessionCookie(admin.id);
});

describe("cross-site POST", () => {
  it("finds the mutating routes", () => {
    expect(withAction.length).toBeGreaterThanOrEqual(8);
  });

  it.each(withAction.map(([file, m]) => [file.replace("../app/routes/", ""), m] as const))(
    "%s rejects a foreign Origin",
    async (_file, m) => {
      const [{ n: before }] = await db.select({ n: count() }).from(auditLog);
      for (const headers of [
        { Origin: "https://evil.example" },
        { Origin: "null" },
        { "Sec-Fetch-Site": "cross-site" },
      ] as Record<string, string>[]) {
        const req = makeRequest("/x/1", {
          cookie: adminCookie,
          form: { name: "Serangan", login: "081100000001", password: "x" },
          origin: null,
          headers,
        });
        const res = await call(m.action as never, req, { id: "1" });
        expect(res.status).toBe(403);
        expect(res.data).toMatch(/Permintaan ditolak/);
      }
      const [{ n: after }] = await db.select({ n: count() }).from(auditLog);
      expect(after).toBe(before);
    },
  );
});

describe("isSameOriginRequest", () => {
  it("accepts same-origin posts, safe methods and non-browser clients", () => {
    expect(isSameOriginRequest(makeRequest("/masuk", { form: {} }))).toBe(true);
    expect(isSameOriginRequest(makeRequest("/masuk", { form: {}, origin: null }))).toBe(true);
    expect(
      isSameOriginRequest(
        makeRequest("/masuk", { form: {}, origin: null, headers: { "Sec-Fetch-Site": "same-origin" } }),
      ),
    ).toBe(true);
    expect(
      isSameOriginRequest(new Request("http://localhost:3000/", { headers: { Origin: "https://evil.example" } })),
    ).toBe(true);
  });
  it("rejects another host, even a sibling port", () => {
    expect(isSameOriginRequest(makeRequest("/masuk", { form: {}, origin: "http://localhost:3001" }))).toBe(false);
    expect(isSameOriginRequest(makeRequest("/masuk", { form: {}, origin: "not a url" }))).toBe(false);
  });
});
