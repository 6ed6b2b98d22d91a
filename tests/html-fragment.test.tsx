/**
 * Issue 23, dashboard views: a cached dashboard's content is a fragment spliced into each
 * response (app/html-fragment.server.ts) instead of being copied by React and gzip-compressed
 * again on every view. The splice must give exactly the page, as one gzip member any client
 * decodes, or plain when the client takes no gzip. (The built server's answer, both ways:
 * tests/operations.test.ts.)
 */
import { gunzipSync } from "node:zlib";
import type { AppLoadContext } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "~/demo/factories.server";
import { renderToStaticMarkup } from "react-dom/server";
import { FragmentSlot } from "~/components/fragment-slot";
import { NonceContext } from "~/components/nonce";
import { acceptsGzip, HtmlFragment, spliceFragment } from "~/html-fragment.server";
import { fragmentMarker } from "~/lib/fragment-marker";
import Dasbor, * as dasbor from "~/routes/dasbor.$region._index";
import { makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { renderPage } from "./support/render-page";

const MARK = fragmentMarker("n0nce");

describe("spliceFragment", () => {
  // Multi-byte text (·, –, ≥, Indonesian names) and a fragment long enough for several deflate blocks.
  const content = Array.from(
    { length: 900 },
    (_, i) => `<tr><td>Desa ${i} · Kec. Muara–${i % 7}</td><td>≥ ${(i * 37) % 101} %</td></tr>`,
  ).join("");
  const fragment = new HtmlFragment(content);
  const cases: [string, string][] = [
    ["<!DOCTYPE html><html><body><header>Halo, Ibu Sri</header><main>", "</main><footer>©</footer></body></html>"],
    ["", "</main>"],
    ["<main>", ""],
    ["", ""],
  ];

  it.each(cases)("gzip and plain give the page with the fragment in place (%#)", (before, after) => {
    const page = Buffer.from(before + MARK + after);
    const expected = before + content + after;
    const gz = spliceFragment(page, MARK, fragment, true)!;
    expect(gz.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
    // gunzipSync checks the CRC-32 and the length of the trailer.
    expect(gunzipSync(gz).toString("utf8")).toBe(expected);
    expect(spliceFragment(page, MARK, fragment, false)!.toString("utf8")).toBe(expected);
    // The fragment is compressed once, and much smaller than its bytes.
    expect(fragment.deflated.length).toBeLessThan(fragment.bytes.length / 4);
  });

  it("a page without the marker, or with it twice, is left alone (null)", () => {
    expect(spliceFragment(Buffer.from("<p>galat</p>"), MARK, fragment, true)).toBeNull();
    expect(spliceFragment(Buffer.from(`${MARK}<p>${MARK}`), MARK, fragment, true)).toBeNull();
    // Another response's marker (another nonce) is not this one.
    expect(spliceFragment(Buffer.from(fragmentMarker("lain")), MARK, fragment, false)).toBeNull();
  });

  it("acceptsGzip reads Accept-Encoding as browsers and proxies send it", () => {
    expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.8")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip;q=0, *")).toBe(false);
    expect(acceptsGzip("*;q=0, gzip")).toBe(true);
    expect(acceptsGzip("GZIP ; q=0.5")).toBe(true);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip("br")).toBe(false);
    expect(acceptsGzip(null)).toBe(false);
    expect(acceptsGzip("")).toBe(false);
  });
});

describe("the dashboard route hands its content over as a fragment", () => {
  let cookie: string;
  beforeAll(async () => {
    await setupDatabase();
    cookie = await sessionCookie((await makeUser({ role: "dpmd", scopeCode: "64.08" })).id);
  }, 120_000);

  it("the loader hands the content to the request; the page has the marker in its place when the server renders it", async () => {
    const context = { clientIp: "203.0.113.7" } as AppLoadContext;
    const data = await dasbor.loader({
      request: makeRequest("/dasbor/64.08", { cookie }),
      params: { region: "64.08" },
      context,
    });
    // In process (tests, benchmarks): every figure and the content.
    expect(data.rows.length).toBeGreaterThan(0);
    expect(data.html).toContain("</table>");
    expect(context.htmlFragment?.html).toBe(data.html);
    // Rendered for a response (entry.server gives the nonce): the marker, not the content.
    const served = renderToStaticMarkup(
      <NonceContext.Provider value="n0nce">
        <FragmentSlot className="space-y-4" html={data.html} />
      </NonceContext.Provider>,
    );
    expect(served).toBe(`<section class="space-y-4">${MARK}</section>`);
    // Anywhere else, the content itself.
    const html = await renderPage(Dasbor, data, "/dasbor/64.08");
    expect(html).toContain("</table>");
    expect(html).not.toContain("<!--isi");
  });
});
