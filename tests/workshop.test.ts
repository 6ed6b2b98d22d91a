/** Workshops: scheduling, scope, capacity and waitlist, attendance, QR and code check-in, exports. */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { db } from "~/db.server";
import { attendance, auditLog, enrolments, moduleAssignments, workshops } from "~/db/schema";
import { getUser, type SessionUser } from "~/auth.server";
import { env } from "~/env.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import {
  checkinCode,
  checkinToken,
  newScanNonce,
  readScanNonce,
  SCAN_COOKIE,
  scanTicket,
} from "~/features/workshops/check-in";
import { workshopFormSchema } from "~/features/workshops/rules";
import { WALK_IN_UNKNOWN, addWalkIn, markAllPresent, recordAttendance } from "~/features/workshops/attendance.server";
import { cancelEnrolment, enrolUsers, participants, selfEnrol } from "~/features/workshops/enrolment.server";
import { checkInWithCode, checkInWithToken } from "~/features/workshops/check-in.server";
import {
  createWorkshop,
  listWorkshops,
  transitionWorkshop,
  updateWorkshop,
} from "~/features/workshops/sessions.server";
import * as sesiBaru from "~/routes/sesi.baru";
import * as sesiDetail from "~/routes/sesi.$id._index";
import * as peserta from "~/routes/sesi.$id.peserta";
import * as absensi from "~/routes/sesi.$id.absensi";
import * as qr from "~/routes/sesi.$id.qr";
import * as ics from "~/routes/sesi.$id.ics";
import * as pdf from "~/routes/sesi.$id.daftar-hadir[.pdf]";
import * as csv from "~/routes/sesi.$id.absensi[.csv]";
import * as xlsx from "~/routes/sesi.$id.absensi[.xlsx]";
import * as hadirToken from "~/routes/hadir.$token";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const DESA_A = "64.08.01.2001";
const DESA_A2 = "64.08.01.2002";
const DESA_B = "64.08.02.2001";

interface Actor {
  user: SessionUser;
  cookie: string;
}
let pa: Actor, pb: Actor, kab: Actor, desaA: Actor;
let posA: number, posA2: number, posB: number;

async function actor(role: SessionUser["role"], scopeCode: string, posyanduId?: number): Promise<Actor> {
  const u = await makeUser({ role, scopeCode, posyanduId: posyanduId ?? null });
  const cookie = await sessionCookie(u.id);
  return { user: (await getUser(makeRequest("/", { cookie })))!, cookie };
}

function localInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16); // WITA
}

function form(overrides: Record<string, unknown> = {}) {
  const start = new Date(Date.now() + 3 * 86_400_000);
  return workshopFormSchema.parse({
    title: "Pelatihan Kader 6 SPM Muara Ancalong",
    kind: "pelatihan",
    audience: "kader",
    regionCode: "64.08.01",
    venue: "Aula Kantor Camat",
    startsAt: localInput(start),
    endsAt: localInput(new Date(start.getTime() + 4 * 3600_000)),
    capacity: "30",
    graceMinutes: "15",
    moduleSlugs: ["spm-kesehatan", "spm-sosial"],
    ...overrides,
  });
}

async function published(overrides: Record<string, unknown> = {}, by: Actor = pa): Promise<number> {
  const r = await createWorkshop(by.user, form(overrides));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect(await transitionWorkshop(by.user, r.id, "published")).toEqual({ ok: true });
  return r.id;
}

/** A session running now (started 5 minutes ago). */
async function runningNow(overrides: Record<string, unknown> = {}): Promise<number> {
  const start = new Date(Date.now() - 5 * 60_000);
  return published({
    startsAt: localInput(start),
    endsAt: localInput(new Date(start.getTime() + 3 * 3600_000)),
    ...overrides,
  });
}

async function kader(desa = DESA_A, pos = posA): Promise<Actor> {
  return actor("kader", desa, pos);
}

beforeAll(async () => {
  await setupDatabase();
  posA = await makePosyandu({ name: "Posyandu Melati", desaCode: DESA_A });
  posA2 = await makePosyandu({ name: "Posyandu Mawar", desaCode: DESA_A2 });
  posB = await makePosyandu({ name: "Posyandu Anggrek", desaCode: DESA_B });
  pa = await actor("pembina_kecamatan", "64.08.01");
  pb = await actor("pembina_kecamatan", "64.08.02");
  kab = await actor("pembina_kabupaten", "64.08");
  desaA = await actor("pembina_desa", DESA_A);
});

describe("scheduling", () => {
  it("creates a draft in the region's zone (WITA) and audits it", async () => {
    const res = await call(
      sesiBaru.action,
      makeRequest("/sesi/baru", {
        cookie: pa.cookie,
        form: {
          title: "Pelatihan Kader Senyiur",
          kind: "pelatihan",
          audience: "kader",
          regionCode: DESA_A,
          venue: "Balai Desa Senyiur",
          startsAt: "2026-12-03T08:00",
          endsAt: "2026-12-03T12:30",
          capacity: "25",
          graceMinutes: "15",
        },
      }),
    );
    expect(res.status).toBe(302);
    const id = Number(res.location!.match(/\/sesi\/(\d+)/)![1]);
    const [w] = await db.select().from(workshops).where(eq(workshops.id, id));
    expect(w.startsAt.toISOString()).toBe("2026-12-03T00:00:00.000Z");
    expect(w.endsAt.toISOString()).toBe("2026-12-03T04:30:00.000Z");
    expect(w.status).toBe("draft");
    const [a] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "workshop"), eq(auditLog.entityId, String(id))));
    expect(a.action).toBe("workshop.create");
  });

  it("explains bad input in Indonesian and stores nothing", async () => {
    const [{ n: before }] = await db.select({ n: count() }).from(workshops);
    const res = await call(
      sesiBaru.action,
      makeRequest("/sesi/baru", {
        cookie: pa.cookie,
        form: {
          title: "Abc",
          kind: "rapat",
          audience: "kader",
          regionCode: "64.08.01",
          venue: "",
          startsAt: "2026-12-03T10:00",
          endsAt: "2026-12-03T09:00",
          capacity: "0",
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.data.errors).toMatchObject({
      title: "Judul minimal 5 karakter.",
      kind: "Pilih jenis kegiatan.",
      venue: "Tempat minimal 3 karakter.",
      capacity: "Kapasitas minimal 1 orang.",
    });
    const endBeforeStart = await call(
      sesiBaru.action,
      makeRequest("/sesi/baru", {
        cookie: pa.cookie,
        form: {
          title: "Pelatihan A",
          kind: "pelatihan",
          audience: "kader",
          regionCode: "64.08.01",
          venue: "Aula",
          startsAt: "2026-12-03T10:00",
          endsAt: "2026-12-03T09:00",
          capacity: "10",
        },
      }),
    );
    expect(endBeforeStart.data.errors.endsAt).toBe("Waktu selesai harus setelah waktu mulai.");
    const badDate = await call(
      sesiBaru.action,
      makeRequest("/sesi/baru", {
        cookie: pa.cookie,
        form: {
          title: "Pelatihan A",
          kind: "pelatihan",
          audience: "kader",
          regionCode: "64.08.01",
          venue: "Aula",
          startsAt: "2026-02-30T10:00",
          endsAt: "x",
          capacity: "10",
        },
      }),
    );
    expect(badDate.data.errors).toMatchObject({
      startsAt: "Waktu mulai tidak valid.",
      endsAt: "Waktu selesai tidak valid.",
    });
    const [{ n: after }] = await db.select({ n: count() }).from(workshops);
    expect(after).toBe(before);
  });

  it("403 outside the scope, and for roles that do not schedule", async () => {
    await expect(createWorkshop(pa.user, form({ regionCode: "64.08.02" }))).rejects.toMatchObject({ status: 403 });
    const k = await kader();
    expect((await call(sesiBaru.loader, makeRequest("/sesi/baru", { cookie: k.cookie }))).status).toBe(403);
    expect((await call(sesiBaru.loader, makeRequest("/sesi/baru", { cookie: desaA.cookie }))).status).toBe(403);
  });

  it("refuses a capacity below the current enrolment and promotes the waitlist when it grows", async () => {
    const id = await published({ capacity: "2" });
    const ks = [await kader(), await kader(), await kader()];
    const r = await enrolUsers(
      pa.user,
      id,
      ks.map((k) => k.user.id),
    );
    expect(r).toEqual({ enrolled: 2, waitlisted: 1, unchanged: 0 });
    const low = await updateWorkshop(pa.user, id, form({ capacity: "1" }));
    expect(low).toEqual({
      ok: false,
      errors: { capacity: "Kapasitas tidak boleh kurang dari jumlah peserta terdaftar (2 orang)." },
    });
    const [w] = await db.select({ capacity: workshops.capacity }).from(workshops).where(eq(workshops.id, id));
    expect(w.capacity).toBe(2);
    expect((await updateWorkshop(pa.user, id, form({ capacity: "3" }))).ok).toBe(true);
    const list = await participants(id);
    expect(list.filter((p) => p.enrolment === "enrolled")).toHaveLength(3);
  });

  it("moves through draft > published > completed or cancelled, idempotently, with a reason to cancel", async () => {
    const r = await createWorkshop(pa.user, form());
    if (!r.ok) throw new Error();
    expect(await transitionWorkshop(pa.user, r.id, "completed")).toMatchObject({ ok: false });
    expect(await transitionWorkshop(pa.user, r.id, "published")).toEqual({ ok: true });
    expect(await transitionWorkshop(pa.user, r.id, "published")).toEqual({ ok: true }); // double submit
    expect(await transitionWorkshop(pa.user, r.id, "completed")).toEqual({
      ok: false,
      message: "Kegiatan belum dimulai, belum dapat ditandai selesai.",
    });
    expect(await transitionWorkshop(pa.user, r.id, "cancelled", "")).toEqual({
      ok: false,
      message: "Tuliskan alasan pembatalan (minimal 5 karakter).",
    });
    expect(await transitionWorkshop(pa.user, r.id, "cancelled", "Banjir di jalan desa")).toEqual({ ok: true });
    expect(await transitionWorkshop(pa.user, r.id, "published")).toMatchObject({
      ok: false,
      message: expect.stringContaining("dibatalkan"),
    });
    const res = await call(sesiDetail.loader, makeRequest(`/sesi/${r.id}`, { cookie: pa.cookie }), {
      id: String(r.id),
    });
    expect(res.data.cancelledReason).toBe("Banjir di jalan desa");
  });
});

describe("visibility and scope", () => {
  it("a pembina of another kecamatan gets 403 on every page and file of the session", async () => {
    const id = await published();
    const params = { id: String(id) };
    for (const [fn, path] of [
      [sesiDetail.loader, `/sesi/${id}`],
      [peserta.loader, `/sesi/${id}/peserta`],
      [absensi.loader, `/sesi/${id}/absensi`],
      [qr.loader, `/sesi/${id}/qr`],
      [ics.loader, `/sesi/${id}/ics`],
      [pdf.loader, `/sesi/${id}/daftar-hadir.pdf`],
      [csv.loader, `/sesi/${id}/absensi.csv`],
      [xlsx.loader, `/sesi/${id}/absensi.xlsx`],
    ] as const) {
      expect((await call(fn, makeRequest(path, { cookie: pb.cookie }), params)).status, path).toBe(403);
    }
    for (const [fn, form] of [
      [sesiDetail.action, { intent: "batalkan", reason: "bukan urusan saya" }],
      [peserta.action, { intent: "batalkan", userId: pa.user.id }],
      [absensi.action, { intent: "semua-hadir" }],
    ] as const) {
      expect((await call(fn, makeRequest(`/sesi/${id}`, { cookie: pb.cookie, form }), params)).status).toBe(403);
    }
    const [w] = await db.select({ status: workshops.status }).from(workshops).where(eq(workshops.id, id));
    expect(w.status).toBe("published");
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/999999`, { cookie: pa.cookie }), { id: "999999" })).status,
    ).toBe(404);
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/x`, { cookie: pa.cookie }), { id: "1 or 1=1" })).status,
    ).toBe(404);
  });

  it("kader see published sessions of their area only; drafts stay hidden", async () => {
    const pub = await published();
    const draft = await createWorkshop(pa.user, form());
    if (!draft.ok) throw new Error();
    const kA = await kader();
    const kB = await kader(DESA_B, posB);
    const ids = (await listWorkshops(kA.user, { past: false })).map((w) => w.id);
    expect(ids).toContain(pub);
    expect(ids).not.toContain(draft.id);
    expect((await listWorkshops(kB.user, { past: false })).map((w) => w.id)).not.toContain(pub);
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${pub}`, { cookie: kB.cookie }), { id: String(pub) })).status,
    ).toBe(403);
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${draft.id}`, { cookie: kA.cookie }), { id: String(draft.id) }))
        .status,
    ).toBe(403);
    // The kabupaten pembina sees both sessions of the kecamatan.
    const kabIds = (await listWorkshops(kab.user, { past: false })).map((w) => w.id);
    expect(kabIds).toEqual(expect.arrayContaining([pub, draft.id]));
  });
});

describe("enrolment", () => {
  it("refuses to enrol anyone outside the pembina's scope; nothing changes", async () => {
    const id = await published({ regionCode: "64.08" }, kab);
    const kB = await kader(DESA_B, posB);
    const kA = await kader();
    await expect(enrolUsers(pa.user, id, [kA.user.id, kB.user.id])).rejects.toMatchObject({ status: 403 });
    const [{ n }] = await db.select({ n: count() }).from(enrolments).where(eq(enrolments.workshopId, id));
    expect(n).toBe(0);
    // A pembina of the wrong audience is not enrolled into a kader session either.
    await expect(enrolUsers(kab.user, id, [desaA.user.id])).rejects.toMatchObject({ status: 403 });
    // Within scope it works, and twice is once.
    expect(await enrolUsers(pa.user, id, [kA.user.id])).toEqual({ enrolled: 1, waitlisted: 0, unchanged: 0 });
    expect(await enrolUsers(pa.user, id, [kA.user.id])).toEqual({ enrolled: 0, waitlisted: 0, unchanged: 1 });
  });

  it("bulk-enrols the kader of one desa through the participants page", async () => {
    const id = await published({ capacity: "3" });
    const ks = [
      await kader(DESA_A2, posA2),
      await kader(DESA_A2, posA2),
      await kader(DESA_A2, posA2),
      await kader(DESA_A2, posA2),
    ];
    const page = await call(
      peserta.loader,
      makeRequest(`/sesi/${id}/peserta?wilayah=${DESA_A2}`, { cookie: pa.cookie }),
      { id: String(id) },
    );
    expect(page.data.candidates.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(ks.map((k) => k.user.id)),
    );
    expect(page.data.candidates.every((c: { desaName: string }) => c.desaName === "Kelinjau Ilir")).toBe(true);
    const res = await call(
      peserta.action,
      makeRequest(`/sesi/${id}/peserta`, { cookie: pa.cookie, form: { intent: "daftarkan-semua", wilayah: DESA_A2 } }),
      { id: String(id) },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/sesi/${id}/peserta?terdaftar=3&tunggu=${page.data.candidates.length - 3}`);
  });

  it("keeps the waitlist in order and promotes the first when someone cancels", async () => {
    const id = await published({ capacity: "1" });
    const [k1, k2, k3] = [await kader(), await kader(), await kader()];
    expect(await selfEnrol(k1.user, id)).toEqual({ ok: true, status: "enrolled" });
    expect(await selfEnrol(k2.user, id)).toEqual({ ok: true, status: "waitlisted" });
    expect(await selfEnrol(k3.user, id)).toEqual({ ok: true, status: "waitlisted" });
    expect(await selfEnrol(k2.user, id)).toEqual({ ok: true, status: "waitlisted" }); // double tap
    const r = await cancelEnrolment(k1.user, id, k1.user.id);
    expect(r).toEqual({ ok: true, promoted: [k2.user.id] });
    const list = await participants(id);
    expect(list.find((p) => p.userId === k2.user.id)?.enrolment).toBe("enrolled");
    expect(list.find((p) => p.userId === k3.user.id)?.enrolment).toBe("waitlisted");
    expect(await cancelEnrolment(k1.user, id, k1.user.id)).toEqual({ ok: true, promoted: [] }); // cancelling twice changes nothing
  });

  it("no cancel after attending, none of her own after the end, and no waitlist promotion into a session that is over", async () => {
    const id = await runningNow({ capacity: "1" });
    const [k1, k2, k3] = [await kader(), await kader(), await kader()];
    await enrolUsers(pa.user, id, [k1.user.id, k2.user.id]); // k1 enrolled, k2 waitlisted
    await recordAttendance(pa.user, id, [{ userId: k1.user.id, status: "hadir" }]);
    const cancel = (k: Actor) =>
      call(sesiDetail.action, makeRequest(`/sesi/${id}`, { cookie: k.cookie, form: { intent: "batal-daftar" } }), {
        id: String(id),
      });
    // The page offers no button, and the action (posted by hand) changes nothing.
    const page = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: k1.cookie }), { id: String(id) });
    expect(page.data.canSelfCancel).toBe(false);
    const res = await cancel(k1);
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/Kehadiran sudah tercatat/);
    // The pembina cannot cancel it either.
    const byPembina = await call(
      peserta.action,
      makeRequest(`/sesi/${id}/peserta`, { cookie: pa.cookie, form: { intent: "batalkan", userId: k1.user.id } }),
      { id: String(id) },
    );
    expect(byPembina.status).toBe(400);
    let list = await participants(id);
    expect(list.find((p) => p.userId === k1.user.id)?.enrolment).toBe("enrolled");
    expect(list.find((p) => p.userId === k2.user.id)?.enrolment).toBe("waitlisted");

    // After the end: k3 (enrolled, absent) cannot cancel her own; a pembina's cancel promotes nobody.
    const ended = await published({
      capacity: "1",
      startsAt: localInput(new Date(Date.now() - 5 * 3600_000)),
      endsAt: localInput(new Date(Date.now() - 3600_000)),
    });
    await db.insert(enrolments).values([
      { workshopId: ended, userId: k3.user.id, status: "enrolled", at: new Date(), enrolledBy: pa.user.id },
      { workshopId: ended, userId: k2.user.id, status: "waitlisted", at: new Date(), enrolledBy: pa.user.id },
    ]);
    const late = await call(
      sesiDetail.action,
      makeRequest(`/sesi/${ended}`, { cookie: k3.cookie, form: { intent: "batal-daftar" } }),
      { id: String(ended) },
    );
    expect(late.status).toBe(400);
    expect(await cancelEnrolment(pa.user, ended, k3.user.id)).toEqual({ ok: true, promoted: [] });
    list = await participants(ended);
    expect(list.find((p) => p.userId === k2.user.id)?.enrolment).toBe("waitlisted");
  });

  it("self-enrolment only in published sessions of one's own area", async () => {
    const draft = await createWorkshop(pa.user, form());
    if (!draft.ok) throw new Error();
    const k = await kader();
    await expect(selfEnrol(k.user, draft.id)).rejects.toMatchObject({ status: 403 }); // not visible
    const forPembina = await published({ audience: "pembina" });
    await expect(selfEnrol(k.user, forPembina)).rejects.toMatchObject({ status: 403 });
  });

  it("parallel enrolments never overbook", async () => {
    const id = await published({ capacity: "10" });
    const ks = await Promise.all(Array.from({ length: 25 }, () => kader()));
    const results = await Promise.all(ks.map((k) => selfEnrol(k.user, id)));
    expect(results.filter((r) => r.ok && r.status === "enrolled")).toHaveLength(10);
    const [{ n }] = await db
      .select({ n: count() })
      .from(enrolments)
      .where(and(eq(enrolments.workshopId, id), eq(enrolments.status, "enrolled")));
    expect(n).toBe(10);
    const [{ w }] = await db
      .select({ w: count() })
      .from(enrolments)
      .where(and(eq(enrolments.workshopId, id), eq(enrolments.status, "waitlisted")));
    expect(w).toBe(15);
  });
});

describe("attendance", () => {
  it("records the roster, 'semua hadir', walk-ins, and assigns the pelatihan's modules", async () => {
    const id = await runningNow();
    const [k1, k2, k3] = [await kader(), await kader(), await kader()];
    await enrolUsers(pa.user, id, [k1.user.id, k2.user.id, k3.user.id]);
    // A pembina desa takes attendance only for sessions of their own desa.
    await expect(recordAttendance(desaA.user, id, [{ userId: k1.user.id, status: "izin" }])).rejects.toMatchObject({
      status: 403,
    });
    await recordAttendance(pa.user, id, [{ userId: k1.user.id, status: "izin" }]);
    const res = await call(
      absensi.action,
      makeRequest(`/sesi/${id}/absensi`, { cookie: pa.cookie, form: { intent: "semua-hadir" } }),
      { id: String(id) },
    );
    expect(res.location).toBe(`/sesi/${id}/absensi?tersimpan=2`);
    const rows = await db.select().from(attendance).where(eq(attendance.workshopId, id));
    expect(Object.fromEntries(rows.map((r) => [r.userId, r.status]))).toEqual({
      [k1.user.id]: "izin",
      [k2.user.id]: "hadir",
      [k3.user.id]: "hadir",
    });
    expect(rows.find((r) => r.userId === k1.user.id)).toMatchObject({ recordedBy: pa.user.id, method: "roster" });
    const assigned = await db.select().from(moduleAssignments).where(eq(moduleAssignments.userId, k2.user.id));
    expect(assigned.map((a) => a.slug).sort()).toEqual(["spm-kesehatan", "spm-sosial"]);
    expect(await db.select().from(moduleAssignments).where(eq(moduleAssignments.userId, k1.user.id))).toHaveLength(0); // izin: not assigned

    const walkIn = await kader(DESA_A2, posA2);
    expect(await addWalkIn(pa.user, id, "0" + walkIn.user.phone.slice(2))).toMatchObject({ ok: true });
    const outsider = await kader(DESA_B, posB);
    // No phone-number oracle: a number registered in another kecamatan and one registered nowhere get the same answer.
    const outside = await addWalkIn(pa.user, id, outsider.user.phone);
    expect(outside).toEqual({ ok: false, message: WALK_IN_UNKNOWN });
    expect(await addWalkIn(pa.user, id, "081299990000")).toEqual(outside);
    expect(await addWalkIn(pa.user, id, "0812")).toEqual({
      ok: false,
      message: "Nomor HP tidak valid. Contoh: 0812 3456 7890.",
    });
    const [{ n }] = await db.select({ n: count() }).from(attendance).where(eq(attendance.workshopId, id));
    expect(n).toBe(4);
  });

  it("refuses roster entries for people not in the session, and tampered statuses", async () => {
    const id = await runningNow();
    const stranger = await kader();
    await expect(recordAttendance(pa.user, id, [{ userId: stranger.user.id, status: "hadir" }])).rejects.toMatchObject({
      status: 403,
    });
    const bad = await call(
      absensi.action,
      makeRequest(`/sesi/${id}/absensi`, {
        cookie: pa.cookie,
        form: { intent: "simpan", [`s_${stranger.user.id}`]: "datang" },
      }),
      { id: String(id) },
    );
    expect(bad.status).toBe(400);
    const [{ n }] = await db.select({ n: count() }).from(attendance).where(eq(attendance.workshopId, id));
    expect(n).toBe(0);
  });

  it("no attendance for a cancelled session", async () => {
    const id = await runningNow();
    const k = await kader();
    await enrolUsers(pa.user, id, [k.user.id]);
    await transitionWorkshop(pa.user, id, "cancelled", "Hujan deras");
    await expect(recordAttendance(pa.user, id, [{ userId: k.user.id, status: "hadir" }])).rejects.toMatchObject({
      status: 403,
    });
    const token = checkinToken(env().SESSION_SECRET, id, new Date());
    expect(await checkInWithToken(k.user, token, null, null)).toEqual({
      ok: false,
      message: "Kegiatan ini dibatalkan.",
    });
  });
});

describe("QR and code check-in", () => {
  it("marks hadir within the grace period, terlambat after it, once", async () => {
    const id = await runningNow({ graceMinutes: "10" });
    const secret = env().SESSION_SECRET;
    const k1 = await kader();
    const now = new Date();
    const first = await checkInWithToken(k1.user, checkinToken(secret, id, now), null, null, now);
    expect(first).toMatchObject({ ok: true, status: "hadir", already: false });
    const again = await checkInWithToken(k1.user, checkinToken(secret, id, now), null, null, now);
    expect(again).toMatchObject({ ok: true, already: true, status: "hadir" });
    const late = new Date(now.getTime() + 20 * 60_000);
    const k2 = await kader();
    expect(await checkInWithToken(k2.user, checkinToken(secret, id, late), null, null, late)).toMatchObject({
      ok: true,
      status: "terlambat",
    });
    const rows = await db.select().from(attendance).where(eq(attendance.workshopId, id));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.userId === k1.user.id)?.method).toBe("qr");
    // Not enrolled before: the scan enrols them.
    expect((await participants(id)).filter((p) => p.enrolment === "enrolled")).toHaveLength(2);
  });

  it("rejects expired and forged tokens and check-ins outside the session window", async () => {
    const id = await runningNow();
    const secret = env().SESSION_SECRET;
    const k = await kader();
    const now = new Date();
    const old = checkinToken(secret, id, new Date(now.getTime() - 3 * 60_000));
    expect(await checkInWithToken(k.user, old, null, null, now)).toMatchObject({
      ok: false,
      message: expect.stringContaining("kedaluwarsa"),
    });
    const forged = checkinToken("bukan-rahasia-yang-benar-xxxxxxxxxxxxxxxxxxxx", id, now);
    expect(await checkInWithToken(k.user, forged, null, null, now)).toMatchObject({ ok: false });
    expect(await checkInWithToken(k.user, `${id}-AAAAAAAAAAAAAAAA`, null, null, now)).toMatchObject({ ok: false });
    expect(await checkInWithToken(k.user, "../../etc", null, null, now)).toEqual({
      ok: false,
      message: "Kode QR tidak dikenali.",
    });
    const afterEnd = new Date(now.getTime() + 4 * 3600_000);
    expect(await checkInWithToken(k.user, checkinToken(secret, id, afterEnd), null, null, afterEnd)).toEqual({
      ok: false,
      message: "Absen mandiri hanya dapat dilakukan selama kegiatan berlangsung.",
    });
    const kB = await kader(DESA_B, posB);
    expect(await checkInWithToken(kB.user, checkinToken(secret, id, now), null, null, now)).toEqual({
      ok: false,
      message: "Kegiatan ini bukan untuk peran atau wilayah Anda.",
    });
    const [{ n }] = await db.select({ n: count() }).from(attendance).where(eq(attendance.workshopId, id));
    expect(n).toBe(0);
  });

  it("a kader who logs in after scanning keeps the scan time (signed ticket), within 15 minutes", async () => {
    const id = await runningNow({ graceMinutes: "10" });
    const secret = env().SESSION_SECRET;
    const k = await kader();
    const scanned = new Date();
    const token = checkinToken(secret, id, scanned);
    // Anonymous scan: redirected to login with a signed ticket and the scan cookie.
    const anon = await call(hadirToken.loader, makeRequest(`/hadir/${token}`), { token });
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(new RegExp(`^/masuk\\?redirectTo=%2Fhadir%2F${token}%3Fpindai%3D\\d{13}\\.`));
    const ticket = decodeURIComponent(anon.location!.split("pindai%3D")[1]);
    const nonce = readScanNonce(anon.headers.get("Set-Cookie"));
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Seven minutes later (the QR on screen has rotated) the confirmation still counts, as hadir.
    const later = new Date(scanned.getTime() + 7 * 60_000);
    expect(await checkInWithToken(k.user, token, ticket, nonce, later)).toMatchObject({ ok: true, status: "hadir" });
    const k2 = await kader();
    const tooLate = new Date(scanned.getTime() + 16 * 60_000);
    const n2 = newScanNonce();
    expect(await checkInWithToken(k2.user, token, scanTicket(secret, token, scanned, n2), n2, tooLate)).toMatchObject({
      ok: false,
    });
    expect(await checkInWithToken(k2.user, token, `${scanned.getTime()}.AAAAAAAAAAAAAAAA`, n2, later)).toMatchObject({
      ok: false,
    });
    // Through the route, with the ticket as a hidden field and the scan cookie of this browser.
    const k3 = await kader();
    const n3 = newScanNonce();
    const res = await call(
      hadirToken.action,
      makeRequest(`/hadir/${token}`, {
        cookie: `${k3.cookie}; ${SCAN_COOKIE}=${n3}`,
        form: { pindai: scanTicket(secret, token, new Date(), n3) },
      }),
      { token: checkinToken(secret, id, new Date()) },
    );
    expect(res.data).toMatchObject({ ok: true });
  });

  it("a scan ticket works only in the browser that scanned it, and records one check-in", async () => {
    const id = await runningNow({ graceMinutes: "10" });
    const secret = env().SESSION_SECRET;
    const token = checkinToken(secret, id, new Date());
    const anon = await call(hadirToken.loader, makeRequest(`/hadir/${token}`), { token });
    const back = decodeURIComponent(anon.location!.split("redirectTo=")[1]);
    // The cookie the scanning browser got (read from the header, as a browser stores it).
    const scanCookieValue = (anon.headers.get("Set-Cookie") ?? "").split(";")[0];
    const present = async (userId: string) =>
      (
        await db
          .select()
          .from(attendance)
          .where(and(eq(attendance.workshopId, id), eq(attendance.userId, userId)))
      ).length;

    // Another kader's phone gets the link (WhatsApp): no scan cookie, nothing recorded.
    const other = await kader();
    const viaLink = await call(hadirToken.loader, makeRequest(back, { cookie: other.cookie }), { token });
    expect(viaLink.data).toMatchObject({ valid: false, message: expect.stringContaining("hanya berlaku di ponsel") });
    const ticket = new URL(back, "http://x").searchParams.get("pindai")!;
    const posted = await call(
      hadirToken.action,
      makeRequest(`/hadir/${token}`, { cookie: other.cookie, form: { pindai: ticket } }),
      { token },
    );
    expect(posted.status).toBe(400);
    expect(await present(other.user.id)).toBe(0);

    // The kader who scanned logs in on this phone: recorded.
    const owner = await kader();
    const done = await call(hadirToken.loader, makeRequest(back, { cookie: `${owner.cookie}; ${scanCookieValue}` }), {
      token,
    });
    expect(done.data.done).toMatchObject({ already: false, workshopId: id });
    expect(await present(owner.user.id)).toBe(1);
    // A reload says it is recorded.
    const reload = await call(hadirToken.loader, makeRequest(back, { cookie: `${owner.cookie}; ${scanCookieValue}` }), {
      token,
    });
    expect(reload.data.done).toMatchObject({ already: true });

    // The next kader on the same (shared) phone opens the same link: the ticket is used.
    const next = await kader();
    const reuse = await call(hadirToken.loader, makeRequest(back, { cookie: `${next.cookie}; ${scanCookieValue}` }), {
      token,
    });
    expect(reuse.data).toMatchObject({ valid: false, message: expect.stringContaining("sudah dipakai") });
    expect(await present(next.user.id)).toBe(0);
  });

  it("the typed 6-digit code works when the camera fails; a wrong code does not", async () => {
    const id = await runningNow();
    const secret = env().SESSION_SECRET;
    const k = await kader();
    const now = new Date();
    const code = checkinCode(secret, id, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    expect(await checkInWithCode(k.user, wrong, now)).toEqual({
      ok: false,
      message: "Kode salah atau sudah berganti. Lihat kode terbaru di layar.",
    });
    expect(await checkInWithCode(k.user, "12ab", now)).toEqual({ ok: false, message: "Kode terdiri dari 6 angka." });
    expect(await checkInWithCode(k.user, code, now)).toMatchObject({ ok: true, status: "hadir", workshopId: id });
    const [row] = await db
      .select()
      .from(attendance)
      .where(and(eq(attendance.workshopId, id), eq(attendance.userId, k.user.id)));
    expect(row.method).toBe("kode");
  });

  it("the QR screen shows a code and a QR to /hadir during the session only", async () => {
    const id = await runningNow();
    const res = await call(qr.loader, makeRequest(`/sesi/${id}/qr`, { cookie: pa.cookie }), { id: String(id) });
    expect(res.data.open).toBe(true);
    expect(res.data.code).toMatch(/^\d{6}$/);
    expect(res.data.url).toMatch(new RegExp(`^http://localhost:3000/hadir/${id}-`));
    expect(res.data.svg).toContain("<svg");
    const future = await published();
    const closed = await call(qr.loader, makeRequest(`/sesi/${future}/qr`, { cookie: pa.cookie }), {
      id: String(future),
    });
    expect(closed.data.svg).toBeNull();
    expect(closed.data.message).toMatch(/^Absen mandiri dibuka pukul/);
  });
});

describe("files", () => {
  it("exports attendance as CSV and XLSX, the daftar hadir as PDF, and the session as .ics", async () => {
    const id = await runningNow({ title: "Pelatihan Ma'ruf & Sa’diyah" });
    const [k1, k2] = [await kader(), await kader(DESA_A2, posA2)];
    await enrolUsers(pa.user, id, [k1.user.id, k2.user.id]);
    await recordAttendance(pa.user, id, [{ userId: k1.user.id, status: "hadir" }]);
    const params = { id: String(id) };

    const c = await call(csv.loader, makeRequest(`/sesi/${id}/absensi.csv`, { cookie: pa.cookie }), params);
    expect(c.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (c.data as string)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toContain("Pelatihan Ma'ruf & Sa’diyah");
    expect(lines[1]).toBe("No,Nama,Nomor HP,Posyandu,Desa,Kode desa,Pendaftaran,Kehadiran,Cara,Waktu dicatat");
    expect(lines).toHaveLength(4);

    const x = await call(xlsx.loader, makeRequest(`/sesi/${id}/absensi.xlsx`, { cookie: pa.cookie }), params);
    expect(x.headers.get("Content-Type")).toMatch(/spreadsheetml/);
    const res = await xlsx.loader({
      request: makeRequest(`/sesi/${id}/absensi.xlsx`, { cookie: pa.cookie }),
      params,
      context: { clientIp: "x" },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (res as Response).arrayBuffer());
    const ws = wb.getWorksheet("Absensi")!;
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(3).getCell(8).value).toBe(lines[2].includes(k1.user.name) ? "Hadir" : "");

    const p = await pdf.loader({
      request: makeRequest(`/sesi/${id}/daftar-hadir.pdf`, { cookie: pa.cookie }),
      params,
      context: { clientIp: "x" },
    });
    const bytes = Buffer.from(await (p as Response).arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect((p as Response).headers.get("Content-Type")).toBe("application/pdf");

    const i = await call(ics.loader, makeRequest(`/sesi/${id}/ics`, { cookie: pa.cookie }), params);
    expect(i.data).toContain("BEGIN:VEVENT");
    expect(i.data).toContain(`UID:sesi-${id}@akademi-posyandu`);
    expect(i.data).toMatch(/DTSTART:\d{8}T\d{6}Z/);
  });

  it("the roster and the printed sheet list people in the same order (desa, posyandu, name)", async () => {
    const id = await runningNow();
    const a = await makeUser({ name: "Zainab", role: "kader", scopeCode: DESA_A, posyanduId: posA });
    const b = await makeUser({ name: "Aminah", role: "kader", scopeCode: DESA_A, posyanduId: posA });
    const c = await makeUser({ name: "Badriah", role: "kader", scopeCode: DESA_A2, posyanduId: posA2 });
    await enrolUsers(pa.user, id, [a.id, b.id, c.id]);
    const roster = await call(absensi.loader, makeRequest(`/sesi/${id}/absensi`, { cookie: pa.cookie }), {
      id: String(id),
    });
    // Kelinjau Ilir (64.08.01.2002) sorts before Senyiur (64.08.01.2001) by name.
    expect(roster.data.rows.map((r: { name: string }) => r.name)).toEqual(["Badriah", "Aminah", "Zainab"]);
    expect(roster.data.rows.map((r: { no: number }) => r.no)).toEqual([1, 2, 3]);
    await markAllPresent(pa.user, id);
  });
});
