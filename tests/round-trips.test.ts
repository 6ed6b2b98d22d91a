/**
 * Issue 23, capacity: the database round trips of the busiest pages, counted at the
 * embedded database's client (every statement a page sends goes through its `query`).
 * A page is its root loader and its route loader, run at once as Remix runs them (they
 * share the session lookup). Each count is the page as it must stay:
 *   - the header's place comes with the session (app/auth.server.ts sessionLookup);
 *   - the quiz page reads attempts, certificates, progress and grants in one query
 *     (app/features/learning/quiz.server.ts quizFacts);
 *   - a dashboard served from its cache reads nothing but the session: the region's
 *     existence is checked when the page is computed, the scope on the code first
 *     (app/features/reporting/dashboard-page.server.tsx).
 * PostgreSQL's driver is not counted here: the same code runs on both.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db, dbKind } from "~/db.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { kaderProgrammes } from "~/features/catalogue/content.server";
import * as root from "~/root";
import * as dasbor from "~/routes/dasbor.$region._index";
import * as modulePage from "~/routes/modul.$slug._index";
import * as quizInfo from "~/routes/modul.$slug.kuis._index";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

type Loader = Parameters<typeof call>[0];

/** Statements sent while `fn` runs (PGlite's client; transactions are not used by these pages). */
async function statements(fn: () => Promise<unknown>): Promise<number> {
  const client = (db as unknown as { $client: { query: (...a: unknown[]) => Promise<unknown> } }).$client;
  const query = client.query;
  let n = 0;
  client.query = function (this: unknown, ...a: unknown[]) {
    n++;
    return query.apply(this, a);
  };
  try {
    await fn();
  } finally {
    client.query = query;
  }
  return n;
}

/** One page view: the root loader and the route's, at once; both must answer 200. */
async function page(loader: Loader, path: string, cookie: string, params: Record<string, string> = {}) {
  const [r, p] = await Promise.all([
    call(root.loader, makeRequest(path, { cookie })),
    call(loader, makeRequest(path, { cookie }), params),
  ]);
  expect([r.status, p.status]).toEqual([200, 200]);
  return { root: r, route: p };
}

const DESA = "64.08.01.2001";
let kaderCookie: string;
let dpmdCookie: string;
let slug: string;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  slug = kaderProgrammes()[0].requiredModules[0];
  const pos = await makePosyandu({ name: "Posyandu Hitung", desaCode: DESA });
  kaderCookie = await sessionCookie((await makeUser({ role: "kader", scopeCode: DESA, posyanduId: pos })).id);
  dpmdCookie = await sessionCookie((await makeUser({ role: "dpmd", scopeCode: "64.08" })).id);
}, 120_000);

describe.skipIf(dbKind() !== "pglite")("round trips per page", () => {
  it("the header's place comes with the session: the root loader sends one statement", async () => {
    let out: Awaited<ReturnType<typeof call>> | undefined;
    expect(
      await statements(async () => (out = await call(root.loader, makeRequest("/", { cookie: kaderCookie })))),
    ).toBe(1);
    expect(out?.data.user.place).toMatch(/^Posyandu Hitung · /);
  });

  it("a module page read before: the session and her progress", async () => {
    await page(modulePage.loader, `/modul/${slug}`, kaderCookie, { slug }); // the first open records it
    expect(await statements(() => page(modulePage.loader, `/modul/${slug}`, kaderCookie, { slug }))).toBe(2);
  });

  it("the quiz page: the session, and attempts, certificates, progress and grants in one query", async () => {
    expect(await statements(() => page(quizInfo.loader, `/modul/${slug}/kuis`, kaderCookie, { slug }))).toBe(2);
  });

  it("a dashboard served from its cache reads only the session", async () => {
    await page(dasbor.loader, "/dasbor/64.08", dpmdCookie, { region: "64.08" }); // computed
    expect(await statements(() => page(dasbor.loader, "/dasbor/64.08", dpmdCookie, { region: "64.08" }))).toBe(1);
  });
});

describe("dashboard codes checked before the region is read", () => {
  it("outside one's scope 403 whether or not the region exists; inside, an unknown code 404", async () => {
    const view = (code: string) =>
      call(dasbor.loader, makeRequest(`/dasbor/${code}`, { cookie: dpmdCookie }), { region: code });
    expect((await view("64.02")).status).toBe(403);
    expect((await view("64.99")).status).toBe(403);
    expect((await view("64.08.99")).status).toBe(404);
    expect((await view("64.08.99")).status).toBe(404); // a failed page is not kept
    expect((await view("64.08.x")).status).toBe(404);
  });
});
