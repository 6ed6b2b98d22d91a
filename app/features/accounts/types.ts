/** Types shared by the account pages and their server modules. */
import type { Role } from "~/db/schema";

export interface UserFormOptions {
  roles: Role[];
  regions: { code: string; name: string; level: string }[];
  posyandu: { id: number; name: string; desaName: string }[];
}
