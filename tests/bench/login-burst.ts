/**
 * The first minutes of a workshop: 300 kader log in at once (POST /masuk, argon2id verify).
 *   DATABASE_URL=postgres://… npm run bench:login   (a throw-away database, dropped afterwards)
 * BENCH_LOGINS (300) sets the burst, WEB_CONCURRENCY (1) the app processes.
 * Prints the argon2id parameters, the CPU cost of one verify in this process, and the
 * burst's p50/p95/max, wall time, errors and server CPU.
 */
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import postgres from "postgres";
import { benchDatabase, percentile, processUsage, startServer } from "./server";

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

  const u0 = processUsage(server.pid);
  const start = performance.now();
  const times: number[] = [];
  let errors = 0;
  await Promise.all(
    phones.map(async (phone) => {
      const t = performance.now();
      const res = await fetch(`${server.baseUrl}/masuk`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl },
        body: new URLSearchParams({ login: phone, password: PASSWORD }),
      }).catch(() => null);
      await res?.arrayBuffer();
      times.push(performance.now() - t);
      if (res?.status !== 302 || !res.headers.get("set-cookie")) errors++;
    }),
  );
  const wall = (performance.now() - start) / 1000;
  const cpu = processUsage(server.pid).cpuSeconds - u0.cpuSeconds;
  times.sort((a, b) => a - b);
  console.log(
    `${N} logins at once (WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? 1}): all done in ${wall.toFixed(1)} s, p50 ${(percentile(times, 50) / 1000).toFixed(1)} s, ` +
      `p95 ${(percentile(times, 95) / 1000).toFixed(1)} s, max ${(times[times.length - 1] / 1000).toFixed(1)} s, errors ${errors}, ` +
      `server CPU ${cpu.toFixed(1)} s = ${((cpu * 1000) / N).toFixed(1)} ms per login`,
  );
} finally {
  await server.stop();
  await sql.end();
  await pg.drop();
}
