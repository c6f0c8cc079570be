import { formatCnic } from '@madad/core';
import type { GeneratedHousehold } from '../generate/population.js';
import { SeededRandom } from '../generate/prng.js';

/** Why a message is in the mix; the report counts by it. */
export type MessageKind =
  | 'first'
  | 'repeat-same-phone'
  | 'repeat-other-phone'
  | 'invalid-cnic'
  | 'malformed'
  | 'unknown-cnic';

/** One SMS the surge will send. */
export interface PlannedSms {
  readonly messageId: string;
  readonly from: string;
  readonly text: string;
  readonly kind: MessageKind;
  /** The normalized CNIC a registration is for. */
  readonly cnic?: string;
  /** The person's household lies in the campaign's districts. */
  readonly inArea?: boolean;
  /** Written with Urdu digits or an Urdu keyword. */
  readonly urdu?: boolean;
}

export interface MixOptions {
  readonly messages: number;
  readonly seed: string;
  /** Prefix of every message id, unique per run (ids are idempotency keys). */
  readonly runId: string;
  /** Messages per unique person; default: messages over households, between 1 and 30 (2020: about 30). */
  readonly repeatFactor?: number;
  readonly inArea: (district: string) => boolean;
}

// Shares of all messages (2020: about 5% invalid CNICs).
const INVALID_SHARE = 0.05;
const MALFORMED_SHARE = 0.02;
// Shares of unique people: CNICs nobody knows, and people the ID authority knows but no survey reached.
const UNKNOWN_SHARE = 0.03;
const UNSURVEYED_SHARE = 0.02;
// Repeats sent from someone else's phone (a neighbour, a shop): these phones soon hit the per-phone limit.
const OTHER_PHONE_SHARE = 0.2;
const MAX_PER_PERSON = 150;
const URDU_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const MALFORMED = ['hello', 'madad', '?', 'paisay kab milain gay', 'REG', 'امداد چاہیے', 'ok', 'STATUS'];

const toUrduDigits = (text: string) => text.replace(/[0-9]/g, (d) => URDU_DIGITS[Number(d)] ?? d);

interface Person {
  readonly cnic: string;
  readonly phone: string;
  readonly inArea: boolean;
  readonly kind: 'first' | 'unknown-cnic';
}

/**
 * A realistic surge from a population: most messages are registrations, each person sending several
 * (mostly from their own phone, some from a shared one), in every format people type, with invalid
 * CNICs, malformed texts, unknown CNICs and people outside the affected districts. Seeded: the same
 * options give the same messages.
 */
export function planSurge(population: readonly GeneratedHousehold[], options: MixOptions): PlannedSms[] {
  const rng = new SeededRandom(`madad-surge:${options.seed}`);
  const total = options.messages;
  const invalid = Math.round(total * INVALID_SHARE);
  const malformed = Math.round(total * MALFORMED_SHARE);
  const registrations = total - invalid - malformed;
  const factor = options.repeatFactor ?? Math.min(30, Math.max(1, registrations / population.length));
  const people = choosePeople(rng, population, Math.max(1, Math.ceil(registrations / factor)), options);
  const helperPhones = Array.from({ length: Math.max(3, Math.ceil(people.length / 6)) }, (_, i) =>
    phone(9_000_000 + i),
  );

  // Everyone sends once; the remaining registrations go to people with a long tail (some send dozens).
  const counts = people.map(() => 1);
  const cumulative: number[] = [];
  for (const _ of people) cumulative.push((cumulative.at(-1) ?? 0) - Math.log(1 - rng.next()));
  for (let extra = registrations - people.length; extra > 0; extra--) {
    const i = lowerBound(cumulative, rng.next() * (cumulative.at(-1) ?? 0));
    if ((counts[i] ?? 0) < MAX_PER_PERSON) counts[i] = (counts[i] ?? 0) + 1;
  }

  const planned: Omit<PlannedSms, 'messageId'>[] = [];
  for (const [i, person] of people.entries()) {
    for (let n = 0; n < (counts[i] ?? 0); n++) {
      const other = n > 0 && rng.chance(OTHER_PHONE_SHARE);
      const { text, urdu } = registrationText(rng, person.cnic);
      planned.push({
        from: other ? rng.pick(helperPhones) : person.phone,
        text,
        kind: n === 0 ? person.kind : other ? 'repeat-other-phone' : 'repeat-same-phone',
        cnic: person.cnic,
        inArea: person.inArea,
        ...(urdu ? { urdu } : {}),
      });
    }
  }
  for (let n = 0; n < invalid; n++) {
    const person = rng.pick(people);
    planned.push({ from: person.phone, text: mistype(rng, person.cnic), kind: 'invalid-cnic' });
  }
  for (let n = 0; n < malformed; n++) {
    planned.push({ from: rng.pick(people).phone, text: rng.pick(MALFORMED), kind: 'malformed' });
  }
  return order(rng, planned).map((sms, n) => ({ ...sms, messageId: `${options.runId}-${n + 1}` }));
}

function phone(n: number): string {
  return `0399${String(n % 10_000_000).padStart(7, '0')}`;
}

function choosePeople(
  rng: SeededRandom,
  population: readonly GeneratedHousehold[],
  wanted: number,
  options: MixOptions,
): Person[] {
  const people: Person[] = [];
  const unknown = Math.round(wanted * UNKNOWN_SHARE);
  const unsurveyed = Math.round(wanted * UNSURVEYED_SHARE);
  for (let n = 0; n < unknown; n++) {
    const cnic = `${rng.int(1, 7)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}${String(rng.int(0, 9999)).padStart(4, '0')}`;
    people.push({ cnic, phone: phone(8_000_000 + n), inArea: false, kind: 'unknown-cnic' });
  }
  const households = shuffle(rng, [...population]);
  const unsurveyedPeople = households.flatMap((g) =>
    g.identities
      .filter((identity) => !g.household.members.some((m) => m.cnic === identity.cnic))
      .map((identity) => ({ g, cnic: identity.cnic })),
  );
  for (const { g, cnic } of unsurveyedPeople.slice(0, unsurveyed)) {
    const inArea = options.inArea(g.household.district);
    people.push({ cnic, phone: phone(7_000_000 + people.length), inArea, kind: 'first' });
  }
  // Heads of household first, then other members (a second member of an enrolled household is a DUPLICATE).
  for (let member = 0; people.length < wanted && member < 15; member++) {
    for (const g of households) {
      if (people.length >= wanted) break;
      const person = g.household.members[member];
      if (!person) continue;
      const own = g.household.phones[member % Math.max(1, g.household.phones.length)];
      people.push({
        cnic: person.cnic,
        phone: own ?? phone(people.length),
        inArea: options.inArea(g.household.district),
        kind: 'first',
      });
    }
  }
  return people;
}

/** The ways people type a CNIC, Urdu digits and the Urdu keyword included. */
export function registrationText(rng: SeededRandom, cnic: string): { text: string; urdu: boolean } {
  const dashed = formatCnic(cnic);
  const style = rng.weighted(
    ['plain', 'dashed', 'spaced', 'reg', 'madad', 'urdu-digits', 'urdu-keyword'] as const,
    [35, 30, 5, 10, 5, 10, 5],
  );
  switch (style) {
    case 'plain':
      return { text: cnic, urdu: false };
    case 'dashed':
      return { text: dashed, urdu: false };
    case 'spaced':
      return { text: dashed.replace(/-/g, ' '), urdu: false };
    case 'reg':
      return { text: `REG ${dashed}`, urdu: false };
    case 'madad':
      return { text: `madad ${cnic}`, urdu: false };
    case 'urdu-digits':
      return { text: toUrduDigits(dashed), urdu: true };
    case 'urdu-keyword':
      return { text: `رجسٹر ${toUrduDigits(cnic)}`, urdu: true };
  }
}

/** A CNIC typed wrong: a digit dropped or doubled, or a province digit that is never issued. */
function mistype(rng: SeededRandom, cnic: string): string {
  const at = rng.int(1, 11);
  const kind = rng.int(0, 2);
  if (kind === 0) return cnic.slice(0, at) + cnic.slice(at + 1);
  if (kind === 1) return cnic.slice(0, at) + cnic[at] + cnic.slice(at);
  return `${rng.pick(['0', '8', '9'])}${cnic.slice(1)}`;
}

function shuffle<T>(rng: SeededRandom, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Random order, except that each person's first message (from their own phone) comes first. */
function order(rng: SeededRandom, planned: Omit<PlannedSms, 'messageId'>[]): Omit<PlannedSms, 'messageId'>[] {
  const shuffled = shuffle(rng, planned);
  const earliest = new Map<string, number>();
  for (const [i, sms] of shuffled.entries()) {
    if (sms.cnic && !earliest.has(sms.cnic)) earliest.set(sms.cnic, i);
  }
  for (const [i, sms] of shuffled.entries()) {
    const at = sms.cnic ? earliest.get(sms.cnic) : undefined;
    const isFirst = sms.kind === 'first' || sms.kind === 'unknown-cnic';
    const there = at === undefined ? undefined : shuffled[at];
    if (!isFirst || at === undefined || at === i || !there) continue;
    // Swap roles (phone and kind); each position keeps its text.
    shuffled[at] = { ...there, from: sms.from, kind: sms.kind };
    shuffled[i] = { ...sms, from: there.from, kind: there.kind };
  }
  return shuffled;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
