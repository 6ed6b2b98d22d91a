import type { SessionUser } from "~/auth.server";
import type { UserFormOptions } from "~/components/user-form";
import { assignableRoles } from "~/lib/roles";
import { regionsInScope } from "~/regions.server";
import { posyanduOptions } from "~/users.server";

/** Choices for the account form: only roles, regions and posyandu the actor may assign. */
export async function userFormOptions(actor: SessionUser): Promise<UserFormOptions> {
  const [regions, posyandu] = await Promise.all([regionsInScope(actor.scopeCode), posyanduOptions(actor.scopeCode)]);
  return { roles: assignableRoles(actor.role), regions, posyandu };
}
