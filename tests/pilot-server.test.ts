/**
 * The built server (`node build/server.js`, what `npm start` runs) as an operator runs a
 * real deployment: AKADEMI_MODE=pilot on the embedded database (on PostgreSQL, production).
 * No demo accounts or banner; the first admin from `npm run setup`; each security header
 * once; 404 and 405 logged as one line; a restart with another CERT_SIGNING_KEY refused
 * until `npm run key:rotate`, after which the old certificate still verifies.
 */
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltServer, ensureBuild, randomPort, running, startBuiltServer, stopAll } from "./support/built-server";

const postgresUrl = process.env.DATABASE_URL; // the database tests/setup.ts made for this file
const dataDir = mkdtempSync(path.join(tmpdir(), "akademi-pilot-"));
const newKey = () => generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const KEY_A = newKey();
const KEY_B = newKey();
const ADMIN = { phone: "081234567890", password: "Pilot-Kutim-2026!" };
const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

/** The environment of every process of this instance: only these variables. */
function instanceEnv(key: string, port?: number, workers = 1): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    ...(port ? { PORT: String(port) } : {}),
    APP_URL: "http://akademi.test",
    CERT_SIGNING_KEY: key,
    SESSION_SECRET: "6f1d9a3c8e2b4f7a0c5d1e9b3a7f2c4e6d8b0a2c4e6f8a1b",
    ...(postgresUrl
      ? { DATABASE_URL: postgresUrl, WEB_CONCURRENCY: String(workers) }
      : { AKADEMI_MODE: "pilot", DATA_DIR: dataDir }),
    // Behind PgBouncer in transaction mode (CI's third pass) the children must not prepare either.
    ...(process.env.DB_PREPARE ? { DB_PREPARE: process.env.DB_PREPARE } : {}),
  };
}

/** Starts the built server; resolves when it listens, or with its exit status and output when it stops first. */
function start(key: string, { port = randomPort(), workers = 1 } = {}) {
  return startBuiltServer(instanceEnv(key, port, workers), { port });
}

function script(file: string, args: string[], key: string, input?: string) {
  const r = spawnSync(process.execPath, [TSX, file, ...args], {
    env: instanceEnv(key),
    input,
    encoding: "utf8",
    timeout: 180_000,
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: new URL(url).origin, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
}

let server: BuiltServer | undefined;
beforeAll(() => ensureBuild(), 300_000);
afterAll(async () => {
  await stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`the built server, ${postgresUrl ? "production on PostgreSQL" : "AKADEMI_MODE=pilot"}`, () => {
  it(postgresUrl
    ? "starts without an admin and says how to make one"
    : "does not start without its first admin: one line, exit 78", async () => {
    const s = await start(KEY_A);
    if (postgresUrl) {
      expect(running(s).stdout()).toMatch(/Belum ada admin: .*npm run setup -- --admin 08/);
      await running(s).stop();
    } else {
      expect("url" in s, "the pilot started without an admin").toBe(false);
      const stopped = s as { status: number; stderr: string };
      expect(stopped.status).toBe(78);
      expect(stopped.stderr).toMatch(/^Belum ada admin: .*npm run setup -- --admin 08[^\n]*$/);
    }
  }, 300_000);

  it("npm run setup makes the first admin with the password given to it (typed, or here piped)", () => {
    const r = script(
      "scripts/setup.ts",
      ["--admin", ADMIN.phone, "--nama", "Admin Kutim"],
      KEY_A,
      `${ADMIN.password}\n`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Admin pertama dibuat: 081234567890 \(wilayah ID/);
    const again = script("scripts/setup.ts", ["--admin", "081298765432"], KEY_A, `${ADMIN.password}\n`);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/Admin sudah ada/);
  }, 300_000);

  it("serves without demo: no banner, no demo account; the admin signs in; each header once; 404 and 405 as one line", async () => {
    server = running(await start(KEY_A));
    const page = await fetch(`${server.url}/masuk`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("Situs demo");
    expect((await post(`${server.url}/masuk`, { login: "081100000001", password: "posyandu-demo" })).status).toBe(400);
    const signedIn = await post(`${server.url}/masuk`, { login: ADMIN.phone, password: ADMIN.password });
    expect(signedIn.status).toBe(302);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

    // fetch joins a header sent twice with ", ": "nosniff, nosniff".
    for (const [p, h] of [
      ["/masuk", {}],
      ["/", { Cookie: cookie }],
      ["/verifikasi/kunci", {}],
      ["/verifikasi/kunci", { Cookie: cookie }],
      ["/favicon.svg", {}],
    ] as [string, Record<string, string>][]) {
      const res = await fetch(server.url + p, { headers: h });
      expect(res.status, p).toBe(200);
      expect(res.headers.get("x-content-type-options"), p).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), p).toBe("DENY");
      expect(res.headers.get("referrer-policy"), p).toBe("same-origin");
      if (h.Cookie) expect(res.headers.get("cache-control"), p).toBe("private, no-store");
    }
    expect((await fetch(`${server.url}/verifikasi/kunci`)).headers.get("cache-control")).toBe("public, max-age=3600");

    // One JSON request line each (app/request-log.server.ts), no stack, nothing on stderr.
    const before = server.stderr().length;
    const outBefore = server.stdout().length;
    expect((await fetch(`${server.url}/tidak-ada-halaman`)).status).toBe(404);
    expect((await post(`${server.url}/verifikasi/kunci`, { a: "1" })).status).toBe(405);
    await new Promise((r) => setTimeout(r, 300));
    // (The line of a request above may land after outBefore: its body was not read.)
    const lines = server.stdout().slice(outBefore).trim().split("\n");
    const logged = lines
      .map((l) => JSON.parse(l) as { status: number; method: string; path: string })
      .filter((l) => l.path === "/tidak-ada-halaman" || l.method === "POST");
    expect(logged.map((l) => `${l.status} ${l.method} ${l.path}`)).toEqual([
      "404 GET /tidak-ada-halaman",
      "405 POST /verifikasi/kunci",
    ]);
    expect(lines.join("\n")).not.toContain("stack");
    expect(server.stderr().slice(before)).toBe("");
    await server.stop();
    server = undefined;
  }, 300_000);

  it("a restart with another CERT_SIGNING_KEY is refused in one line; after key:rotate the old certificate verifies", async () => {
    const issued = script("tests/support/issue-certificate.ts", ["Fitri Handayani"], KEY_A);
    expect(issued.status, issued.stderr).toBe(0);
    const cert = JSON.parse(issued.stdout.split("\n").pop()!) as { code: string; signature: string; kid: string };
    expect(cert.code).toMatch(/^AP-/);

    const refused = await start(KEY_B);
    expect("url" in refused, "the server started with another signing key").toBe(false);
    const stopped = refused as { status: number; stderr: string };
    expect(stopped.status).toBe(78);
    expect(stopped.stderr).toMatch(/^CERT_SIGNING_KEY bukan kunci yang menandatangani[^\n]*npm run key:rotate[^\n]*$/);
    expect(stopped.stderr).toContain(cert.kid);

    const rotated = script("scripts/key-rotate.ts", [], KEY_B);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`^Kunci penandatangan diganti: ${cert.kid} -> [0-9a-f]{16}\\.`));

    server = running(await start(KEY_B));
    const check = await fetch(`${server.url}/verifikasi/${cert.code}?s=${cert.signature}`);
    expect(check.status).toBe(200);
    expect(await check.text()).toContain("Sertifikat ini asli dan masih berlaku.");
    const keys = (await (await fetch(`${server.url}/verifikasi/kunci`)).json()) as { keys: { kid: string }[] };
    expect(keys.keys.map((k) => k.kid)).toHaveLength(2);
    expect(keys.keys[1].kid).toBe(cert.kid);
  }, 600_000);

  it("killed with SIGKILL (then the service manager starts it again): nothing is left holding the port or the data", async () => {
    await server?.stop();
    const port = randomPort();
    // On PostgreSQL a primary with two workers: killing the primary must not leave them serving.
    const first = running(await start(KEY_B, { port, workers: 2 }));
    expect((await fetch(`${first.url}/masuk`)).status).toBe(200);
    const dead = new Promise((r) => first.child.once("exit", r));
    first.child.kill("SIGKILL");
    await dead;
    await expect
      .poll(
        () =>
          fetch(`${first.url}/masuk`).then(
            () => "serving",
            () => "down",
          ),
        { timeout: 15_000, interval: 250 },
      )
      .toBe("down");
    // What Restart=always does: the same command again, same port, same data.
    server = running(await start(KEY_B, { port, workers: 2 }));
    expect((await fetch(`${server.url}/masuk`)).status).toBe(200);
  }, 300_000);
});
