/**
 * One home per decision (issue 22): each of these is decided or spelled in one place, which
 * the others import. Pure checks: no database.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseKind, parseEnv } from "~/env.server";
import { FRESH_COOKIE, FRESH_SECONDS, FRESH_SET_COOKIE, hasFreshCookie } from "~/read-your-writes.server";
import * as rule from "~/features/certification/rule";
import { addMonthsWita, endOfDayWita, tanggalWita } from "~/lib/timezone";
import { content } from "~/features/catalogue/content.server";
import { presentStatuses } from "~/features/catalogue/present";
import { programmeSchema } from "~/features/catalogue/content-schema";

const read = (f: string) => readFileSync(f, "utf8");
const PG = "postgres://u:p@localhost:5432/akademi";

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(name)) yield p.split(path.sep).join("/");
  }
}

describe("PGlite or PostgreSQL: databaseKind (app/env.server.ts)", () => {
  it("is PostgreSQL exactly when DATABASE_URL is set, and the instance mode follows it", () => {
    expect(databaseKind({ DATABASE_URL: PG })).toBe("postgres");
    expect(databaseKind({ DATABASE_URL: undefined })).toBe("pglite");
    const pg = parseEnv({ NODE_ENV: "test", DATABASE_URL: PG });
    expect([databaseKind(pg), pg.MODE]).toEqual(["postgres", "production"]);
    // An empty value means unset: the embedded database.
    const embedded = parseEnv({ NODE_ENV: "test", DATABASE_URL: " " });
    expect([databaseKind(embedded), embedded.MODE]).toEqual(["pglite", "demo"]);
  });

  it("server.ts, app/env.server.ts and app/db.server.ts test DATABASE_URL only in databaseKind", () => {
    const decision =
      /!\s*[\w.()]*DATABASE_URL\b|DATABASE_URL\s*(\?|&&|\|\|)|Boolean\([^)]*DATABASE_URL|if \([\w.()]*DATABASE_URL\)/g;
    const found = ["server.ts", "app/env.server.ts", "app/db.server.ts"].flatMap((f) =>
      [...read(f).matchAll(decision)].map((m) => `${f}: ${m[0]}`),
    );
    expect(found).toEqual(["app/env.server.ts: DATABASE_URL ?"]);
    expect(read("server.ts")).toMatch(/databaseKind\(c\) === "pglite"/);
  });
});

describe("the read-your-writes cookie (app/read-your-writes.server.ts)", () => {
  it("server.ts sets the cookie onReplica reads, spelled once", () => {
    expect(FRESH_SET_COOKIE).toBe(`${FRESH_COOKIE}=1; Max-Age=${FRESH_SECONDS}; Path=/; HttpOnly; SameSite=Lax`);
    // What the browser sends back is what onReplica (app/db.server.ts) recognises.
    const sentBack = FRESH_SET_COOKIE.split(";")[0];
    expect(hasFreshCookie(sentBack)).toBe(true);
    expect(hasFreshCookie(`akademi_sesi=x; ${sentBack}`)).toBe(true);
    expect(hasFreshCookie(`x${sentBack}`)).toBe(false);
    expect(hasFreshCookie(null)).toBe(false);
    const server = read("server.ts");
    expect(server).toMatch(/res\.append\("Set-Cookie", FRESH_SET_COOKIE\)/);
    expect(server).not.toMatch(/akademi_tulis|Max-Age=/);
    expect(read("app/db.server.ts")).not.toMatch(/akademi_tulis|FRESH_COOKIE = /);
  });
});

describe("WITA helpers in app/lib/timezone.ts", () => {
  it("are defined there only (rule.ts neither defines nor re-exports them)", () => {
    expect(typeof tanggalWita).toBe("function");
    expect("addMonthsWita" in rule || "endOfDayWita" in rule || "tanggalWita" in rule).toBe(false);
    expect(read("app/features/certification/rule.ts")).not.toMatch(/function \w*Wita\b|offsetMinutes/);
  });

  it("endOfDayWita is the last millisecond of the WITA date", () => {
    expect(endOfDayWita(new Date("2025-03-12T02:00:00Z")).toISOString()).toBe("2025-03-12T15:59:59.999Z");
    // 01.00 WITA on 13 March is still 12 March in UTC.
    expect(endOfDayWita(new Date("2025-03-12T17:00:00Z")).toISOString()).toBe("2025-03-13T15:59:59.999Z");
    expect(endOfDayWita(addMonthsWita(new Date("2025-03-12T02:00:00Z"), 24)).toISOString()).toBe(
      "2027-03-12T15:59:59.999Z",
    );
  });
});

describe("the region scope in raw SQL is withinScope (app/db/scope.ts)", () => {
  it("no other file under app/ spells `= S or like S || '.%'` by hand", () => {
    // Left as they are, with their reason: reporting is another agent's (item analysis),
    // and the bundled boundaries count only codes strictly under the province.
    const allowed = new Set([
      "app/features/reporting/item-analysis.server.ts",
      "app/features/regions/boundaries.server.ts",
    ]);
    const spelled = [...sources("app")]
      .filter((f) => f !== "app/db/scope.ts" && !allowed.has(f))
      .flatMap((f) =>
        read(f)
          .split("\n")
          .filter((line) => /\blike\b/i.test(line) && /\.%/.test(line))
          .map((line) => `${f}: ${line.trim()}`),
      );
    expect(spelled).toEqual([]);
  });
});

describe("present = programme.yaml attendance.statuses (app/features/catalogue/present.ts)", () => {
  it("reads the programmes that count the session's kind, else the default programme", () => {
    expect([...presentStatuses(content(), "pelatihan")].sort()).toEqual(
      [...content().defaultProgramme.attendance.statuses].sort(),
    );
    const base = content().defaultProgramme;
    const strict = programmeSchema.parse({
      ...base,
      id: "strict",
      default: true,
      attendance: { kind: "pelatihan", statuses: ["hadir"], minSessions: 1 },
    });
    const visits = programmeSchema.parse({
      ...base,
      id: "visits",
      default: false,
      attendance: { kind: "pendampingan", statuses: ["hadir", "izin"], minSessions: 1 },
    });
    const catalogue = { programmes: [strict, visits], defaultProgramme: strict };
    expect([...presentStatuses(catalogue, "pelatihan")]).toEqual(["hadir"]);
    expect([...presentStatuses(catalogue, "pendampingan")].sort()).toEqual(["hadir", "izin"]);
    expect([...presentStatuses(catalogue, "sosialisasi")]).toEqual(["hadir"]);
  });
});
