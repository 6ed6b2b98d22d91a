/**
 * The app's request handler in the test process, for whole pages as a phone receives them
 * (root layout, header, the route's page, the kader script tag): the real entry.server and
 * route modules in a Remix server build assembled here (no vite build needed), for the
 * routes listed. No route of these hydrates, so the client manifest only has to name them.
 */
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import * as entry from "~/entry.server";
import * as root from "~/root";

type RouteModule = Record<string, unknown>;

/** [route id, path, index?, module], children of root (flat routes). */
export type RouteSpec = [id: string, path: string | undefined, index: boolean, module: RouteModule];

export function appHandler(routes: RouteSpec[]): (request: Request) => Promise<Response> {
  const all: RouteSpec[] = [["root", "", false, root as RouteModule], ...routes];
  const build = {
    mode: "production",
    entry: { module: entry },
    routes: Object.fromEntries(
      all.map(([id, path, index, module]) => [
        id,
        { id, parentId: id === "root" ? undefined : "root", path, index: index || undefined, module },
      ]),
    ),
    assets: {
      version: "test",
      url: "/assets/manifest-test.js",
      entry: { module: "/assets/entry.client-test.js", imports: [] },
      routes: Object.fromEntries(
        all.map(([id, path, index, module]) => [
          id,
          {
            id,
            parentId: id === "root" ? undefined : "root",
            path,
            index: index || undefined,
            hasAction: "action" in module,
            hasLoader: "loader" in module,
            hasClientAction: false,
            hasClientLoader: false,
            hasErrorBoundary: "ErrorBoundary" in module,
            module: `/assets/${id.replace(/\W/g, "_")}-test.js`,
            imports: [],
          },
        ]),
      ),
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
    },
    isSpaMode: false,
  } as unknown as ServerBuild;
  const handle = createRequestHandler(build, "production");
  return (request) => handle(request, { clientIp: "203.0.113.7" } as never);
}
