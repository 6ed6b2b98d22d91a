/** Roles, what scope level each holds, and who may manage whom. */
import type { RegionLevel, Role, SpmBidang } from "~/db/schema";
import { ROLES } from "~/db/schema";
import { isWithinScope, levelOfCode, NATIONAL_CODE } from "~/lib/region";
import { rolesFor } from "~/lib/permissions";

export { ROLES };
export type { Role };

export const ROLE_LABEL: Record<Role, string> = {
  kader: "Kader",
  pembina_desa: "Tim Pembina Desa",
  pembina_kecamatan: "Tim Pembina Kecamatan",
  pembina_kabupaten: "Tim Pembina Kabupaten",
  dpmd: "DPMD",
  admin: "Admin",
};

export const SPM_LABEL: Record<SpmBidang | "umum", string> = {
  umum: "Umum",
  pendidikan: "Pendidikan",
  kesehatan: "Kesehatan",
  "pekerjaan-umum": "Pekerjaan Umum",
  "perumahan-rakyat": "Perumahan Rakyat",
  "trantibum-linmas": "Trantibum Linmas",
  sosial: "Sosial",
};

/** The region level a role's scope must be at. */
export const ROLE_SCOPE_LEVEL: Record<Role, RegionLevel> = {
  kader: "desa",
  pembina_desa: "desa",
  pembina_kecamatan: "kecamatan",
  pembina_kabupaten: "kabupaten",
  dpmd: "kabupaten",
  admin: "provinsi",
};

const RANK: Record<Role, number> = {
  kader: 0,
  pembina_desa: 1,
  pembina_kecamatan: 2,
  pembina_kabupaten: 3,
  dpmd: 4,
  admin: 5,
};

export const PEMBINA_ROLES: readonly Role[] = ["pembina_desa", "pembina_kecamatan", "pembina_kabupaten"];

/** Roles an actor may give to accounts: admin any, DPMD all but admin, pembina only lower pembina and kader. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === "admin") return [...ROLES];
  return ROLES.filter((r) => RANK[r] < RANK[actor]);
}

export interface Actor {
  role: Role;
  scopeCode: string;
}

/** May `actor` create or change an account with this role and scope? */
export function canManageAccount(actor: Actor, target: { role: Role; scopeCode: string }): boolean {
  if (!isWithinScope(target.scopeCode, actor.scopeCode)) return false;
  return assignableRoles(actor.role).includes(target.role);
}

/** An admin may also hold the nation (Kemendagri: every province). */
export function scopeLevelMatches(role: Role, scopeCode: string): boolean {
  if (scopeCode === NATIONAL_CODE) return role === "admin";
  return levelOfCode(scopeCode) === ROLE_SCOPE_LEVEL[role];
}

/** Posyandu (create/edit) is managed by pembina, DPMD and admin within scope. */
export function canManagePosyandu(role: Role): boolean {
  return role !== "kader";
}

/** Roles that import kader and posyandu rosters (within their scope). */
export const IMPORT_ROLES: readonly Role[] = rolesFor("import");
