/**
 * Issue 21, point 6: a mistake on the praktik lapangan sheet. The real loader and action
 * of /posyandu/:id/praktik run in a static data router (as Remix runs them for a form
 * post without JavaScript) and the page is rendered to HTML: an error summary at the top
 * with a link to each row, every entry kept, the valid rows saved (and said so), and the
 * sheet sent again after the correction stores no row twice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { and, eq } from "drizzle-orm";
import { db } from "~/db.server";
import { practiceObservations } from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { content, syncModuleVersions } from "~/features/catalogue/content.server";
import { todayWita } from "~/lib/timezone";
import * as praktik from "~/routes/posyandu.$id_.praktik";
import { BASE, sessionCookie, setupDatabase } from "./helpers";

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
});

const DESA = "64.08.01.2001";
const TASK = () => content().defaultProgramme.practice.tasks[0];
const hex = (c: string) => c.repeat(32);

/** The page after a request, as the server renders it: status, action data, HTML. */
async function page(request: Request, posyanduId: number) {
  const handler = createStaticHandler([
    {
      id: "praktik",
      path: "/posyandu/:id/praktik",
      loader: praktik.loader as never,
      action: praktik.action as never,
      Component: praktik.default,
    },
  ]);
  const context = await handler.query(request);
  if (context instanceof Response) return { status: context.status, location: context.headers.get("Location") };
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return {
    status: context.statusCode,
    location: null,
    html,
    action: context.actionData?.praktik as
      | { errors: Record<string, string>; saved: { userId: string }[]; idempotencyKey: string | null }
      | undefined,
    posyanduId,
  };
}

function post(posyanduId: number, body: URLSearchParams, cookie: string) {
  return new Request(`${BASE}/posyandu/${posyanduId}/praktik?tugas=${TASK().id}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
}

async function sheet() {
  const pid = await makePosyandu({
    name: `Posyandu Anggrek ${Math.random().toString(36).slice(2, 6)}`,
    desaCode: DESA,
  });
  const kader = async (name: string) => makeUser({ role: "kader", scopeCode: DESA, posyanduId: pid, name });
  const ani = await kader("Ani Tersimpan");
  const budi = await kader("Budi Kurang Centang");
  const citra = await kader("Citra Tidak Diamati");
  const pembina = await makeUser({ role: "pembina_desa", scopeCode: DESA, name: "Pembina Senyiur" });
  return { pid, ani, budi, citra, cookie: await sessionCookie(pembina.id) };
}

const rowsOf = (key: string) =>
  db
    .select()
    .from(practiceObservations)
    .where(and(eq(practiceObservations.idempotencyKey, key), eq(practiceObservations.taskId, TASK().id)));

/** The attributes of the first tag matching `re` in `html`. */
function tag(html: string, re: RegExp): string {
  const m = html.match(re);
  if (!m) throw new Error(`no tag ${re} in the page`);
  return m[0];
}

describe("praktik lapangan: one wrong row among right ones", () => {
  it("summarises the error at the top with a link to the row, keeps every entry, saves the valid row and says which was not saved", async () => {
    const s = await sheet();
    const key = hex("a");
    const steps = TASK().steps.map((_, i) => String(i));
    const body = () => {
      const b = new URLSearchParams({
        taskId: TASK().id,
        idempotencyKey: key,
        observedOn: todayWita(),
        place: "Balai Desa Senyiur",
      });
      // Ani: every step met, kompeten, a note (valid).
      for (const i of steps) b.append(`langkah_${s.ani.id}`, i);
      b.set(`hasil_${s.ani.id}`, "kompeten");
      b.set(`catatan_${s.ani.id}`, "Rapi dan teliti");
      // Budi: kompeten with only the first step ticked (invalid), a note.
      b.append(`langkah_${s.budi.id}`, "0");
      b.set(`hasil_${s.budi.id}`, "kompeten");
      b.set(`catatan_${s.budi.id}`, "Lupa menolkan timbangan");
      // Citra: not observed.
      b.set(`hasil_${s.citra.id}`, "");
      return b;
    };

    const res = await page(post(s.pid, body(), s.cookie), s.pid);
    expect(res.status).toBe(400);
    const html = res.html!;

    // The summary comes before the sheet, takes the focus, and links to Budi's row.
    const summary = tag(html, /<div[^>]*id="ringkasan-kesalahan"[^>]*>/);
    expect(summary).toContain('tabindex="-1"');
    expect(summary).toContain("autofocus");
    expect(html.indexOf('id="ringkasan-kesalahan"')).toBeLessThan(html.indexOf("<form"));
    expect(html).toContain(`href="#kader-${s.budi.id}"`);
    expect(html).toMatch(new RegExp(`<fieldset[^>]*id="kader-${s.budi.id}"`));
    const summaryHtml = html.slice(html.indexOf('id="ringkasan-kesalahan"'), html.indexOf("<form"));
    expect(summaryHtml).toMatch(/Budi Kurang Centang: hasil &quot;Kompeten&quot; hanya bila semua langkah terpenuhi/);
    expect(summaryHtml).toMatch(/Sudah disimpan:<\/strong> pengamatan 1 kader \(Ani Tersimpan\)/);
    expect(summaryHtml).toMatch(/Belum disimpan:<\/strong> Budi Kurang Centang/);

    // Ani's row is stored, Budi's is not.
    const stored = await rowsOf(key);
    expect(stored.map((r) => r.userId)).toEqual([s.ani.id]);
    expect(stored[0]).toMatchObject({ result: "kompeten", note: "Rapi dan teliti", place: "Balai Desa Senyiur" });
    expect(res.action!.saved.map((r) => r.userId)).toEqual([s.ani.id]);
    // Ani's row shows what was stored, without inputs that could send it again.
    const aniRow = html.slice(html.indexOf(`id="kader-${s.ani.id}"`), html.indexOf(`id="kader-${s.budi.id}"`));
    const n = TASK().steps.length;
    expect(aniRow).toMatch(
      new RegExp(`Tersimpan:</strong> Kompeten, ${n} dari ${n} langkah terpenuhi\\. Catatan: Rapi dan teliti`),
    );
    expect(aniRow).not.toContain(`name="hasil_${s.ani.id}"`);

    // Budi's entries are all still there: the ticked step, the result, the note.
    expect(tag(html, new RegExp(`<input[^>]*name="langkah_${s.budi.id}"[^>]*value="0"[^>]*>`))).toContain("checked");
    expect(tag(html, new RegExp(`<input[^>]*name="langkah_${s.budi.id}"[^>]*value="1"[^>]*>`))).not.toContain(
      "checked",
    );
    expect(tag(html, new RegExp(`<input[^>]*name="hasil_${s.budi.id}"[^>]*value="kompeten"[^>]*>`))).toContain(
      "checked",
    );
    expect(html).toMatch(
      new RegExp(`<textarea[^>]*name="catatan_${s.budi.id}"[^>]*>Lupa menolkan timbangan</textarea>`),
    );
    expect(tag(html, /<input[^>]*id="f-tempat"[^>]*>/)).toContain('value="Balai Desa Senyiur"');
    // The sheet keeps its idempotency key.
    expect(tag(html, /<input[^>]*name="idempotencyKey"[^>]*>/)).toContain(`value="${key}"`);

    // A double submit of the same sheet stores nothing twice and answers the same.
    const again = await page(post(s.pid, body(), s.cookie), s.pid);
    expect(again.status).toBe(400);
    expect(again.action!.saved.map((r) => r.userId)).toEqual([s.ani.id]);
    expect(await rowsOf(key)).toHaveLength(1);

    // The corrected sheet, as the page sends it (Ani's row is no longer a field): Budi saved, Ani not twice.
    const fixed = new URLSearchParams({
      taskId: TASK().id,
      idempotencyKey: key,
      observedOn: todayWita(),
      place: "Balai Desa Senyiur",
    });
    fixed.append(`langkah_${s.budi.id}`, "0");
    fixed.set(`hasil_${s.budi.id}`, "belum_kompeten");
    fixed.set(`catatan_${s.budi.id}`, "Lupa menolkan timbangan");
    fixed.set(`hasil_${s.citra.id}`, "");
    const done = await page(post(s.pid, fixed, s.cookie), s.pid);
    expect(done.status).toBe(302);
    expect(done.location).toContain("tersimpan=1");
    const all = await rowsOf(key);
    expect(all.map((r) => r.userId).sort()).toEqual([s.ani.id, s.budi.id].sort());
    expect(all.find((r) => r.userId === s.budi.id)).toMatchObject({ result: "belum_kompeten" });
  });

  it("a wrong date saves nothing and says so, with a link to the date and every entry kept", async () => {
    const s = await sheet();
    const key = hex("b");
    const b = new URLSearchParams({
      taskId: TASK().id,
      idempotencyKey: key,
      observedOn: "2999-01-01",
      place: "Rumah Bu RT",
    });
    for (const i of TASK().steps.keys()) b.append(`langkah_${s.ani.id}`, String(i));
    b.set(`hasil_${s.ani.id}`, "kompeten");
    b.set(`catatan_${s.ani.id}`, "Sudah bagus");
    const res = await page(post(s.pid, b, s.cookie), s.pid);
    expect(res.status).toBe(400);
    const html = res.html!;
    const summaryHtml = html.slice(html.indexOf('id="ringkasan-kesalahan"'), html.indexOf("<form"));
    expect(summaryHtml).toContain('href="#f-tanggal"');
    expect(summaryHtml).toMatch(/tidak boleh di masa depan/);
    expect(summaryHtml).toMatch(/Belum ada pengamatan yang disimpan/);
    expect(await rowsOf(key)).toHaveLength(0);
    expect(tag(html, /<input[^>]*id="f-tempat"[^>]*>/)).toContain('value="Rumah Bu RT"');
    expect(tag(html, /<input[^>]*id="f-tanggal"[^>]*>/)).toContain('value="2999-01-01"');
    expect(tag(html, new RegExp(`<input[^>]*name="hasil_${s.ani.id}"[^>]*value="kompeten"[^>]*>`))).toContain(
      "checked",
    );
    expect(html).toMatch(new RegExp(`<textarea[^>]*name="catatan_${s.ani.id}"[^>]*>Sudah bagus</textarea>`));
  });
});
