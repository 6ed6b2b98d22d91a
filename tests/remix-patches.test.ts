/**
 * The Remix patches of issue 23 (patches/@remix-run+router+1.23.3.patch,
 * patches/@remix-run+server-runtime+2.17.5.patch, patches/@remix-run+react+2.17.5.patch and
 * patches/react-router-dom+6.30.4.patch), in the CommonJS files Node loads for the server:
 * route branches ranked once per routes array and patterns compiled once (the server matched
 * every request three times over all routes); the loader data encoded for the browser only
 * when a page renders <Scripts/> (none does: root.tsx); and the route objects RemixServer
 * renders from made once per build instead of per request, so its match, the third, reuses
 * the ranked branches as well. Their speed is measured by
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
const remixRoutesFile = require.resolve("@remix-run/react").replace(/index\.js$/, "routes.js");
const remixServerFile = require.resolve("@remix-run/react").replace(/index\.js$/, "server.js");
const staticRouterFile = require.resolve("react-router-dom/server");

describe("the Remix patches", () => {
  it("are applied to the files the server loads (npm ci runs patch-package)", () => {
    expect(routerFile).toMatch(/router\.cjs\.js$/);
    const r = readFileSync(routerFile, "utf8");
    expect(r).toContain("function rankedBranches(routes)");
    expect(r).toContain("const compiledPaths = new Map();");
    const s = readFileSync(runtimeFile, "utf8");
    expect(s.match(/serverHandoffStream: lazyHandoffStream\(/g)).toHaveLength(2);
    expect(readFileSync(remixServerFile, "utf8")).toContain("routes.createServerRoutesOnce(manifest.routes");
    expect(readFileSync(staticRouterFile, "utf8")).toContain("const dataRoutesOnce = new WeakMap();");
  });

  it("RemixServer's routes and the static router's data routes are made once per build, and still match", async () => {
    const { createServerRoutesOnce } = require(remixRoutesFile) as {
      createServerRoutesOnce: (m: unknown, modules: unknown, future: unknown, spa: boolean) => { id: string }[];
    };
    const { createStaticHandler, createStaticRouter } = require(
      staticRouterFile,
    ) as typeof import("react-router-dom/server");
    const manifest = {
      root: { id: "root", path: "", hasLoader: false },
      "routes/dasbor": { id: "routes/dasbor", parentId: "root", path: "dasbor/:region", hasLoader: false },
      "routes/istilah": { id: "routes/istilah", parentId: "root", path: "istilah", hasLoader: false },
    };
    const modules = {
      root: { default: () => null },
      "routes/dasbor": { default: () => null },
      "routes/istilah": { default: () => null },
    };
    const routes = createServerRoutesOnce(manifest, modules, {}, false);
    // The same build: the same array, request after request; another build: its own.
    expect(createServerRoutesOnce(manifest, { ...modules }, {}, false)).toBe(routes);
    expect(createServerRoutesOnce({ ...manifest }, modules, {}, false)).not.toBe(routes);
    const render = async (path: string) => {
      const handler = createStaticHandler(routes as never);
      const context = await handler.query(new Request(`http://x${path}`));
      if (context instanceof Response) throw context;
      return createStaticRouter(routes as never, context);
    };
    const a = await render("/dasbor/64.02");
    const b = await render("/istilah");
    expect(b.routes).toBe(a.routes);
    expect(a.state.matches.map((m) => m.route.id)).toEqual(["root", "routes/dasbor"]);
    expect(a.state.matches[1].params).toEqual({ region: "64.02" });
    expect(b.state.matches.map((m) => m.route.id)).toEqual(["root", "routes/istilah"]);
    // The matches point at the static router's own data routes (what it renders).
    expect(a.state.matches[1].route).toBe(a.routes[0].children?.[0]);
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
