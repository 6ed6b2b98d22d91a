import type { SessionUser } from "~/auth.server";
import type { UserFormOptions } from "~/features/accounts/types";
import { assignableRoles } from "~/lib/roles";
import { regionsInScope } from "~/features/regions/regions.server";
import { posyanduOptions } from "~/features/accounts/users.server";

/** Choices for the account form: only roles, regions and posyandu the actor may assign. */
export async function userFormOptions(actor: SessionUser): Promise<UserFormOptions> {
  const [regions, posyandu] = await Promise.all([regionsInScope(actor.scopeCode), posyanduOptions(actor.scopeCode)]);
  return { roles: assignableRoles(actor.role), regions, posyandu };
}
