import type { RegistryMatch } from '../registry/registry-ports.js';

/**
 * The SIM phones the ID authority records for a household's other members (their IDENTITY items),
 * read only for a message whose phone is not already tied by the applicant's own partition.
 */
export interface MemberSimLookup {
  simPhonesOf(cnicHashes: readonly string[]): Promise<Map<string, readonly string[]>>;
}

/**
 * Who may learn a household's outcome: `tied` when the phone is one of its registry phones or a SIM
 * of one of its members; `phones` are the tied phones to tell instead (registry phones first), empty
 * when the household has none. A CNIC neither the registry nor the ID authority knows has nobody to
 * protect: its sender is answered (and becomes the provisional household's phone).
 */
export interface PhoneTie {
  readonly tied: boolean;
  readonly phones: readonly string[];
}

/** The tie from what the applicant's one Query read: the household snapshot's phones and their own SIMs. */
export function tieFromMatch(match: RegistryMatch | undefined, phone: string): PhoneTie & { known: boolean } {
  const known = Boolean(match?.person || match?.identity);
  const phones = [...new Set([...(match?.household?.phones ?? []), ...(match?.identity?.simPhones ?? [])])];
  return { known, tied: !known || phones.includes(phone), phones };
}

/**
 * Whether `phone` may learn the outcome of the CNIC behind `match`. Costs no read when the phone is a
 * registry phone or the applicant's own SIM (every honest case but a member's SIM); otherwise reads
 * the other members' identity records once, which strangers and helpers pay for.
 */
export async function tieOf(
  members: MemberSimLookup | undefined,
  match: RegistryMatch | undefined,
  phone: string,
): Promise<PhoneTie> {
  const cheap = tieFromMatch(match, phone);
  if (cheap.tied || !members) return cheap;
  const others = (match?.household?.members ?? [])
    .map((m) => m.cnicHash)
    .filter((h) => h !== match?.identity?.cnicHash && h !== match?.person?.cnicHash);
  if (others.length === 0) return cheap;
  const sims = await members.simPhonesOf(others);
  const memberPhones = others.flatMap((h) => sims.get(h) ?? []);
  const phones = [...new Set([...cheap.phones, ...memberPhones])];
  return { tied: memberPhones.includes(phone), phones };
}
