/**
 * Operations of the built server (`node build/server.js`, the demo on the embedded database;
 * with DATABASE_URL, the demo on PostgreSQL with two workers): /healthz apart from /readyz,
 * /metrics behind METRICS_TOKEN, one JSON log line per request without names or phone
 * numbers, and the drain after SIGTERM. Started by tests/support/built-server.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import { matchRoutes } from "@remix-run/react";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeBranches, routeIdOf } from "~/request-log.server";
import { type BuiltServer, ensureBuild, running, startBuiltServer, stopAll } from "./support/built-server";

const postgresUrl = process.env.DATABASE_URL; // the database tests/setup.ts made for this file
const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-ops-"));
const TOKEN = "metrik-rahasia-0123456789abcdef";
/** A demo kader (app/demo/demo.server.ts DEMO_ACCOUNTS): her name and number must never be logged. */
const KADER = { login: "081100000006", password: "posyandu-demo", name: "Dewi Lestari", scope: "64.08.01" };

/** Starts the built server (the demo) and resolves when it listens. */
async function start(extra: Record<string, string> = {}): Promise<BuiltServer> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    APP_URL: "http://akademi.test",
    AKADEMI_MODE: "demo",
    METRICS_TOKEN: TOKEN,
    ...(postgresUrl ? { DATABASE_URL: postgresUrl, WEB_CONCURRENCY: "2" } : { DATA_DIR: dataDir }),
    ...(process.env.DB_PREPARE ? { DB_PREPARE: process.env.DB_PREPARE } : {}),
    ...extra,
  };
  return running(await startBuiltServer(env));
}

interface LogLine {
  id: string;
  method: string;
  route: string;
  path: string;
  status: number;
  ms: number;
  role?: string;
  region?: string;
  err?: unknown;
  [k: string]: unknown;
}

/** The request lines (JSON) a server wrote to stdout after `from` characters, raw and parsed. */
function requestLines(s: BuiltServer, from = 0): { raw: string; line: LogLine }[] {
  return s
    .stdout()
    .slice(from)
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((raw) => ({ raw, line: JSON.parse(raw) as LogLine }))
    .filter((l) => l.line.msg === "request");
}

/** Waits until the server wrote the line of this request id. */
async function lineOf(s: BuiltServer, id: string | null): Promise<{ raw: string; line: LogLine }> {
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  let found: { raw: string; line: LogLine } | undefined;
  await expect
    .poll(() => (found = requestLines(s).find((l) => l.line.id === id)), { timeout: 5_000, interval: 50 })
    .toBeDefined();
  return found!;
}

function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: new URL(url).origin, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
}

/** A GET whose body is kept as the bytes sent (node:http: no decompression), with `Accept-Encoding` when given. */
function getRaw(
  url: string,
  headers: Record<string, string>,
  encoding?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: encoding ? { ...headers, "Accept-Encoding": encoding } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

let server: BuiltServer;
beforeAll(async () => {
  ensureBuild();
  server = await start();
}, 400_000);
afterAll(async () => {
  await stopAll(15_000);
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`operations of the built server (${postgresUrl ? "PostgreSQL, 2 workers" : "embedded database"})`, () => {
  it("the route id of a request: the build's routes ranked once agree with Remix's matchRoutes, in a few µs", async () => {
    const build = (await import(path.resolve("build/server/index.js"))) as ServerBuild;
    const branches = routeBranches(build.routes);
    type Node = { id: string; path?: string; index?: boolean; children?: Node[] };
    const tree = (parent: string | undefined): Node[] =>
      Object.values(build.routes)
        .filter((r) => r.parentId === parent)
        .map((r) => {
          const children = r.index ? [] : tree(r.id);
          return { id: r.id, path: r.path, index: r.index, ...(children.length ? { children } : {}) };
        });
    const routes = tree(undefined) as Parameters<typeof matchRoutes>[0];
    const paths = [
      "/",
      "/masuk",
      "/masuk/",
      "/modul/gizi-balita",
      "/modul/gizi-balita/kuis",
      "/dasbor/64.08",
      "/dasbor/64.08/posyandu/12",
      "/sesi/12/absensi",
      "/sesi/3/absensi.csv",
      "/admin/pengguna/abc",
      "/verifikasi/kunci",
      "/healthz",
      "/readyz",
      "/tidak-ada-halaman",
      "/modul/a/b/c/d",
    ];
    for (const p of paths) {
      const m = matchRoutes(routes, p);
      expect(routeIdOf(branches, p), p).toBe(m?.length ? m[m.length - 1].route.id : "404");
    }
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) routeIdOf(branches, paths[i % paths.length]);
    const ms = (performance.now() - t0) / n;
    console.log(`route id: ${(ms * 1000).toFixed(1)} µs per request (${branches.length} routes)`);
    expect(ms).toBeLessThan(0.1);
  }, 120_000);

  it("/healthz and /readyz answer 200; /metrics is 404 without the token or with another, 200 with it", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ok" });

    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { Authorization: "Bearer bukan-token-yang-benar-000" },
    });
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).not.toContain("akademi_");
  });

  it("a kader's page: one JSON line with id (= X-Request-Id), route, status, duration, role and region; no name, no phone", async () => {
    const signedIn = await post(`${server.url}/masuk`, { login: KADER.login, password: KADER.password });
    expect(signedIn.status).toBe(302);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const loginLine = await lineOf(server, signedIn.headers.get("x-request-id"));
    expect(loginLine.line).toMatchObject({ method: "POST", route: "routes/masuk", status: 302 });

    const page = await fetch(`${server.url}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(KADER.name); // she sees her name; the log does not
    const { raw, line } = await lineOf(server, page.headers.get("x-request-id"));
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      route: "routes/_index",
      path: "/",
      status: 200,
      role: "kader",
      region: expect.stringMatching(new RegExp(`^${KADER.scope.replaceAll(".", "\\.")}`)),
    });
    expect(line.ms).toBeGreaterThan(0);
    for (const logged of [raw, loginLine.raw]) {
      for (const secret of [KADER.name, "Dewi", "Lestari", "81100000006", KADER.password]) {
        expect(logged).not.toContain(secret);
      }
    }
    expect(raw).not.toContain("stack");
  });

  it("a 404 and a 405 are one line each, without a stack, and nothing on stderr", async () => {
    const from = server.stdout().length;
    const errFrom = server.stderr().length;
    const missing = await fetch(`${server.url}/tidak-ada-halaman`);
    expect(missing.status).toBe(404);
    const notAllowed = await post(`${server.url}/verifikasi/kunci`, { a: "1" });
    expect(notAllowed.status).toBe(405);
    await lineOf(server, notAllowed.headers.get("x-request-id"));
    const lines = requestLines(server, from);
    expect(lines.map((l) => [l.line.status, l.line.method, l.line.path])).toEqual([
      [404, "GET", "/tidak-ada-halaman"],
      [405, "POST", "/verifikasi/kunci"],
    ]);
    expect(lines[0].line.route).toBe("404");
    expect(lines[0].line.id).toBe(missing.headers.get("x-request-id"));
    for (const l of lines) expect(l.raw).not.toMatch(/stack|"err"/);
    expect(server.stderr().slice(errFrom)).toBe("");
  });

  it("a write marks the browser (read-your-writes cookie, no replica needed); dashboard views after it are served from the cache", async () => {
    const signedIn = await post(`${server.url}/masuk`, { login: "081100000002", password: "posyandu-demo" });
    expect(signedIn.status).toBe(302);
    const set = signedIn.headers.getSetCookie();
    expect(set.some((c) => /^akademi_tulis=1; Max-Age=10;/.test(c))).toBe(true);
    // Views without the mark (more than 10 s later, as the cookie would expire): one computation per worker.
    const session = set.map((c) => c.split(";")[0]).filter((c) => !c.startsWith("akademi_tulis="));
    for (let i = 0; i < 6; i++) {
      const page = await fetch(`${server.url}/dasbor/64.02`, { headers: { Cookie: session.join("; ") } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/Angka dihitung pukul \d\d\.\d\d WITA/);
    }
    const metrics = await (
      await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).text();
    const count = (result: string) =>
      Number(new RegExp(`^akademi_dashboard_pages_total\\{result="${result}"\\} (\\d+)$`, "m").exec(metrics)?.[1] ?? 0);
    expect(count("miss")).toBeGreaterThanOrEqual(1);
    expect(count("miss")).toBeLessThanOrEqual(2); // one per worker
    expect(count("hit")).toBe(6 - count("miss"));
  });

  it("a dashboard view: its cached content spliced in as one gzip member, or plain without gzip; the same page", async () => {
    const signedIn = await post(`${server.url}/masuk`, { login: "081100000002", password: "posyandu-demo" });
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .filter((c) => !c.startsWith("akademi_tulis="))
      .join("; ");
    // Computed by the first views (one per worker), then served from the cache.
    const view = (encoding?: string) => getRaw(`${server.url}/dasbor/64.02`, { Cookie: cookie }, encoding);
    for (let i = 0; i < 3; i++) await view("gzip");
    const gz = await view("gzip, deflate, br");
    const plain = await view();
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const page = gunzipSync(gz.body).toString("utf8"); // checks the trailer's CRC-32 and length
    expect(page).toMatch(/<h1[^>]*>Dasbor Kabupaten Kutai Kartanegara<\/h1>/);
    expect(page).toMatch(/Angka dihitung pukul \d\d\.\d\d WITA/);
    expect(page).toContain("</table>");
    expect(page.match(/<\/html>/g)).toHaveLength(1);
    expect(page).not.toContain("<!--isi");
    // The same page both ways, but for the per-response nonce.
    const unnonced = (s: string) => s.replace(/nonce="[^"]*"/g, "");
    expect(unnonced(plain.body.toString("utf8"))).toBe(unnonced(page));
  });

  it("the stylesheet and the kader script: brotli 11 for brotli clients, gzip 9 for gzip clients, both made once; the file itself otherwise; 404 for no such file", async () => {
    const raw = (p: string, encoding?: string) => getRaw(`${server.url}${p}`, {}, encoding);
    const login = (await raw("/masuk")).body.toString("utf8");
    const css = /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(login)?.[1];
    expect(css).toBeDefined();
    const signedIn = await post(`${server.url}/masuk`, { login: KADER.login, password: KADER.password });
    const home = await fetch(`${server.url}/`, {
      headers: {
        Cookie: signedIn.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; "),
      },
    });
    const js = /<script src="(\/assets\/[^"]+\.js)"/.exec(await home.text())?.[1];
    expect(js).toBeDefined();
    for (const p of [css!, js!]) {
      const file = readFileSync(path.join("build/client", p));
      const gz = await raw(p, "gzip, deflate");
      expect(gz.status).toBe(200);
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(gz.headers["cache-control"]).toMatch(/immutable/);
      expect(gunzipSync(gz.body).equals(file)).toBe(true);
      expect(gz.body.length).toBe(gzipSync(file, { level: 9 }).length);
      // A browser over HTTPS sends this: brotli at its highest quality, smaller than gzip 9.
      const br = await raw(p, "gzip, deflate, br, zstd");
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.headers.vary).toMatch(/Accept-Encoding/);
      expect(brotliDecompressSync(br.body).equals(file)).toBe(true);
      expect(br.body.length).toBe(
        brotliCompressSync(file, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: file.length,
          },
        }).length,
      );
      expect(br.body.length).toBeLessThan(gz.body.length * 0.96);
      expect((await raw(p, "br;q=0, gzip")).headers["content-encoding"]).toBe("gzip");
      const plain = await raw(p);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.equals(file)).toBe(true);
    }
    expect((await raw("/assets/tidak-ada-ABC123.css", "gzip")).status).toBe(404);
  });

  it("a module page: brotli for a browser over HTTPS, smaller than gzip (the middleware's own quality 4 was larger)", async () => {
    const signedIn = await post(`${server.url}/masuk`, { login: KADER.login, password: KADER.password });
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const url = `${server.url}/modul/pemantauan-pertumbuhan-stunting`;
    const br = await getRaw(url, { Cookie: cookie }, "gzip, deflate, br, zstd");
    const gz = await getRaw(url, { Cookie: cookie }, "gzip, deflate");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const page = brotliDecompressSync(br.body).toString("utf8");
    expect(page).toMatch(/<h1[^>]*>Pemantauan pertumbuhan dan stunting<\/h1>/);
    // The same page both ways, but for the per-response nonce.
    const unnonced = (s: string) => s.replace(/nonce="[^"]*"/g, "");
    expect(unnonced(page)).toBe(unnonced(gunzipSync(gz.body).toString("utf8")));
    expect(br.body.length).toBeLessThan(gz.body.length * 0.98);
  });

  it("/metrics with the token: request histograms by route id and method, status counts, certificates, pool, memory", async () => {
    const page = await fetch(`${server.url}/masuk`);
    await page.text();
    await lineOf(server, page.headers.get("x-request-id")); // counted when its line is written
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /^akademi_http_request_duration_seconds_bucket\{le="0\.1",route="routes\/masuk",method="GET"\} \d+$/m,
    );
    expect(text).toMatch(/^akademi_http_request_duration_seconds_count\{route="routes\/_index",method="GET"\} [1-9]/m);
    expect(text).toMatch(/^akademi_http_responses_total\{route="404",method="GET",status="404"\} [1-9]/m);
    expect(text).toMatch(/^akademi_http_responses_total\{route="routes\/masuk",method="POST",status="302"\} [1-9]/m);
    // The demo seed issued certificates in the process that serves (the embedded database has
    // one); on PostgreSQL a child seeds and the workers start at 0.
    expect(text).toMatch(
      postgresUrl ? /^akademi_certificates_issued_total \d+$/m : /^akademi_certificates_issued_total [1-9]\d*$/m,
    );
    expect(text).toMatch(/^akademi_db_pool_size [1-9]\d*$/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]/m);
    expect(text).toMatch(/^# TYPE akademi_rollup_refresh_seconds histogram$/m);
    // The scrape itself is not a request of the app: no line.
    expect(requestLines(server).filter((l) => l.line.path === "/metrics")).toEqual([]);
  });

  it("SIGTERM: the request in flight completes, a new connection is refused, a request on the open connection gets 503, exit 0", async () => {
    // A login whose body is still arriving when SIGTERM comes: in flight, without any test hook.
    const body = new URLSearchParams({ login: KADER.login, password: KADER.password }).toString();
    const socket = connect(server.port, "127.0.0.1");
    let received = "";
    socket.on("data", (c) => (received += c.toString()));
    const closed = new Promise<void>((r) => socket.on("close", () => r()));
    await new Promise<void>((r) => socket.once("connect", () => r()));
    const host = `127.0.0.1:${server.port}`;
    socket.write(
      `POST /masuk HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 6)}`,
    );
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));

    // The listener is closed: a new connection is refused (with workers, possibly a 503 until the last one closes).
    const fresh = await fetch(`${server.url}/healthz`).then(
      (r) => r.status,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
    );
    console.log(`after SIGTERM, a new connection: ${fresh}`);
    if (postgresUrl) expect(["ECONNREFUSED", 503]).toContain(fresh);
    else expect(fresh).toBe("ECONNREFUSED");

    // The rest of the login, and right behind it on the same connection a second request.
    socket.write(`${body.slice(6)}GET /readyz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await closed;
    const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
    expect(statuses, received).toEqual([302, 503]);
    expect(received).toMatch(/^Set-Cookie: ap_sesi=/im); // the login went through
    const second = received.slice(received.lastIndexOf("HTTP/1.1 503"));
    expect(second).toMatch(/^Retry-After: \d+\r$/im);
    expect(second).toMatch(/^Connection: close\r$/im);

    expect(await server.exited).toBe(0);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`drain: exit 0 ${seconds.toFixed(1)} s after SIGTERM`);
    expect(seconds).toBeLessThan(15);
    const drainedLine = requestLines(server).find((l) => l.line.status === 503);
    expect(drainedLine?.line).toMatchObject({ route: "draining", path: "/readyz" });
  }, 60_000);

  it("/healthz does no database work, /readyz does (every SQL statement logged: DB_LOG=1)", async () => {
    const s = await start({ DB_LOG: "1" });
    const queries = (from: number) =>
      s
        .stdout()
        .slice(from)
        .split("\n")
        .filter((l) => l.startsWith("Query: ")).length;
    await new Promise((r) => setTimeout(r, 500)); // start-up queries of the workers done
    let from = s.stdout().length;
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(200);
    await lineOf(s, health.headers.get("x-request-id"));
    expect(queries(from)).toBe(0);
    from = s.stdout().length;
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    await lineOf(s, ready.headers.get("x-request-id"));
    expect(queries(from)).toBeGreaterThan(0);
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  }, 300_000);
});
