/**
 * A route's page as the server renders it, without a browser: the real loader's data
 * (from `call()`) given to the route's component inside a static data router, rendered
 * to HTML. `pageText` gives what a reader sees (tags dropped, entities decoded, spaces
 * collapsed).
 */
import type { ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";

export async function renderPage(Component: ComponentType, data: unknown, path = "/"): Promise<string> {
  const routes = [{ id: "page", path: "*", loader: () => data as Record<string, unknown>, Component }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error(`the page answered ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

export async function pageText(Component: ComponentType, data: unknown, path = "/"): Promise<string> {
  return htmlText(await renderPage(Component, data, path));
}
