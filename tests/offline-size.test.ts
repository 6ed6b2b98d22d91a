/**
 * Issue 21, item 10.6: "Simpan semua modul (N KB)" says what storing costs. The label is the
 * data a phone downloads for exactly the pages the button stores: each page of the list
 * /modul/simpan answers, fetched through the app (whole HTML documents, as the page script
 * fetches them with X-Simpan: 1) and gzipped as server.ts sends them (RESPONSE_GZIP_LEVEL). Within 5%.
 */
import { gzipSync } from "node:zlib";
import { RESPONSE_GZIP_LEVEL } from "~/lib/gzip-level";
import { beforeAll, describe, expect, it } from "vitest";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { syncModuleVersions } from "~/features/catalogue/content.server";
import { offlineSize } from "~/features/learning/offline.server";
import * as home from "~/routes/_index";
import * as istilah from "~/routes/istilah";
import * as luring from "~/routes/luring";
import * as modulePage from "~/routes/modul.$slug._index";
import * as attemptPage from "~/routes/modul.$slug.kuis.$attemptId";
import * as quizPage from "~/routes/modul.$slug.kuis._index";
import * as modulList from "~/routes/modul._index";
import * as simpan from "~/routes/modul.simpan";
import { takeQuiz } from "./certification-helpers";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { appHandler } from "./support/app-handler";

const app = appHandler([
  ["routes/_index", undefined, true, home],
  ["routes/modul._index", "modul", true, modulList],
  ["routes/luring", "luring", false, luring],
  ["routes/istilah", "istilah", false, istilah],
  ["routes/modul.$slug._index", "modul/:slug", true, modulePage],
  ["routes/modul.$slug.kuis._index", "modul/:slug/kuis", true, quizPage],
  ["routes/modul.$slug.kuis.$attemptId", "modul/:slug/kuis/:attemptId", false, attemptPage],
]);

let posId: number;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  posId = await makePosyandu({ name: "Posyandu Kenanga", desaCode: "64.08.01.2003" });
});

/** Bytes on the wire for one stored page (gzip at RESPONSE_GZIP_LEVEL, as server.ts compresses). */
async function wireBytes(url: string, cookie: string): Promise<{ status: number; gzip: number; raw: number }> {
  const res = await app(new Request(`http://localhost:3000${url}`, { headers: { Cookie: cookie, "X-Simpan": "1" } }));
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, gzip: gzipSync(body, { level: RESPONSE_GZIP_LEVEL }).length, raw: body.length };
}

/** The pages "Simpan semua modul" stores for her, and what they weigh. */
async function stored(cookie: string) {
  const bundle = await call(simpan.action, makeRequest("/modul/simpan", { cookie, form: {} }));
  const urls = JSON.parse(bundle.data).urls as string[];
  const pages = [];
  for (const url of urls) pages.push({ url, ...(await wireBytes(url, cookie)) });
  return pages;
}

async function labelBytes(cookie: string): Promise<number> {
  const list = await call(modulList.loader, makeRequest("/modul", { cookie }));
  const m = /^([\d.]+) KB$/.exec(list.data.offline);
  if (!m) throw new Error(`label ${list.data.offline}`);
  return Number(m[1].replace(/\./g, "")) * 1024;
}

describe("Simpan semua modul: the size shown", () => {
  it.each([
    ["a new kader (every quiz still open)", 0],
    ["a kader who passed some quizzes", 4],
  ])("matches the pages stored within 5%%: %s", async (_, passed) => {
    const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2003", posyanduId: posId });
    const cookie = await sessionCookie(k.id);
    const { content } = await import("~/features/catalogue/content.server");
    for (const slug of content().defaultProgramme.requiredModules.slice(0, passed)) await takeQuiz(k.id, slug);
    const pages = await stored(cookie);
    for (const p of pages) expect(p.status, p.url).toBe(200);
    const total = pages.reduce((a, p) => a + p.gzip, 0);
    const estimate = await offlineSize(k.id);
    console.log(
      `${pages.length} pages, ${total} bytes gzip (${pages.reduce((a, p) => a + p.raw, 0)} raw); estimate ${estimate}; label ${await labelBytes(cookie)}`,
    );
    expect(Math.abs(estimate - total) / total).toBeLessThanOrEqual(0.05);
    const label = await labelBytes(cookie);
    expect(Math.abs(label - total) / total).toBeLessThanOrEqual(0.05);
  });
});
