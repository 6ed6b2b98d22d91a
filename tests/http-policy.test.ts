/**
 * The HTTP server's own checks (app/http-policy.server.ts), on a real Express app with
 * the same middleware and trust-proxy setting as server.ts, before any Remix handler.
 */
import type { AddressInfo } from "node:net";
import { request as httpRequest } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "~/entry.server";
import { bodyLimit, httpPolicy, trustProxySetting } from "~/http-policy.server";
import { FORM_BODY_LIMIT } from "~/lib/http";
import { publicOrigin } from "~/lib/url";

let base: string;
let server: ReturnType<ReturnType<typeof express>["listen"]>;
let reached = 0;

beforeAll(async () => {
  const app = express();
  app.set("trust proxy", trustProxySetting(1));
  app.use(httpPolicy);
  // What the Remix adapter does with a Response's headers (@remix-run/express: res.append for
  // each), for a route that names its own caching and a header the policy also sets.
  app.get("/sendiri", (_req, res) => {
    res.append("Cache-Control", "public, max-age=3600");
    res.append("X-Content-Type-Options", "nosniff");
    res.append("Content-Type", "text/plain");
    res.end("ok");
  });
  app.all("*", (req, res) => {
    reached++;
    res.type("text/plain").send(`ok ${req.ip}`);
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

/** A raw request (fetch would refuse some of these headers or encode the path). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + "/", { method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const FORM = "application/x-www-form-urlencoded";

describe("before Remix", () => {
  it("a cross-site POST is 403 with the Indonesian message, and never reaches the app", async () => {
    const before = reached;
    for (const h of [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site" },
    ] as Record<string, string>[]) {
      const res = await raw("POST", "/masuk", { ...h, "Content-Type": FORM, "Content-Length": 6 }, "login=");
      expect(res.status).toBe(403);
      expect(res.body).toMatch(/Permintaan ditolak/);
    }
    expect(reached).toBe(before);
  });

  it("a body over the limit is 413 before it is read; uploads have their own limit", async () => {
    const res = await raw("POST", "/masuk", { "Content-Type": FORM, "Content-Length": 200 * 1024 * 1024 });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/terlalu besar/);
    expect(bodyLimit("/masuk")).toBe(FORM_BODY_LIMIT);
    expect(bodyLimit("/admin/impor")).toBeGreaterThan(10 * 1024 * 1024);
    expect(bodyLimit("/admin/impor/")).toBe(bodyLimit("/admin/impor"));
  });

  it("a chunked body without a length is refused", async () => {
    const res = await raw("POST", "/masuk", { "Content-Type": FORM, "Transfer-Encoding": "chunked" }, "login=x");
    expect(res.status).toBe(411);
  });

  it("JSON, text and multipart without boundary are 415", async () => {
    for (const type of ["application/json", "text/plain", "multipart/form-data"]) {
      const res = await raw("POST", "/masuk", { "Content-Type": type, "Content-Length": 2 }, "{}");
      expect(res.status, type).toBe(415);
      expect(res.body).toMatch(/formulir/);
    }
    const ok = await raw("POST", "/masuk", { "Content-Type": FORM, "Content-Length": 7 }, "login=x");
    expect(ok.status).toBe(200);
  });

  it("a NUL byte or control character in the path or query is 400", async () => {
    for (const path of [
      "/verifikasi/%00",
      "/admin/pengguna?q=%00",
      "/masuk?redirectTo=%2F%0D%0ALocation:x",
      "/%E0%A4%A",
    ]) {
      const res = await raw("GET", path, {});
      expect(res.status, path).toBe(400);
    }
    expect((await raw("GET", "/verifikasi/AP-2026", {})).status).toBe(200);
  });

  it("security headers on every answer; private, no-store for a signed-in browser", async () => {
    const anon = await raw("GET", "/", {});
    expect(anon.headers["x-content-type-options"]).toBe("nosniff");
    expect(anon.headers["referrer-policy"]).toBe("same-origin");
    expect(anon.headers["x-frame-options"]).toBe("DENY");
    expect(anon.headers["cache-control"]).toBeUndefined();
    const signedIn = await raw("GET", "/dasbor/64.csv", { Cookie: "a=1; ap_sesi=abc" });
    expect(signedIn.headers["cache-control"]).toBe("private, no-store");
    // The hashed build assets keep their immutable caching for signed-in browsers too.
    const asset = await raw("GET", "/assets/root-abc123.css", { Cookie: "ap_sesi=abc" });
    expect(asset.headers["cache-control"]).toBeUndefined();
  });

  it('each header once: a route\'s own value does not add a second one ("nosniff, nosniff")', async () => {
    for (const cookie of [undefined, "ap_sesi=abc"]) {
      const res = await raw("GET", "/sendiri", cookie ? { Cookie: cookie } : {});
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      // Signed in: never stored, whatever the route says; anonymous: the route's own caching.
      expect(res.headers["cache-control"]).toBe(cookie ? "private, no-store" : "public, max-age=3600");
    }
  });

  it("TRUST_PROXY=1 takes the address the proxy saw, not the client's left-most X-Forwarded-For", async () => {
    const res = await raw("GET", "/", { "X-Forwarded-For": "198.51.100.9, 203.0.113.50" });
    expect(res.body).toBe("ok 203.0.113.50");
    expect(trustProxySetting(0)).toBe(false);
  });
});

describe("Content-Security-Policy and links", () => {
  it("scripts only from our origin or with the response's nonce; no framing", () => {
    const csp = contentSecurityPolicy("abc123", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("form-action 'self'");
  });

  it("public links come from APP_URL only", () => {
    expect(publicOrigin("https://akademi.example.id/")).toBe("https://akademi.example.id");
  });
});
