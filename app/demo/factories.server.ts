/**
 * Factories for posyandu and accounts: the demo seed and the tests both use them.
 */
import { db, type Conn } from "~/db.server";
import { posyandu, users, type Role, type SpmBidang } from "~/db/schema";
import { hashPassword } from "~/auth.server";
import { newUserId } from "~/features/accounts/users.server";

export async function makePosyandu(
  values: { name: string; desaCode: string; registrationNo?: string | null; active?: boolean },
  conn: Conn = db,
): Promise<number> {
  const [row] = await conn.insert(posyandu).values(values).returning({ id: posyandu.id });
  return row.id;
}

let phoneSeq = 0;
/** A unique, valid phone number for tests (0899 range, not handed out by operators in demo data). */
export function nextTestPhone(): string {
  phoneSeq += 1;
  return "62899" + String(process.pid % 1000).padStart(3, "0") + String(phoneSeq).padStart(5, "0");
}

export interface MakeUser {
  name?: string;
  phone?: string;
  email?: string | null;
  role: Role;
  scopeCode: string;
  posyanduId?: number | null;
  spmBidang?: SpmBidang | null;
  password?: string;
  passwordHash?: string | null;
  active?: boolean;
}

export async function makeUser(u: MakeUser, conn: Conn = db): Promise<{ id: string; phone: string }> {
  const id = newUserId();
  const phone = u.phone ?? nextTestPhone();
  const passwordHash =
    u.passwordHash !== undefined ? u.passwordHash : u.password ? await hashPassword(u.password) : null;
  await conn.insert(users).values({
    id,
    name: u.name ?? `Pengguna ${phone.slice(-4)}`,
    phone,
    email: u.email ?? null,
    passwordHash,
    role: u.role,
    scopeCode: u.scopeCode,
    posyanduId: u.posyanduId ?? null,
    spmBidang: u.spmBidang ?? (u.role === "kader" ? "kesehatan" : null),
    active: u.active ?? true,
  });
  return { id, phone };
}
