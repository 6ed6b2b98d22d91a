/**
 * The one permission table: each action, the roles that may take it, and the scope rule
 * that applies on top (docs/ARCHITECTURE.md, "Roles and permissions"). Route guards
 * (requireRole), feature checks, the menu (app/components/app-shell.tsx) and the test over
 * every route (tests/permissions.test.ts) read it; no role list is spelled anywhere else.
 * The role alone never suffices: every read and write is also limited to the user's region
 * (`withinScope` / `requireScope`), and the scope column says how.
 */
import type { Role } from "~/db/schema";

export interface Permission {
  roles: readonly Role[];
  /** What the action is, in a few words. */
  what: string;
  /** The region rule on top of the role. */
  scope: string;
}

const STAFF = ["pembina_desa", "pembina_kecamatan", "pembina_kabupaten", "dpmd", "admin"] as const;
const OWN_REGION = "own region and below";

export const PERMISSIONS = {
  learn: {
    roles: ["kader"],
    what: "store every module for offline reading (/modul/simpan)",
    scope: "own account",
  },
  "certificate-own": {
    roles: ["kader", "pembina_desa", "pembina_kecamatan", "pembina_kabupaten"],
    what: "her own certificate status in her programme (/sertifikat; DPMD and admin are sent to the register)",
    scope: "own account",
  },
  dashboard: { roles: STAFF, what: "dashboards and their exports", scope: OWN_REGION },
  "kader-progress": {
    roles: STAFF,
    what: "a kader's progress page; grant another round of a quiz; the locked-out list",
    scope: OWN_REGION,
  },
  "practice-observe": {
    roles: ["pembina_desa", "pembina_kecamatan"],
    what: "record an observed praktik lapangan sitting",
    scope: "posyandu in own region",
  },
  "pembina-observe": {
    roles: ["pembina_kecamatan", "pembina_kabupaten", "dpmd", "admin"],
    what: "see the Tim Pembina below one's level and record their observed practice (/tim-pembina)",
    scope: "pembina of a lower level in own region",
  },
  "users-list": { roles: STAFF, what: "list and find users and posyandu", scope: OWN_REGION },
  "users-manage": {
    roles: STAFF,
    what: "create and edit users and posyandu, print activation codes",
    scope: "own region; only roles below one's own (lib/roles.ts canManage)",
  },
  import: { roles: STAFF, what: "import rosters of kader and posyandu", scope: OWN_REGION },
  "session-schedule": {
    roles: ["pembina_kabupaten", "pembina_kecamatan", "dpmd", "admin"],
    what: "schedule, change and cancel sosialisasi/pelatihan sessions",
    scope: "sessions held in own region",
  },
  "session-roster": {
    roles: STAFF,
    what: "enrol participants, take attendance, show the QR screen, export the daftar hadir",
    scope: "sessions held in own region (pembina desa: those of her desa)",
  },
  "certificates-view": {
    roles: ["pembina_kabupaten", "dpmd", "admin"],
    what: "the certificate register and the expiring list",
    scope: "certificates of kader in own region",
  },
  "certificates-revoke": {
    roles: ["dpmd", "admin"],
    what: "revoke a certificate with a reason",
    scope: "certificates of kader in own region",
  },
  signatories: {
    roles: ["dpmd", "admin"],
    what: "set a kabupaten's certificate signatory",
    scope: "kabupaten in own region",
  },
  "item-analysis": { roles: ["dpmd", "admin"], what: "quiz item analysis and its CSV", scope: OWN_REGION },
  "training-needs": {
    roles: STAFF,
    what: "the module sections kader miss most (quiz and pre/post tests) and a draft session made from them",
    scope: "a kecamatan or desa in own region",
  },
  audit: { roles: ["dpmd", "admin"], what: "the audit log", scope: OWN_REGION },
  regions: { roles: ["admin"], what: "import the region list of a province", scope: "all" },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof PERMISSIONS;

/** The roles that may take an action. */
export function rolesFor(action: Action): readonly Role[] {
  return PERMISSIONS[action].roles;
}

/** Whether a role may take an action (its region is checked separately). */
export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action].roles as readonly Role[]).includes(role);
}
