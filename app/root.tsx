import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteLoaderData } from "@remix-run/react";
import { getUser } from "~/auth.server";
import { AppShell } from "~/components/app-shell";
import { DEMO_PASSWORD } from "~/demo/demo.server";
import { env } from "~/env.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { styleArea } from "~/styles/areas";
import dasborStylesheet from "~/styles/dasbor.css?url";
import kaderStylesheet from "~/styles/kader.css?url";
import kaderLainStylesheet from "~/styles/kader-lain.css?url";
import staffStylesheet from "~/styles/staff.css?url";
import kaderScript from "~/client/kader.js?url";

// The stylesheets are chosen by route in Layout (kader.css with kader-lain.css, dasbor.css or staff.css: ~/styles/areas).
export const links: LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

const STYLESHEETS = {
  modul: [kaderStylesheet],
  kader: [kaderStylesheet, kaderLainStylesheet],
  dasbor: [dasborStylesheet],
  staff: [staffStylesheet],
};

/** Kader pages and dashboards get small sheets built from their own files; a module page one. */
function useStylesheets(): string[] {
  return STYLESHEETS[styleArea(useMatches().map((m) => m.id))];
}

export const meta: MetaFunction = () => [{ title: "Akademi Posyandu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    user: user ? { id: user.id, name: user.name, role: user.role, place: user.place } : null,
    // Demo mode: every page says so, with the password everyone knows (README, Quick start).
    demoPassword: env().DEMO ? DEMO_PASSWORD : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/**
 * Pages work without JavaScript; a route that needs the client runtime says so with
 * `export const handle = { hydrate: true }`. Everywhere else no JS is sent at all.
 */
function useHydrate(): boolean {
  return useMatches().some((m) => (m.handle as { hydrate?: boolean } | undefined)?.hydrate === true);
}

/** Print pages (`export const handle = { bare: true }`) render without the navigation shell. */
function useBare(): boolean {
  return useMatches().some((m) => (m.handle as { bare?: boolean } | undefined)?.bare === true);
}

export function Layout({ children }: { children: React.ReactNode }) {
  const hydrate = useHydrate();
  const nonce = useNonce();
  const bare = useBare();
  const data = useRouteLoaderData<RootData>("root");
  const stylesheets = useStylesheets();
  return (
    <html lang="id">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#065f46" />
        <Meta />
        {stylesheets.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
        <Links />
      </head>
      <body>
        {bare ? (
          children
        ) : (
          <AppShell user={data?.user ?? null} demoPassword={data?.demoPassword ?? null}>
            {children}
          </AppShell>
        )}
        {/* Kader only: the offline outbox (each item names its account: data-akun) and the service worker. */}
        {data?.user?.role === "kader" && !bare ? <script src={kaderScript} data-akun={data.user.id} defer /> : null}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
