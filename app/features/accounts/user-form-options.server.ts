import type { SessionUser } from "~/auth.server";
import type { UserFormOptions } from "~/features/accounts/types";
import { assignableRoles } from "~/lib/roles";
import { NATIONAL_CODE } from "~/lib/region";
import { regionsInScope } from "~/features/regions/regions.server";
import { posyanduOptions } from "~/features/accounts/users.server";

/** Choices for the account form: only roles, regions and posyandu the actor may assign. */
export async function userFormOptions(actor: SessionUser): Promise<UserFormOptions> {
  // At the root: the nation, provinces and kabupaten/kota (admins and DPMD); the 7,000
  // kecamatan, their desa and posyandu are each province's admin's to assign.
  if (actor.scopeCode === NATIONAL_CODE)
    return {
      roles: assignableRoles(actor.role),
      regions: await regionsInScope(actor.scopeCode, ["nasional", "provinsi", "kabupaten"]),
      posyandu: [],
    };
  const [regions, posyandu] = await Promise.all([regionsInScope(actor.scopeCode), posyanduOptions(actor.scopeCode)]);
  return { roles: assignableRoles(actor.role), regions, posyandu };
}
