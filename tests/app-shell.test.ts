/**
 * The shell around every page (app/components/app-shell.tsx): plain anchors and a plain
 * form (no router lookups per link, no data-discover attributes), the menu item of the page
 * shown marked with aria-current.
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { AppShell, isNavActive } from "~/components/app-shell";
import type { Role } from "~/db/schema";

type ShellProps = Parameters<typeof AppShell>[0];

const shell = (path: string, role: Role) =>
  renderToString(
    createElement(
      MemoryRouter,
      { initialEntries: [path] },
      createElement(AppShell, { user: { name: "Bu Uji", role, place: "Kutai Timur" } } as ShellProps, "isi"),
    ),
  );
const current = (html: string) => [...html.matchAll(/<a href="([^"]+)" aria-current="page"/g)].map((m) => m[1]);

describe("the app shell", () => {
  it("marks the menu item of the page shown, and only it", () => {
    expect(current(shell("/", "kader"))).toEqual(["/"]);
    expect(current(shell("/modul/spm-sosial/kuis", "kader"))).toEqual(["/modul"]);
    expect(current(shell("/sertifikat", "kader"))).toEqual(["/sertifikat"]);
    expect(current(shell("/dasbor/64.02.14", "admin"))).toEqual(["/dasbor"]);
    expect(current(shell("/admin/pengguna/abc", "admin"))).toEqual(["/admin/pengguna"]);
    expect(current(shell("/akun", "kader"))).toEqual([]);
  });

  it("is plain HTML: anchors and the Keluar form, no router attributes", () => {
    const html = shell("/dasbor/64", "dpmd");
    expect(html).toContain('<a href="/akun"');
    expect(html).toContain('<form method="post" action="/keluar">');
    expect(html).not.toContain("data-discover");
  });

  it("isNavActive: the path or a page under it, without case or a trailing slash; / only itself", () => {
    expect(isNavActive("/", "/")).toBe(true);
    expect(isNavActive("/modul", "/")).toBe(false);
    expect(isNavActive("/Modul/", "/modul")).toBe(true);
    expect(isNavActive("/modul/x", "/modul")).toBe(true);
    expect(isNavActive("/modulx", "/modul")).toBe(false);
    expect(isNavActive("/admin/impor", "/admin/pengguna")).toBe(false);
  });
});
