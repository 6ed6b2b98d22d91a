/**
 * The two Remix patches of issue 23 (patches/@remix-run+router+1.23.3.patch and
 * patches/@remix-run+server-runtime+2.17.5.patch), in the CommonJS files Node loads for the
 * server: route branches ranked once per routes array and patterns compiled once (the server
 * matched every request three times over all routes), and the loader data encoded for the
 * browser only when a page renders <Scripts/> (none does: root.tsx). Their speed is measured by
 * bench:dashboard-http and bench:quiz-load; this file holds that they are applied and that
 * matching still ranks and matches as before.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const routerFile = require.resolve("@remix-run/router");
const runtimeFile = require.resolve("@remix-run/server-runtime").replace(/index\.js$/, "server.js");
// The CommonJS router, as the built server loads it (not Vite's ESM copy for the browser).
const router = require(routerFile) as typeof import("@remix-run/router");

describe("the Remix patches", () => {
  it("are applied to the files the server loads (npm ci runs patch-package)", () => {
    expect(routerFile).toMatch(/router\.cjs\.js$/);
    const r = readFileSync(routerFile, "utf8");
    expect(r).toContain("function rankedBranches(routes)");
    expect(r).toContain("const compiledPaths = new Map();");
    const s = readFileSync(runtimeFile, "utf8");
    expect(s.match(/serverHandoffStream: lazyHandoffStream\(/g)).toHaveLength(2);
  });

  it("ranked branches kept per routes array still match the most specific route, every time", () => {
    const routes = [
      {
        id: "root",
        path: "/",
        children: [
          { id: "index", index: true },
          { id: "dasbor", path: "dasbor/:region" },
          { id: "dasbor-csv", path: "dasbor/:region/csv" },
          { id: "modul", path: "modul/:slug" },
          { id: "modul-kuis", path: "modul/:slug/kuis" },
          { id: "istilah", path: "istilah" },
          { id: "splat", path: "*" },
        ],
      },
    ];
    const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id);
    for (let i = 0; i < 3; i++) {
      expect(ids("/")).toEqual(["root", "index"]);
      expect(ids("/dasbor/64.02")).toEqual(["root", "dasbor"]);
      expect(ids("/dasbor/64.02/csv")).toEqual(["root", "dasbor-csv"]);
      expect(ids("/modul/spm-sosial/kuis")).toEqual(["root", "modul-kuis"]);
      expect(ids("/istilah")).toEqual(["root", "istilah"]);
      expect(ids("/tidak/ada")).toEqual(["root", "splat"]);
    }
    expect(router.matchRoutes(routes, "/dasbor/64.02")?.[1].params).toEqual({ region: "64.02" });
    // Another array (as RemixServer makes per request) is ranked on its own.
    const other = [{ id: "a", path: "/a/:x" }];
    expect(router.matchRoutes(other, "/a/1")?.map((m) => m.route.id)).toEqual(["a"]);
    expect(router.matchRoutes(other, "/dasbor/64")).toBeNull();
  });

  it("compiled patterns are kept per pattern, case sensitivity and end", () => {
    expect(router.matchPath({ path: "/Dasbor/:r", caseSensitive: true }, "/dasbor/64")).toBeNull();
    expect(router.matchPath({ path: "/Dasbor/:r", caseSensitive: false }, "/dasbor/64")?.params).toEqual({ r: "64" });
    expect(router.matchPath({ path: "/dasbor", end: false }, "/dasbor/64")?.pathnameBase).toBe("/dasbor");
    expect(router.matchPath({ path: "/dasbor", end: true }, "/dasbor/64")).toBeNull();
  });
});
