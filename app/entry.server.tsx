import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { ServerFaultContext } from "~/components/error-boundary";
import { closeDb, type ServerFault, serverFault } from "~/db.server";
import { env } from "~/env.server";
import { acceptsGzip, spliceFragment } from "~/html-fragment.server";
import { fragmentMarker } from "~/lib/fragment-marker";
import { inRequest, noteRequestError, noteRequestFault } from "~/request-log.server";
import { stopItemFold } from "~/features/projection/projection.server";
export { startupErrorMessage } from "~/db.server";

// The server (server.js) calls these through the build.
export { boot } from "~/boot.server";
export { env };
export { isPublicFilePath, rewriteSuffixUrl } from "~/lib/suffix-url";
export { httpPolicy, trustProxySetting } from "~/http-policy.server";
export { compressedAssets } from "~/static-compressed.server";
export { RESPONSE_BROTLI_LGWIN, RESPONSE_BROTLI_QUALITY, RESPONSE_GZIP_LEVEL } from "~/lib/gzip-level";
export { requestLog } from "~/request-log.server";
export { METRICS_REQUEST, METRICS_RESPONSE, metricsEndpoint } from "~/metrics.server";
export { startItemFold } from "~/features/projection/projection.server";
/** At the end of the drain: no more item folds, then the database closes. */
export async function shutdown(): Promise<void> {
  stopItemFold();
  await closeDb();
}

const ABORT_DELAY = 5_000;

/** Seconds a client is asked to wait when the database cannot be reached (a restart takes a few): server.ts. */
export const RETRY_AFTER_SECONDS = 5;

/** The one log line of a request that failed because of the server (serverFault). */
const FAULT_LOG: Record<ServerFault["kind"], string> = {
  "database-unavailable": "Basis data tidak dapat dihubungi",
  "disk-full": "Penyimpanan server penuh",
};

/**
 * Every error of a loader, action or render. One that only says PostgreSQL cannot be
 * reached (a restart, a failover) or the disk is full (serverFault) marks the request, so
 * it answers 503 with Retry-After or 507 and a page that says why instead of 500, and is
 * logged as one line instead of a stack; so are the router's own 404 and 405. In the
 * server each request is one JSON line (app/request-log.server.ts): an error with its stack
 * goes into that line (printed here only outside a request: a script, a test), a 404 or 405
 * is that line alone, and a fault is named in it as well as in its own line on stderr.
 */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs): void {
  if (request.signal.aborted) return;
  // No route for the path (404) or no action for the method (405): the client's mistake, one line.
  if (isRouteErrorResponse(error) && error.status < 500) {
    // In the server its request line says it (status 404 or 405): nothing more.
    if (!inRequest()) console.error(`${error.status} ${request.method} ${new URL(request.url).pathname}`);
    return;
  }
  const fault = serverFault(error);
  if (fault) {
    if (context) context.serverFault = fault;
    // Also on stderr, as one line an operator (or an alert on the journal) reads as it is.
    noteRequestFault(fault.kind, fault.code);
    console.error(`${FAULT_LOG[fault.kind]} (${fault.code}): ${request.method} ${new URL(request.url).pathname}`);
    return;
  }
  if (!noteRequestError(error)) console.error(error);
}

/**
 * Content-Security-Policy of every page. Scripts only from our origin (the service
 * worker, the client build) or inline with this response's nonce (what Remix emits on a
 * route with `handle.hydrate`); no framing; forms post only to us.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    dev ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The error page says why; server.ts turns the status into the fault's 503 (with
  // Retry-After) or 507, for every response, resource routes included.
  const fault = responseStatusCode >= 500 ? (loadContext?.serverFault?.kind ?? null) : null;
  const nonce = randomBytes(16).toString("base64");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Aborts a render that hangs; cleared once the page is done (tests/entry-server.test.tsx):
    // a timer left running held the render, and the page's bytes, for ABORT_DELAY after the answer.
    let timer: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerFaultContext.Provider value={fault}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </ServerFaultContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        // The whole page, then one body: no route suspends (no defer, no Suspense), so waiting
        // for all of it costs nothing, and one buffer is one gzip call and one socket write where
        // React's stream made hundreds of small ones (zlib and socket writes were ~16% of a
        // dashboard worker's CPU: bench:dashboard-http profile).
        onAllReady() {
          shellRendered = true;
          const body = new PassThrough();
          const chunks: Buffer[] = [];
          body.on("data", (c: Buffer) => chunks.push(c));
          body.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
          });
          body.on("end", () => {
            clearTimeout(timer);
            let page = Buffer.concat(chunks);
            // A pre-rendered part of the page (a cached dashboard's content) goes in at its marker,
            // gzip-compressed once (app/html-fragment.server.ts); the compression middleware then
            // leaves the answer as it is.
            const fragment = loadContext?.htmlFragment;
            if (fragment) {
              const gzip = env().COMPRESS && acceptsGzip(request.headers.get("Accept-Encoding"));
              const spliced = spliceFragment(page, fragmentMarker(nonce), fragment, gzip);
              if (spliced) {
                page = spliced;
                if (gzip) responseHeaders.set("Content-Encoding", "gzip");
                if (env().COMPRESS) responseHeaders.append("Vary", "Accept-Encoding");
              }
            }
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            // nosniff, Referrer-Policy and X-Frame-Options: httpPolicy sets them on every answer.
            responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
            resolve(new Response(page, { headers: responseHeaders, status: responseStatusCode }));
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    timer = setTimeout(abort, ABORT_DELAY);
  });
}
