/**
 * The first minutes of a workshop: 300 kader log in at once from the venue's one address
 * (POST /masuk, argon2id verify).
 *   DATABASE_URL=postgres://… npm run bench:login   (a throw-away database, dropped afterwards)
 * BENCH_LOGINS (300) sets the burst, WEB_CONCURRENCY (1) the app processes.
 * Prints the argon2id parameters, the CPU cost of one verify in this process, and two bursts:
 * - phones that signed in before (each carries its device cookie, `ap_perangkat`, as after
 *   /aktivasi or any earlier login): p50/p95/max, wall time, errors and server CPU;
 * - the same burst from browsers that never signed in: the address limit checks 50 + 12 at
 *   once and asks the rest to wait (429, "tunggu N detik"), which is what it is for.
 */
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import postgres from "postgres";
import { benchDatabase, load, percentile, processUsage, startServer } from "./server";

// The app's parameters (app/auth.server.ts ARGON2): OWASP's argon2id minimum, m=19 MiB, t=2, p=1.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const N = Number(process.env.BENCH_LOGINS ?? 300);
const PASSWORD = "kata-sandi-kader-123";

const pg = await benchDatabase();
if (!pg) {
  console.error("bench:login needs DATABASE_URL (PostgreSQL): the accounts are written straight into the database.");
  process.exit(2);
}
const sql = postgres(pg.url, { max: 2, onnotice: () => {} });
const server = await startServer({ DATABASE_URL: pg.url, WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? "1" });
try {
  const passwordHash = await hash(PASSWORD, ARGON2);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) await verify(passwordHash, PASSWORD);
  const c1 = process.cpuUsage(c0);
  console.log(
    `argon2id m=${ARGON2.memoryCost} KiB t=${ARGON2.timeCost} p=${ARGON2.parallelism}: one verify ${((performance.now() - t0) / 10).toFixed(1)} ms wall, ` +
      `${((c1.user + c1.system) / 10 / 1000).toFixed(1)} ms CPU (this machine, now)`,
  );
  const phones: string[] = [];
  const users = Array.from({ length: N }, (_, i) => {
    const phone = `62877${String(i).padStart(7, "0")}`;
    phones.push(phone);
    return {
      id: randomBytes(8).toString("hex").slice(0, 15),
      name: `Kader Masuk ${i}`,
      phone,
      password_hash: passwordHash,
      role: "kader",
      scope_code: "64.08.01.2001",
      spm_bidang: "kesehatan",
      active: true,
    };
  });
  await sql`insert into users ${sql(users)}`;

  const post = (phone: string, cookie?: string) =>
    fetch(`${server.baseUrl}/masuk`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: server.baseUrl,
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: new URLSearchParams({ login: phone, password: PASSWORD }),
    });

  // Each phone signed in once before (a few at a time, as on ordinary days).
  const device = new Map<string, string>();
  await load(4, N, async (i) => {
    const res = await post(phones[i]);
    await res.arrayBuffer();
    const c = res.headers.getSetCookie().find((v) => v.startsWith("ap_perangkat="));
    if (res.status !== 302 || !c) throw new Error(`warm-up login failed: ${res.status}`);
    device.set(phones[i], c.split(";")[0]);
  });

  async function burst(withDevice: boolean) {
    const u0 = processUsage(server.pid);
    const start = performance.now();
    const times: number[] = [];
    const status = new Map<string, number>();
    await Promise.all(
      phones.map(async (phone) => {
        const t = performance.now();
        const res = await post(phone, withDevice ? device.get(phone) : undefined).catch(() => null);
        await res?.arrayBuffer();
        times.push(performance.now() - t);
        const k = res?.status === 302 && res.headers.get("set-cookie") ? "ok" : String(res?.status ?? "network");
        status.set(k, (status.get(k) ?? 0) + 1);
      }),
    );
    const wall = (performance.now() - start) / 1000;
    const cpu = processUsage(server.pid).cpuSeconds - u0.cpuSeconds;
    times.sort((a, b) => a - b);
    return { wall, cpu, times, status };
  }

  const known = await burst(true);
  const errors = N - (known.status.get("ok") ?? 0);
  console.log(
    `${N} logins at once, phones that signed in before (WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? 1}): all done in ${known.wall.toFixed(1)} s, ` +
      `p50 ${(percentile(known.times, 50) / 1000).toFixed(1)} s, p95 ${(percentile(known.times, 95) / 1000).toFixed(1)} s, ` +
      `max ${(known.times[known.times.length - 1] / 1000).toFixed(1)} s, errors ${errors}, ` +
      `server CPU ${known.cpu.toFixed(1)} s = ${((known.cpu * 1000) / N).toFixed(1)} ms per login`,
  );
  const fresh = await burst(false);
  console.log(
    `${N} logins at once from browsers that never signed in, one address: ${fresh.status.get("ok") ?? 0} in at once, ` +
      `${fresh.status.get("429") ?? 0} asked to wait (429), other ${N - (fresh.status.get("ok") ?? 0) - (fresh.status.get("429") ?? 0)}; ` +
      `done in ${fresh.wall.toFixed(1)} s`,
  );
  if (errors) process.exitCode = 1;
} finally {
  await server.stop();
  await sql.end();
  await pg.drop();
}
