/**
 * The permission table (app/lib/permissions.ts) against every route: each route module is
 * classified here (public, any signed-in user, or an action of the table), and its loader and
 * action, called by one user of each role, all inside the same desa's lineage so that the
 * region never is the reason, answer 403 exactly to the roles the table leaves out of the
 * action. The menu shows a staff page only to the roles the table lets in.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { navFor } from "~/components/app-shell";
import { ROLES, type Role } from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { type Action, can, PERMISSIONS, rolesFor } from "~/lib/permissions";
import { makeWorkshop } from "./certification-helpers";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

type RouteFn = Parameters<typeof call>[0];
const routes = import.meta.glob<{ loader?: RouteFn; action?: RouteFn }>("../app/routes/*.{ts,tsx}", { eager: true });

/**
 * "public": no sign-in; "user": any signed-in user (the feature limits what she sees); an
 * action; several actions (any of them lets in); or one rule for the loader, another for the action.
 */
type Rule = "public" | "user" | Action | Action[];
const ROUTE: Record<string, Rule | { loader: Rule; action: Rule }> = {
  "_index.tsx": "user",
  "admin.audit.tsx": "audit",
  "admin.impor.$file.ts": "import",
  "admin.impor._index.tsx": "import",
  "admin.impor.pratinjau.$token.tsx": "import",
  "admin.kader-terkunci.tsx": "kader-progress",
  "admin.penandatangan.tsx": "signatories",
  "admin.pengguna.$id.tsx": "users-manage",
  "admin.pengguna._index.tsx": "users-list",
  "admin.pengguna.baru.tsx": "users-manage",
  "admin.sertifikat.$code.tsx": { loader: "certificates-view", action: "certificates-revoke" },
  "admin.sertifikat._index.tsx": "certificates-view",
  "admin.wilayah.tsx": "regions",
  "aktivasi.tsx": "public",
  "akun.tsx": "user",
  "analisis-soal.$slug._index.tsx": "item-analysis",
  "analisis-soal.$slug.csv.ts": "item-analysis",
  "analisis-soal._index.tsx": "item-analysis",
  "dasbor.$region._index.tsx": "dashboard",
  "dasbor.$region.csv.ts": "dashboard",
  "dasbor.$region.posyandu.$id.tsx": "dashboard",
  "dasbor.$region.xlsx.ts": "dashboard",
  "dasbor._index.tsx": "dashboard",
  "hadir.$token.tsx": "user",
  "hadir._index.tsx": "user",
  "healthz.ts": "public",
  "istilah.tsx": "user",
  "kader.$id.tsx": "kader-progress",
  "kalender.$token.ics.ts": "public",
  "kalender._index.tsx": "user",
  "kebutuhan-pelatihan.tsx": "training-needs",
  "keluar.tsx": "public",
  "luring.tsx": "public",
  "masuk.tsx": "public",
  "modul.$slug._index.tsx": "user",
  "modul.$slug.cetak.tsx": "user",
  "modul.$slug.kuis.$attemptId.tsx": "user",
  "modul.$slug.kuis._index.tsx": "user",
  "modul._index.tsx": "user",
  "modul.simpan.ts": { loader: "public", action: "learn" }, // GET answers 405 to anyone
  "posyandu.$id.tsx": "users-manage",
  "posyandu.$id_.kode-aktivasi.tsx": "users-manage",
  "posyandu.$id_.praktik.tsx": "practice-observe",
  "posyandu._index.tsx": "users-list",
  "posyandu.baru.tsx": "users-manage",
  "readyz.ts": "public",
  "selamat-datang.tsx": "user",
  "sertifikat.$code.jwt.ts": "user",
  "sertifikat.$code.pdf.ts": "user",
  "sertifikat._index.tsx": ["certificate-own", "certificates-view"],
  "sertifikat.kedaluwarsa.tsx": "certificates-view",
  "sesi.$id._index.tsx": "user",
  "sesi.$id.absensi.tsx": "session-roster",
  "sesi.$id.absensi[.csv].ts": "session-roster",
  "sesi.$id.absensi[.xlsx].ts": "session-roster",
  "sesi.$id.daftar-hadir[.pdf].ts": "session-roster",
  "sesi.$id.evaluasi.tsx": "user", // participants present only: anyone else 404 (tests/session-test.test.ts)
  "sesi.$id.ics.ts": "user",
  "sesi.$id.narasumber.tsx": "session-schedule",
  "sesi.$id.pengingat.tsx": "session-roster",
  "sesi.$id.peserta.tsx": "session-roster",
  "sesi.$id.qr.tsx": "session-roster",
  "sesi.$id.tes._index.tsx": "user", // participants only: anyone else 404 (tests/session-test.test.ts)
  "sesi.$id.tes.cetak.tsx": "session-roster",
  "sesi.$id.tes.isi.tsx": "session-roster",
  "sesi.$id.ubah.tsx": "session-schedule",
  "sesi._index.tsx": "user",
  "sesi.baru.tsx": "session-schedule",
  "tim-pembina._index.tsx": "pembina-observe",
  "tim-pembina.praktik.tsx": "pembina-observe",
  "verifikasi.$code.tsx": "public",
  "verifikasi._index.tsx": "public",
  "verifikasi.kunci.ts": "public",
};

/** Each role's scope: the desa 64.08.01.2001 and the regions above it. */
const SCOPE: Record<Role, string> = {
  kader: "64.08.01.2001",
  pembina_desa: "64.08.01.2001",
  pembina_kecamatan: "64.08.01",
  pembina_kabupaten: "64.08",
  dpmd: "64.08",
  admin: "64",
};
const cookies = {} as Record<Role, string>;
let params: Record<string, string> = {};

beforeAll(async () => {
  await setupDatabase();
  const pos = await makePosyandu({ name: "Posyandu Izin", desaCode: "64.08.01.2001" });
  for (const role of ROLES) {
    const u = await makeUser({ role, scopeCode: SCOPE[role], posyanduId: role === "kader" ? pos : null });
    cookies[role] = await sessionCookie(u.id);
    if (role === "kader") params.kader = u.id;
  }
  // A session of the desa, published, for kader: every role of the lineage can open it.
  const session = await makeWorkshop({ status: "published", region: "64.08.01.2001" });
  params = { ...params, posyandu: String(pos), session: String(session) };
});

function paramsFor(file: string): Record<string, string> {
  if (file.startsWith("posyandu.")) return { id: params.posyandu };
  if (file.startsWith("sesi.")) return { id: params.session };
  if (file.startsWith("kader.")) return { id: params.kader };
  if (file.startsWith("admin.pengguna.$id")) return { id: params.kader };
  if (file.startsWith("dasbor.$region.posyandu")) return { region: "64.08.01.2001", id: params.posyandu };
  if (file.startsWith("dasbor.$region")) return { region: "64.08.01.2001" };
  if (file.startsWith("analisis-soal.$slug")) return { slug: "spm-kesehatan" };
  if (file.startsWith("modul.$slug")) return { slug: "spm-kesehatan", attemptId: "x".repeat(20) };
  return { token: "x".repeat(20), code: "AP-XXXX-XXXX", file: "x.xlsx" };
}

/** The roles a route function answers 403 (what its guard leaves out, region aside). */
async function forbiddenRoles(file: string, fn: RouteFn, method: "GET" | "POST"): Promise<Role[]> {
  const out: Role[] = [];
  for (const role of ROLES) {
    const path = `/${file.replace(/\.(tsx?)$/, "").replace(/\./g, "/")}`;
    const req = makeRequest(path, {
      cookie: cookies[role],
      ...(method === "POST" ? { form: { intent: "x" } } : {}),
    });
    const r = await call(fn, req, paramsFor(file));
    if (r.status === 403) out.push(role);
  }
  return out;
}

describe("the permission table", () => {
  const files = Object.keys(routes).map((f) => f.replace("../app/routes/", ""));

  it("classifies every route (a new route must say who may open it)", () => {
    expect(files.filter((f) => !(f in ROUTE))).toEqual([]);
    expect(Object.keys(ROUTE).filter((f) => !files.includes(f))).toEqual([]);
  });

  it("every action names at least one role and its scope rule", () => {
    for (const [action, p] of Object.entries(PERMISSIONS)) {
      expect(p.roles.length, action).toBeGreaterThan(0);
      expect(p.scope.length, action).toBeGreaterThan(0);
    }
  });

  /** The roles a rule keeps out (null: not checked here, a public page or a form anyone may post). */
  const keptOut = (rule: Rule): Role[] | null =>
    rule === "public"
      ? null
      : rule === "user"
        ? []
        : ROLES.filter((r) => !(Array.isArray(rule) ? rule : [rule]).some((a) => can(r, a)));

  for (const [file, entry] of Object.entries(ROUTE)) {
    const { loader, action } =
      typeof entry === "object" && !Array.isArray(entry) ? entry : { loader: entry, action: entry };
    const forLoader = keptOut(loader);
    // Forms any signed-in user may post answer for the signed-in user only (tests of each feature).
    const forAction = action === "user" ? null : keptOut(action);
    if (!forLoader && !forAction) continue;
    it(`${file}: 403 for ${(forLoader ?? forAction)!.join(", ") || "nobody"} (${JSON.stringify(entry)})`, async () => {
      const m = routes[`../app/routes/${file}`];
      if (m.loader && forLoader) expect(await forbiddenRoles(file, m.loader, "GET"), "loader").toEqual(forLoader);
      if (m.action && forAction) expect(await forbiddenRoles(file, m.action, "POST"), "action").toEqual(forAction);
    });
  }

  it("the menu offers a staff page only to the roles its guard lets in", () => {
    const guarded: Record<string, Action> = {
      "/dasbor": "dashboard",
      "/posyandu": "users-list",
      "/admin/pengguna": "users-list",
      "/admin/impor": "import",
      "/admin/sertifikat": "certificates-view",
      "/admin/wilayah": "regions",
      "/analisis-soal": "item-analysis",
      "/kebutuhan-pelatihan": "training-needs",
      "/admin/audit": "audit",
    };
    for (const role of ROLES) {
      const menu = navFor(role).map((n) => n.to);
      for (const [to, action] of Object.entries(guarded))
        expect(menu.includes(to), `${role} ${to}`).toBe(rolesFor(action).includes(role));
    }
  });
});
