/**
 * One home per decision (issue 22), on the database: the session page counts as present the
 * statuses programme.yaml names, and the region pickers keep their scope after moving to
 * withinScope. Runs on a copy of content/ whose programme counts only "hadir".
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = mkdtempSync(path.join(tmpdir(), "akademi-present-"));
cpSync("content", root, { recursive: true });
const programmeFile = path.join(root, "programme.yaml");
const yaml = readFileSync(programmeFile, "utf8");
if (!yaml.includes("statuses: [hadir, terlambat]")) throw new Error("programme.yaml: attendance.statuses changed");
writeFileSync(programmeFile, yaml.replace("statuses: [hadir, terlambat]", "statuses: [hadir]"));
process.env.CONTENT_DIR = root;

const { db } = await import("~/db.server");
const { attendance, workshops } = await import("~/db/schema");
const { makeUser } = await import("~/demo/factories.server");
const { desaOptions, desaPicker } = await import("~/features/regions/regions.server");
const sesiDetail = await import("~/routes/sesi.$id._index");
const { call, makeRequest, sessionCookie, setupDatabase } = await import("./helpers");

beforeAll(async () => {
  await setupDatabase();
});

describe("the session page's present count", () => {
  it("counts the statuses of programme.yaml, not a list of its own", async () => {
    const pembina = await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.01" });
    const start = new Date(Date.now() - 2 * 3600_000);
    const [w] = await db
      .insert(workshops)
      .values({
        title: "Pelatihan Kader Muara Ancalong",
        kind: "pelatihan",
        audience: "kader",
        regionCode: "64.08.01",
        venue: "Aula Kantor Camat",
        startsAt: start,
        endsAt: new Date(start.getTime() + 4 * 3600_000),
        capacity: 30,
        status: "published",
        createdBy: pembina.id,
      })
      .returning({ id: workshops.id });
    const statuses = ["hadir", "terlambat", "izin"] as const;
    for (const status of statuses) {
      const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2001" });
      await db
        .insert(attendance)
        .values({ workshopId: w.id, userId: k.id, status, method: "roster", recordedBy: pembina.id });
    }
    const cookie = await sessionCookie(pembina.id);
    const page = await call(sesiDetail.loader, makeRequest(`/sesi/${w.id}`, { cookie }), { id: String(w.id) });
    expect(page.status).toBe(200);
    // This programme counts only hadir: the late kader is not present (it was with hadir/terlambat spelled in the route).
    expect(page.data.present).toBe(1);
  });
});

describe("region pickers scoped by withinScope", () => {
  it("offer only desa and kecamatan inside the scope, the scope's own code included", async () => {
    const desa = await desaOptions("64.08.01");
    expect(desa.length).toBeGreaterThan(0);
    expect(desa.every((d) => d.code.startsWith("64.08.01."))).toBe(true);
    expect((await desaOptions("64.08.01.2001")).map((d) => d.code)).toEqual(["64.08.01.2001"]);
    const picker = await desaPicker("64.08");
    expect(picker.kecamatanOptions.length).toBeGreaterThan(0);
    expect(picker.kecamatanOptions.every((k) => k.code.startsWith("64.08."))).toBe(true);
    expect(await desaOptions("64.0")).toEqual([]); // a prefix that is not a region's code matches nothing
  });
});
