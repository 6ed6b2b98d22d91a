import { useLocation } from "@remix-run/react";
import type { Role } from "~/db/schema";
import { type Action, can } from "~/lib/permissions";
import { ROLE_LABEL } from "~/lib/roles";

interface ShellUser {
  name: string;
  role: Role;
  /** Posyandu and desa (kader) or region, by name. */
  place: string;
}

interface NavItem {
  to: string;
  label: string;
}

/**
 * Navigation per role: short labels so it fits a 360 px wide phone (the bar scrolls sideways).
 * A staff item shows only to the roles the permission table (lib/permissions.ts) lets through
 * its page's guard, so the menu and the guards cannot drift apart.
 */
export function navFor(role: Role): NavItem[] {
  const home = { to: "/", label: "Beranda" };
  if (role === "kader") {
    return [
      home,
      { to: "/modul", label: "Modul" },
      { to: "/sesi", label: "Kegiatan" },
      { to: "/hadir", label: "Absen" },
      { to: "/sertifikat", label: "Sertifikat" },
    ];
  }
  const staff: (NavItem & { action?: Action })[] = [
    { to: "/dasbor", label: "Dasbor", action: "dashboard" },
    { to: "/modul", label: "Belajar", action: "certificate-own" },
    { to: "/sesi", label: "Kegiatan" },
    { to: "/tim-pembina", label: "Tim Pembina", action: "pembina-observe" },
    { to: "/posyandu", label: "Posyandu", action: "users-list" },
    { to: "/admin/pengguna", label: "Pengguna", action: "users-list" },
    { to: "/admin/impor", label: "Impor", action: "import" },
    { to: "/admin/sertifikat", label: "Sertifikat", action: "certificates-view" },
    { to: "/admin/wilayah", label: "Wilayah", action: "regions" },
    { to: "/analisis-soal", label: "Analisis soal", action: "item-analysis" },
    { to: "/kebutuhan-pelatihan", label: "Kebutuhan pelatihan", action: "training-needs" },
    { to: "/admin/audit", label: "Audit", action: "audit" },
  ];
  return [home, ...staff.filter((i) => !i.action || can(role, i.action)).map(({ to, label }) => ({ to, label }))];
}

/**
 * The menu item of the page shown: its path or a page under it ("/" only itself), compared
 * without case as NavLink did. The shell is plain anchors and a plain form (every page works
 * without JavaScript, and a hydrated page loses nothing but client-side navigation), read
 * against one location per page instead of a router lookup per link.
 */
export function isNavActive(pathname: string, to: string): boolean {
  const path = pathname.toLowerCase().replace(/(.)\/+$/, "$1");
  return to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`);
}

/** The demo's banner on every page: the accounts and their password are public. */
export function DemoBanner({ password }: { password: string }) {
  return (
    <p role="note" className="bg-amber-100 px-3 py-1 text-center text-xs text-amber-900">
      <strong>Situs demo</strong>: semua akun memakai kata sandi umum <code>{password}</code>. Jangan isi data
      sungguhan.
    </p>
  );
}

export function AppShell({
  user,
  demoPassword = null,
  children,
}: {
  user: ShellUser | null;
  /** Set in demo mode (root loader): the banner is shown. */
  demoPassword?: string | null;
  children: React.ReactNode;
}) {
  const { pathname } = useLocation();
  return (
    <div className="shell">
      {/* The first Tab: past the header and menu straight to the page (keyboard and switch users). */}
      <a href="#isi" className="lewati">
        Langsung ke isi halaman
      </a>
      {demoPassword ? <DemoBanner password={demoPassword} /> : null}
      <header className="kepala">
        {/* Wraps instead of pushing the name and Keluar off a phone's screen when the text is enlarged. */}
        <div>
          <a href="/">Akademi Posyandu</a>
          {user ? (
            <div>
              <a href="/akun">
                <span>{user.name}</span>
                <span>{user.role === "kader" ? user.place : `${ROLE_LABEL[user.role]} · ${user.place}`}</span>
              </a>
              <form method="post" action="/keluar">
                <button type="submit">Keluar</button>
              </form>
            </div>
          ) : null}
        </div>
        {user ? (
          <nav aria-label="Menu utama">
            <ul>
              {navFor(user.role).map((item) => {
                const active = isNavActive(pathname, item.to);
                return (
                  <li key={item.to}>
                    <a href={item.to} aria-current={active ? "page" : undefined}>
                      {item.label}
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="isi" tabIndex={-1}>
        {children}
      </main>
      <footer>Akademi Posyandu · pelatihan kader Posyandu 6 SPM (Permendagri 13/2024)</footer>
    </div>
  );
}
