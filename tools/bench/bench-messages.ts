import type { GeneratedHousehold, InboundSms } from '@madad/cli/lab';
import { registrationText, SeededRandom } from '@madad/cli/lab';

/** Repeats sent from another phone (a neighbour's): the phone's first message for that CNIC. */
const OTHER_PHONE_SHARE = 0.3;

/** The bench's two sets of registrations: first registrations of distinct people, then repeats of them. */
export interface BenchMessages {
  /** One registration per household (its first member), in the formats people type. */
  readonly unique: InboundSms[];
  /** Repeats of those CNICs: most from the same phone, some from another registrant's phone. */
  readonly duplicates: InboundSms[];
}

const fallbackPhone = (n: number) => `0398${String(n).padStart(7, '0')}`;

/** Registrations for the reconciliation bench, seeded: unique people first, then their repeats. */
export function benchMessages(
  population: readonly GeneratedHousehold[],
  counts: { unique: number; duplicates: number },
  seed: string,
): BenchMessages {
  const rng = new SeededRandom(`madad-bench-messages:${seed}`);
  const people = population.slice(0, counts.unique).flatMap((g, i) => {
    const member = g.household.members[0];
    return member ? [{ cnic: member.cnic, phone: g.household.phones[0] ?? fallbackPhone(i) }] : [];
  });
  if (people.length < counts.unique) {
    throw new Error(`${counts.unique} unique registrations need as many households with members`);
  }
  const receivedAt = new Date().toISOString();
  const unique = people.map((person, i) => ({
    from: person.phone,
    to: '8171',
    text: registrationText(rng, person.cnic).text,
    messageId: `bench-u-${i}`,
    receivedAt,
  }));
  const duplicates = Array.from({ length: counts.duplicates }, (_, j) => {
    const person = people[j % people.length] ?? { cnic: '', phone: '' };
    const other = rng.chance(OTHER_PHONE_SHARE) ? rng.pick(people).phone : person.phone;
    return {
      from: other,
      to: '8171',
      text: registrationText(rng, person.cnic).text,
      messageId: `bench-d-${j}`,
      receivedAt,
    };
  });
  return { unique, duplicates };
}

/** The body the webhook queues for an SMS (what `POST /sms/inbound` hands to the registrations queue). */
export function queuedBody(sms: InboundSms, acceptedAt = new Date().toISOString()): string {
  return JSON.stringify({ ...sms, channel: 'sms', acceptedAt });
}
