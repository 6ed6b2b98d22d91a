/** The demo data: every demo account logs in with the printed password and lands on a page for its role. */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { attendance, auditLog, certificates, moduleProgress, users, workshops } from "~/db/schema";
import { unsignedIssuance } from "~/features/certification/signatories.server";
import * as penandatangan from "~/routes/admin.penandatangan";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "~/demo/demo.server";
import { navFor } from "~/components/app-shell";
import { content } from "~/features/catalogue/content.server";
import * as home from "~/routes/_index";
import * as masuk from "~/routes/masuk";
import * as analisis from "~/routes/analisis-soal._index";
import * as analisisBank from "~/routes/analisis-soal.$slug._index";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

let seeded: Awaited<ReturnType<typeof seedDemo>>;
// The seed writes progress and attempts for 12 required modules per kader (8 before content
// v2): about 20 s alone, but beside the rest of the suite on a busy 2-core machine it
// passed 120 s once, so it gets 240 s.
beforeAll(async () => {
  await setupDatabase();
  seeded = await seedDemo();
}, 240_000);

describe("demo data", () => {
  it("creates posyandu in every desa of Kukar and Kutim and a few thousand kader, once", async () => {
    expect(seeded!.posyandu).toBeGreaterThan(379); // at least one per desa (237 + 142 desa)
    expect(seeded!.kader).toBeGreaterThan(2000);
    expect(await seedDemo()).toBeNull();
    const [{ n }] = await db.select({ n: count() }).from(users).where(eq(users.role, "kader"));
    expect(n).toBe(seeded!.kader + 3); // plus the three demo kader accounts (Dewi, Rina, Sari)
  });

  it("has workshops, attendance, progress and attempts, and a kader one quiz short of certification", async () => {
    expect(seeded!.workshops).toBeGreaterThanOrEqual(38 + 3); // one pelatihan per kecamatan, plus the showcase
    expect(seeded!.attendance).toBeGreaterThan(1000);
    expect(seeded!.progress).toBeGreaterThan(seeded!.attendance);
    expect(seeded!.attempts).toBeGreaterThan(100);
    const [rina] = await db.select().from(users).where(eq(users.phone, "6281100000008"));
    const progress = await db.select().from(moduleProgress).where(eq(moduleProgress.userId, rina.id));
    // Every required module read, every quiz but the programme's last one passed.
    const required = content().defaultProgramme.requiredModules;
    expect(required).toHaveLength(12);
    expect(progress.filter((p) => p.completedAt)).toHaveLength(required.length);
    expect(progress.filter((p) => p.passedAt).map((p) => p.slug)).not.toContain(required[required.length - 1]);
    expect(progress.filter((p) => p.passedAt)).toHaveLength(required.length - 1);
    const att = await db
      .select({ status: attendance.status, kind: workshops.kind })
      .from(attendance)
      .innerJoin(workshops, eq(workshops.id, attendance.workshopId))
      .where(eq(attendance.userId, rina.id));
    expect(att).toEqual([{ status: "hadir", kind: "pelatihan" }]);
  });

  it.each(DEMO_ACCOUNTS.map((a) => [a.role, a] as const))(
    "%s logs in and sees a page for the role",
    async (_role, account) => {
      const res = await call(
        masuk.action,
        makeRequest("/masuk", { form: { login: "0" + account.phone.slice(2), password: DEMO_PASSWORD } }),
        {},
        `10.0.0.${account.phone.slice(-1)}`,
      );
      expect(res.status).toBe(302);
      const cookie = res.headers.get("Set-Cookie")!.split(";")[0];
      const page = await call(home.loader, makeRequest("/", { cookie }));
      expect(page.status).toBe(200);
      if (account.role === "kader") {
        expect(page.data.kind).toBe("kader");
        expect(page.data.places).toContain("Muara Ancalong");
        expect(navFor("kader").map((n) => n.to)).toEqual(["/", "/modul", "/sesi", "/hadir", "/sertifikat"]);
      } else {
        expect(page.data.kind).toBe("area");
        expect(page.data.region.code).toBe(account.scope);
        expect(page.data.kader).toBeGreaterThan(0);
      }
    },
  );

  it("gives Analisis soal real figures: every bank has attempts, items discriminate, some are flagged", async () => {
    const [admin] = await db.select().from(users).where(eq(users.phone, DEMO_ACCOUNTS[0].phone));
    const cookie = await sessionCookie(admin.id);
    const res = await call(analisis.loader, makeRequest("/analisis-soal?dari=2020-01", { cookie }));
    expect(res.status).toBe(200);
    for (const b of res.data.banks) expect(b.attempts, b.slug).toBeGreaterThan(100);
    const slug = content().defaultProgramme.requiredModules[0];
    const bank = await call(analisisBank.loader, makeRequest(`/analisis-soal/${slug}?dari=2020-01`, { cookie }), {
      slug,
    });
    const items = bank.data.analysis.items as { discrimination: number | null; flags: string[]; facility: number }[];
    const positive = items.filter((i) => (i.discrimination ?? 0) > 0.1).length;
    expect(positive / items.length).toBeGreaterThan(0.6);
    expect(items.some((i) => i.flags.includes("pengecoh-mati"))).toBe(true);
    expect(new Set(items.map((i) => Math.round(i.facility * 10))).size).toBeGreaterThan(2);
  });

  it("gives both kabupaten a (demo) signatory before issuing: every demo certificate prints a signer", async () => {
    const issued = await db
      .select({ region: certificates.issuingRegion, payload: certificates.payload })
      .from(certificates);
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.filter((c) => !c.payload.signatoryName)).toEqual([]);
    const kukar = issued.find((c) => c.region.startsWith("64.02"));
    expect(kukar?.payload).toMatchObject({
      signatoryName: expect.stringContaining("(demo)"),
      signatoryTitle: "Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kutai Kartanegara",
    });
    expect(await unsignedIssuance("64")).toEqual([]);
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.phone, DEMO_ACCOUNTS[0].phone));
    const page = await call(
      penandatangan.loader,
      makeRequest("/admin/penandatangan", { cookie: await sessionCookie(admin.id) }),
    );
    expect(page.data.unsigned).toEqual([]);
  });

  it("a seed interrupted before its completion marker is redone, not left half-made", async () => {
    // The state a kill during the first start leaves: accounts exist, the marker does not.
    await db.delete(auditLog).where(eq(auditLog.action, "demo.seeded"));
    await db.delete(workshops);
    const again = await seedDemo();
    expect(again).not.toBeNull();
    expect(again!.workshops).toBeGreaterThanOrEqual(38 + 3);
    const [{ n }] = await db.select({ n: count() }).from(users).where(eq(users.role, "kader"));
    expect(n).toBe(again!.kader + 3);
    expect(await seedDemo()).toBeNull();
  }, 120_000);
});
