/** Session rough edges: reminders, check-in after login, finding /hadir, the peserta page, sharing drafts, follow-up modules. */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { attendance } from "~/db/schema";
import { getUser, type SessionUser } from "~/auth.server";
import { env } from "~/env.server";
import { navFor } from "~/components/app-shell";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { checkinToken } from "~/features/workshops/check-in";
import { workshopFormSchema } from "~/features/workshops/rules";
import { enrolUsers } from "~/features/workshops/enrolment.server";
import { createWorkshop, transitionWorkshop } from "~/features/workshops/sessions.server";
import * as sesiBaru from "~/routes/sesi.baru";
import * as sesiDetail from "~/routes/sesi.$id._index";
import * as peserta from "~/routes/sesi.$id.peserta";
import * as pengingat from "~/routes/sesi.$id.pengingat";
import * as qr from "~/routes/sesi.$id.qr";
import * as hadirToken from "~/routes/hadir.$token";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const DESA_A = "64.08.01.2001";
const DESA_A2 = "64.08.01.2002";

interface Actor {
  user: SessionUser;
  cookie: string;
}
let pa: Actor, pb: Actor, desaA: Actor;
let posA: number, posA2: number;

async function actor(
  role: SessionUser["role"],
  scopeCode: string,
  extra: { posyanduId?: number; name?: string; phone?: string } = {},
): Promise<Actor> {
  const u = await makeUser({
    role,
    scopeCode,
    posyanduId: extra.posyanduId ?? null,
    name: extra.name,
    phone: extra.phone,
  });
  const cookie = await sessionCookie(u.id);
  return { user: (await getUser(makeRequest("/", { cookie })))!, cookie };
}

function localInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16); // WITA
}

async function session(opts: { start?: Date; publish?: boolean; kind?: string } = {}): Promise<number> {
  const start = opts.start ?? new Date(Date.now() + 3 * 86_400_000);
  const r = await createWorkshop(
    pa.user,
    workshopFormSchema.parse({
      title: "Pelatihan Kader 6 SPM Muara Ancalong",
      kind: opts.kind ?? "pelatihan",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Aula Kantor Camat",
      startsAt: localInput(start),
      endsAt: localInput(new Date(start.getTime() + 4 * 3600_000)),
      capacity: "50",
      moduleSlugs: ["spm-kesehatan"],
    }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  if (opts.publish !== false) await transitionWorkshop(pa.user, r.id, "published");
  return r.id;
}

beforeAll(async () => {
  await setupDatabase();
  posA = await makePosyandu({ name: "Posyandu Melati", desaCode: DESA_A });
  posA2 = await makePosyandu({ name: "Posyandu Mawar", desaCode: DESA_A2 });
  pa = await actor("pembina_kecamatan", "64.08.01");
  pb = await actor("pembina_kecamatan", "64.08.02");
  desaA = await actor("pembina_desa", DESA_A);
});

describe("reminders (/sesi/:id/pengingat)", () => {
  it("lists enrolled kader with a WhatsApp link carrying date, time, place and what to bring", async () => {
    const start = new Date(Date.UTC(2027, 0, 12, 0, 30)); // Selasa, 12 Januari 2027, 08.30 WITA
    const id = await session({ start });
    const siti = await actor("kader", DESA_A, { posyanduId: posA, name: "Siti Aminah", phone: "6281234500001" });
    const rina = await actor("kader", DESA_A2, { posyanduId: posA2, name: "Rina Wati", phone: "6281234500002" });
    const waiting = await actor("kader", DESA_A2, { posyanduId: posA2, name: "Belum Terdaftar" });
    await enrolUsers(pa.user, id, [siti.user.id, rina.user.id]);
    void waiting;

    const res = await call(
      pengingat.loader,
      makeRequest(`/sesi/${id}/pengingat?bawa=${encodeURIComponent("Buku KIA dan alat tulis")}`, { cookie: pa.cookie }),
      { id: String(id) },
    );
    expect(res.status).toBe(200);
    expect(res.data.open).toBe(true);
    expect(res.data.people.map((p: { name: string }) => p.name).sort()).toEqual(["Rina Wati", "Siti Aminah"]);
    const s = res.data.people.find((p: { name: string }) => p.name === "Siti Aminah");
    expect(s.wa).toMatch(/^https:\/\/wa\.me\/6281234500001\?text=/);
    const text = decodeURIComponent(s.wa.split("?text=")[1]);
    expect(text).toContain("Halo Siti Aminah");
    expect(text).toContain("Hari/tanggal: Selasa, 12 Januari 2027");
    expect(text).toContain("Pukul: 08.30–12.30 WITA");
    expect(text).toContain("Tempat: Aula Kantor Camat");
    expect(text).toContain("Yang perlu dibawa: Buku KIA dan alat tulis");
    expect(text).toContain(`http://localhost:3000/sesi/${id}`);

    // A pembina desa sees only the participants of the desa.
    const mine = await call(pengingat.loader, makeRequest(`/sesi/${id}/pengingat`, { cookie: desaA.cookie }), {
      id: String(id),
    });
    expect(mine.data.people.map((p: { name: string }) => p.name)).toEqual(["Siti Aminah"]);
    // Another kecamatan and a kader get nothing.
    expect(
      (await call(pengingat.loader, makeRequest(`/sesi/${id}/pengingat`, { cookie: pb.cookie }), { id: String(id) }))
        .status,
    ).toBe(403);
    expect(
      (await call(pengingat.loader, makeRequest(`/sesi/${id}/pengingat`, { cookie: siti.cookie }), { id: String(id) }))
        .status,
    ).toBe(403);
    expect(
      (await call(pengingat.loader, makeRequest(`/sesi/abc/pengingat`, { cookie: pa.cookie }), { id: "abc" })).status,
    ).toBe(404);
  });

  it("sends nothing for a draft, and a draft has no WhatsApp share link", async () => {
    const id = await session({ publish: false });
    const r = await call(pengingat.loader, makeRequest(`/sesi/${id}/pengingat`, { cookie: pa.cookie }), {
      id: String(id),
    });
    expect(r.data.open).toBe(false);
    expect(r.data.people).toEqual([]);
    expect(r.data.message).toMatch(/^Umumkan kegiatan dulu/);
    const draft = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: pa.cookie }), { id: String(id) });
    expect(draft.data.whatsapp).toBeNull();
    await transitionWorkshop(pa.user, id, "published");
    const pub = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: pa.cookie }), { id: String(id) });
    expect(pub.data.whatsapp).toMatch(/^https:\/\/wa\.me\/\?text=/);
  });
});

describe("check-in", () => {
  it("records the check-in on return from the login without a second tap; a reload says it is already recorded", async () => {
    const id = await session({ start: new Date(Date.now() - 5 * 60_000) });
    const k = await actor("kader", DESA_A, { posyanduId: posA });
    const token = checkinToken(env().SESSION_SECRET, id, new Date());
    const anon = await call(hadirToken.loader, makeRequest(`/hadir/${token}`), { token });
    expect(anon.status).toBe(302);
    const back = decodeURIComponent(anon.location!.split("redirectTo=")[1]);
    expect(back).toMatch(new RegExp(`^/hadir/${token}\\?pindai=`));
    // The scan cookie this browser got with the redirect (the ticket works only with it).
    const scan = anon.headers.get("Set-Cookie")!.split(";")[0];

    // Logged in, without the ticket (a fresh scan): the page asks for the tap and records nothing yet.
    const fresh = await call(hadirToken.loader, makeRequest(`/hadir/${token}`, { cookie: k.cookie }), { token });
    expect(fresh.data.done).toBeNull();
    expect(
      await db
        .select()
        .from(attendance)
        .where(and(eq(attendance.workshopId, id), eq(attendance.userId, k.user.id))),
    ).toHaveLength(0);

    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: k.cookie }), { id: String(id) })).data
        .checkinOpen,
    ).toBe(true);
    const done = await call(hadirToken.loader, makeRequest(back, { cookie: `${k.cookie}; ${scan}` }), { token });
    expect(done.data.done).toMatchObject({ status: "hadir", already: false, workshopId: id });
    // Checked in: the session page no longer offers the check-in.
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: k.cookie }), { id: String(id) })).data
        .checkinOpen,
    ).toBe(false);
    const rows = await db
      .select()
      .from(attendance)
      .where(and(eq(attendance.workshopId, id), eq(attendance.userId, k.user.id)));
    expect(rows).toHaveLength(1);
    expect(rows[0].method).toBe("qr");
    const again = await call(hadirToken.loader, makeRequest(back, { cookie: `${k.cookie}; ${scan}` }), { token });
    expect(again.data.done).toMatchObject({ already: true });

    // A forged ticket records nothing.
    const k2 = await actor("kader", DESA_A, { posyanduId: posA });
    const forged = await call(
      hadirToken.loader,
      makeRequest(`/hadir/${token}?pindai=${Date.now()}.AAAAAAAAAAAAAAAA`, { cookie: k2.cookie }),
      { token },
    );
    expect(forged.data.done ?? null).toBeNull();
    expect(
      await db
        .select()
        .from(attendance)
        .where(and(eq(attendance.workshopId, id), eq(attendance.userId, k2.user.id))),
    ).toHaveLength(0);
  });

  it("kader find /hadir in their menu and on the session page while it runs; the QR screen shows the full address", async () => {
    expect(navFor("kader").map((i) => i.to)).toContain("/hadir");
    const running = await session({ start: new Date(Date.now() - 5 * 60_000) });
    const later = await session();
    const k = await actor("kader", DESA_A, { posyanduId: posA });
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${running}`, { cookie: k.cookie }), { id: String(running) }))
        .data.checkinOpen,
    ).toBe(true);
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${later}`, { cookie: k.cookie }), { id: String(later) })).data
        .checkinOpen,
    ).toBe(false);
    // Pembina running the session do not check in to it themselves.
    expect(
      (await call(sesiDetail.loader, makeRequest(`/sesi/${running}`, { cookie: pa.cookie }), { id: String(running) }))
        .data.checkinOpen,
    ).toBe(false);
    const screen = await call(qr.loader, makeRequest(`/sesi/${running}/qr`, { cookie: pa.cookie }), {
      id: String(running),
    });
    expect(screen.data.codeUrl).toBe("http://localhost:3000/hadir");
    // The screen refreshes itself; "Hentikan penyegaran" (?diam=1) stops it (WCAG 2.2.1).
    const refresh = (data: unknown) =>
      qr.meta({ data } as Parameters<typeof qr.meta>[0]).some((m) => "httpEquiv" in m && m.httpEquiv === "refresh");
    expect(refresh(screen.data)).toBe(true);
    const still = await call(qr.loader, makeRequest(`/sesi/${running}/qr?diam=1`, { cookie: pa.cookie }), {
      id: String(running),
    });
    expect(still.data.still).toBe(true);
    expect(still.data.code).toBe(screen.data.code);
    expect(refresh(still.data)).toBe(false);
  });
});

describe("scheduling and enrolment pages", () => {
  it("pre-checks the follow-up modules for a pelatihan only, and a sosialisasi keeps none", async () => {
    const pel = await call(sesiBaru.loader, makeRequest("/sesi/baru", { cookie: pa.cookie }));
    expect(pel.data.defaults.kind).toBe("pelatihan");
    expect(pel.data.defaults.moduleSlugs.length).toBeGreaterThan(0);
    const sos = await call(sesiBaru.loader, makeRequest("/sesi/baru?jenis=sosialisasi", { cookie: pa.cookie }));
    expect(sos.data.defaults.kind).toBe("sosialisasi");
    expect(sos.data.defaults.moduleSlugs).toEqual([]);
    const bad = await call(sesiBaru.loader, makeRequest("/sesi/baru?jenis=<x>", { cookie: pa.cookie }));
    expect(bad.data.defaults.kind).toBe("pelatihan");
    // A sosialisasi submitted with modules checked (hidden on the form) keeps none.
    const form = {
      title: "Sosialisasi Permendagri 13/2024",
      kind: "sosialisasi",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Aula",
      startsAt: "2027-01-05T09:00",
      endsAt: "2027-01-05T11:00",
      capacity: "40",
      moduleSlugs: ["spm-kesehatan"],
    };
    expect(workshopFormSchema.parse(form).moduleSlugs).toEqual([]);
    expect(workshopFormSchema.parse({ ...form, kind: "pelatihan" }).moduleSlugs).toEqual(["spm-kesehatan"]);
  });

  it("the peserta page opens on the session's area with its candidates listed", async () => {
    const id = await session();
    await actor("kader", DESA_A, { posyanduId: posA, name: "Calon Peserta Satu" });
    const page = await call(peserta.loader, makeRequest(`/sesi/${id}/peserta`, { cookie: pa.cookie }), {
      id: String(id),
    });
    expect(page.data.filter.wilayah).toBe("64.08.01");
    expect(page.data.searched).toBe(true);
    expect(page.data.candidates.map((c: { name: string }) => c.name)).toContain("Calon Peserta Satu");
    // A pembina desa starts on the desa.
    const desa = await call(peserta.loader, makeRequest(`/sesi/${id}/peserta`, { cookie: desaA.cookie }), {
      id: String(id),
    });
    expect(desa.data.filter.wilayah).toBe(DESA_A);
    // The explicit "semua di wilayah saya" choice stays empty.
    const all = await call(peserta.loader, makeRequest(`/sesi/${id}/peserta?wilayah=`, { cookie: pa.cookie }), {
      id: String(id),
    });
    expect(all.data.filter.wilayah).toBeUndefined();
    expect(
      (await call(peserta.loader, makeRequest(`/sesi/${id}/peserta`, { cookie: pb.cookie }), { id: String(id) }))
        .status,
    ).toBe(403);
  });
});
