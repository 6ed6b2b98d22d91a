/**
 * A kader's standing for /sertifikat, with the catch-up: when the rule says certified but no
 * certificate is in force (a trigger that failed or never ran), evaluate again and read the
 * standing anew. Issuance is idempotent, so a catch-up racing another evaluation issues one
 * certificate. docs/ARCHITECTURE.md, "The path of a quiz answer" (step 4).
 */
import { evaluateCertification, kaderStanding, type ProgrammeStanding } from "~/features/certification/evaluate.server";

/** True when some programme's rule is met but no certificate is in force: an issuance was missed. */
export function missedIssuance(standings: readonly ProgrammeStanding[]): boolean {
  return standings.some((s) => !s.valid && s.rule.certified);
}

/** Where the kader stands in each programme, after issuing any certificate that was missed. Never throws on a failed issuance. */
export async function standingWithCatchUp(userId: string, now = new Date()): Promise<ProgrammeStanding[]> {
  const standings = await kaderStanding(userId, now);
  if (!missedIssuance(standings)) return standings;
  await evaluateCertification(userId, now);
  return kaderStanding(userId, now);
}
