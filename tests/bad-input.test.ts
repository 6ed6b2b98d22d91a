/**
 * A table of malformed bodies thrown at every route with an action, by an admin and by a
 * kader: each is answered 400/403/404/413/415 with a message (never a 500, never a
 * success), and nothing is written. The same rules for URLs (NUL bytes, int4 ids).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "~/db.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { createWorkshop } from "~/features/workshops/sessions.server";
import { workshopFormSchema } from "~/features/workshops/rules";
import { getUser } from "~/auth.server";
import { hasControlChars, isFormContentType, readForm, safeRedirect } from "~/lib/http";
import { idSchema, listQuerySchema } from "~/lib/query";
import { rowsOf } from "~/db.server";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const routes = import.meta.glob<{ action?: Function; loader?: Function }>("../app/routes/*.{ts,tsx}", { eager: true });
const withAction = Object.entries(routes)
  .filter(([, m]) => typeof m.action === "function")
  .map(([file, m]) => [file.replace("../app/routes/", ""), m] as const);

/** Every field name the app's forms use, so a route reads the poisoned value whatever it expects. */
const FIELDS = [
  "name",
  "phone",
  "email",
  "role",
  "scopeCode",
  "posyanduId",
  "spmBidang",
  "login",
  "password",
  "redirectTo",
  "code",
  "pindai",
  "title",
  "venue",
  "intent",
  "userId",
  "q",
  "current",
  "next",
  "confirm",
  "reason",
  "desaCode",
  "address",
];

function formOf(value: string): string {
  return FIELDS.map((f) => `${f}=${encodeURIComponent(value)}`).join("&");
}

interface BadBody {
  label: string;
  contentType?: string;
  body: string;
  length?: number;
  expect: number[];
}

const TABLE: BadBody[] = [
  { label: "JSON", contentType: "application/json", body: '{"name":"x","login":"081100000001"}', expect: [415] },
  { label: "text/plain", contentType: "text/plain", body: "name=x", expect: [415] },
  { label: "no content type", body: "name=x", expect: [415] },
  { label: "multipart without boundary", contentType: "multipart/form-data", body: "--x\r\n", expect: [415] },
  {
    label: "multipart with a broken body",
    contentType: "multipart/form-data; boundary=zz",
    body: "not multipart at all",
    expect: [400],
  },
  {
    label: "NUL byte in every field",
    contentType: "application/x-www-form-urlencoded",
    body: formOf("Nama\u0000jahat"),
    expect: [400],
  },
  {
    label: "control character in a field name",
    contentType: "application/x-www-form-urlencoded",
    body: "na%01me=x",
    expect: [400],
  },
  {
    label: "declared body over the limit",
    contentType: "application/x-www-form-urlencoded",
    body: "name=x",
    length: 50 * 1024 * 1024,
    expect: [413],
  },
];

const UPLOAD_ROUTES = new Set(["admin.impor._index.tsx", "admin.wilayah.tsx"]);
/**
 * Routes that answer 404 before the body without a certificate or quiz attempt, or 403 to
 * every role this test signs in as (the observation sheet is for pembina desa/kecamatan).
 */
const NEEDS_RESOURCE = new Set([
  "posyandu.$id_.praktik.tsx",
  "admin.sertifikat.$code.tsx",
  "modul.$slug.kuis.$attemptId.tsx",
  "admin.impor.pratinjau.$token.tsx",
  "sesi.$id.evaluasi.tsx", // only who attended the session: 404 for anyone else, before the body
]);

let admin: string, kader: string, posyanduId: number, workshopId: number, userId: string;

beforeAll(async () => {
  await setupDatabase();
  posyanduId = await makePosyandu({ name: "Posyandu Uji", desaCode: "64.08.01.2003" });
  const a = await makeUser({ role: "admin", scopeCode: "64", password: "sandi-admin-1" });
  const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2003", posyanduId, password: "sandi-kader-1" });
  userId = k.id;
  admin = await sessionCookie(a.id);
  kader = await sessionCookie(k.id);
  const user = (await getUser(makeRequest("/", { cookie: admin })))!;
  const start = new Date(Date.now() + 3 * 86_400_000);
  const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
  const r = await createWorkshop(
    user,
    workshopFormSchema.parse({
      title: "Pelatihan Uji",
      kind: "pelatihan",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Aula",
      startsAt: local(start),
      endsAt: local(new Date(start.getTime() + 3600_000)),
      capacity: "30",
      graceMinutes: "15",
      moduleSlugs: ["spm-kesehatan"],
    }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  workshopId = r.id;
});

/** Rows in every table the app writes (rate limits excepted: failures are counted there on purpose). */
async function rowCounts(): Promise<string> {
  const tables = [
    "users",
    "posyandu",
    "sessions",
    "audit_log",
    "workshops",
    "enrolments",
    "attendance",
    "certificates",
    "quiz_attempts",
    "module_progress",
    "verification_log",
    "activation_codes",
    "import_batches",
  ];
  const parts = await Promise.all(
    tables.map(
      async (t) =>
        `${t}=${rowsOf<{ n: number }>(await db.execute(sql.raw(`select count(*)::int as n from ${t}`)))[0].n}`,
    ),
  );
  return parts.join(" ");
}

function paramsFor(file: string): Record<string, string> {
  const id = file.startsWith("sesi.") ? workshopId : file.startsWith("posyandu.") ? posyanduId : 1;
  return {
    id: file.startsWith("admin.pengguna.$id") ? userId : String(id),
    slug: "spm-kesehatan",
    attemptId: "1",
    token: "a".repeat(32),
    code: "x",
  };
}

describe("malformed bodies at every action", () => {
  it("finds the mutating routes", () => {
    expect(withAction.length).toBeGreaterThanOrEqual(20);
  });

  it.each(withAction)("%s answers 4xx and writes nothing", async (file, m) => {
    const before = await rowCounts();
    const seen: string[] = [];
    const upload = UPLOAD_ROUTES.has(file);
    for (const bad of TABLE) {
      for (const [who, cookie] of [
        ["admin", admin],
        ["kader", kader],
        ["anonim", ""],
      ] as const) {
        const headers = new Headers({ Origin: BASE });
        if (cookie) headers.set("Cookie", cookie);
        if (bad.length) headers.set("Content-Length", String(bad.length));
        const req = new Request(`${BASE}/x`, { method: "POST", headers, body: bad.body });
        // A string body gets text/plain by default: set (or remove) the type we mean.
        if (bad.contentType) req.headers.set("Content-Type", bad.contentType);
        else req.headers.delete("Content-Type");
        const res = await call(m.action as never, req, paramsFor(file));
        seen.push(`${bad.label}/${who}: ${res.status}`);
        // Refused before the body was read: 403/404, or sent to log in (anonymous) or
        // home (a signed-in user on /masuk, /aktivasi).
        const refusedEarly =
          [403, 404].includes(res.status) || (res.status === 302 && /^\/($|masuk)/.test(res.location ?? ""));
        // An upload route refuses every non-multipart body as 415.
        const allowed = upload ? [400, 413, 415] : bad.expect;
        expect(refusedEarly || allowed.includes(res.status), seen.at(-1)).toBe(true);
        if (res.status >= 400)
          expect(typeof res.data === "string" ? res.data : JSON.stringify(res.data)).toMatch(/[a-z]{3}/i);
      }
    }
    // Someone got as far as the body for every kind of bad input (unless the route needs a
    // resource this test does not make).
    if (!NEEDS_RESOURCE.has(file)) {
      expect(seen.filter((s) => /: (400|413|415)$/.test(s)).length, seen.join("\n")).toBeGreaterThanOrEqual(
        TABLE.length,
      );
    }
    expect(await rowCounts()).toBe(before);
  });
});

describe("the rules themselves", () => {
  it("readForm: form content types only", () => {
    expect(isFormContentType("application/x-www-form-urlencoded")).toBe(true);
    expect(isFormContentType("application/x-www-form-urlencoded; charset=UTF-8")).toBe(true);
    expect(isFormContentType("multipart/form-data; boundary=----abc")).toBe(true);
    expect(isFormContentType("multipart/form-data")).toBe(false);
    expect(isFormContentType("application/json")).toBe(false);
    expect(isFormContentType(null)).toBe(false);
  });

  it("readForm keeps tabs and newlines (addresses, reasons) but not other control characters", async () => {
    const ok = await readForm(makeRequest("/x", { form: { address: "Jl. Poros\r\nRT 02\tNo. 3" } }));
    expect(ok.get("address")).toBe("Jl. Poros\r\nRT 02\tNo. 3");
    expect(hasControlChars("a\u0000b")).toBe(true);
    expect(hasControlChars("a\u001bb")).toBe(true);
    expect(hasControlChars("a\u007fb")).toBe(true);
  });

  it("ids beyond int4 are not ids", () => {
    expect(idSchema.safeParse("2147483647").success).toBe(true);
    expect(idSchema.safeParse("3000000000").success).toBe(false);
    expect(idSchema.safeParse("0").success).toBe(false);
    expect(idSchema.safeParse("1e3").success).toBe(true);
    expect(idSchema.safeParse("-5").success).toBe(false);
  });

  it("search text with a NUL byte is dropped", () => {
    expect(listQuerySchema.parse({ q: "Sri\u0000" }).q).toBeUndefined();
    expect(listQuerySchema.parse({ q: "Sri" }).q).toBe("Sri");
  });

  it("a redirectTo with a newline or a control character falls back", () => {
    expect(safeRedirect("/dasbor\r\nSet-Cookie: x=1")).toBe("/");
    expect(safeRedirect("/dasbor\u0000")).toBe("/");
  });
});

describe("URLs with NUL bytes and huge ids", () => {
  it("/verifikasi/%00 is a 404 page, not a 500, and logs nothing unreadable", async () => {
    const m = routes["../app/routes/verifikasi.$code.tsx"];
    const res = await call(m.loader as never, makeRequest("/verifikasi/%00"), { code: "\u0000" });
    expect(res.status).toBe(404);
  });

  it("a posyandu id beyond int4 in a form is a field error, not a 500", async () => {
    const m = routes["../app/routes/admin.pengguna.baru.tsx"];
    const res = await call(
      m.action as never,
      makeRequest("/admin/pengguna/baru", {
        cookie: admin,
        form: {
          name: "Sri Wahyuni",
          phone: "081255501234",
          role: "kader",
          scopeCode: "",
          posyanduId: "3000000000",
          spmBidang: "kesehatan",
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.data)).toMatch(/Posyandu tidak valid/);
  });

  it("a peserta filter with a posyandu id beyond int4 is ignored", async () => {
    const m = routes["../app/routes/sesi.$id.peserta.tsx"];
    const res = await call(
      m.loader as never,
      makeRequest(`/sesi/${workshopId}/peserta?posyandu=3000000000&q=%00`, { cookie: admin }),
      { id: String(workshopId) },
    );
    expect(res.status).toBe(200);
  });
});
