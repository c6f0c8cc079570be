import { type IdentityImport, type Member, type RosterField, sameName } from '@madad/core';
import { FEMALE_NAMES, MALE_NAMES } from './names.js';
import type { GeneratedHousehold } from './population.js';
import { SeededRandom } from './prng.js';

/** One field where the generated registry and ID-authority files disagree, as the generator knows it. */
export interface PlantedError {
  readonly householdId: string;
  readonly cnic: string;
  readonly field: RosterField;
  /** The registry's (survey's) value and the ID authority's. */
  readonly survey: string | number | boolean;
  readonly authority: string | number | boolean;
  /** false for the population's own deceased people still listed (the ID authority's DECEASED draw). */
  readonly planted: boolean;
}

const KINDS: readonly RosterField[] = [
  'name',
  'gender',
  'birthYear',
  'maritalStatus',
  'disabled',
  'deceased',
];
const MARITAL: readonly Member['maritalStatus'][] = ['single', 'married', 'widowed', 'divorced'];

/** Spellings the ID authority may use for the same name: not errors, and never in the ground truth. */
const VARIANTS: readonly [RegExp, string][] = [
  [/\bMuhammad\b/, 'Mohammad'],
  [/\bAhmed\b/, 'Ahmad'],
  [/\bRehman\b/, 'Rahman'],
  [/\bYousaf\b/, 'Yusuf'],
  [/\bHussain\b/, 'Husain'],
  [/\bQureshi\b/, 'Kureshi'],
  [/\bChaudhry\b/, 'Chaudhary'],
  [/\bBibi\b/, 'Beebee'],
  [/\bAli\b/, 'Aly'],
  [/ee/, 'i'],
  [/ /, '  '],
];

function variantOf(name: string): string {
  for (const [pattern, replacement] of VARIANTS) {
    if (!pattern.test(name)) continue;
    const variant = name.replace(pattern, replacement);
    if (sameName(variant, name)) return variant;
  }
  return name.toUpperCase();
}

/**
 * Plants errors in a generated registry relative to the ID authority's file: each member, with
 * probability `rate`, gets one wrong field in the registry (gender, birth year off by 1 to 5, a
 * different name, marital status, disability) or is recorded DECEASED by the ID authority while the
 * household still lists them; with the same probability the authority spells a name differently but
 * equivalently (not an error). The identity records carry the members' marital status and disability.
 * Draws come from their own stream (`madad-errors:<seed>`), so the population itself is unchanged.
 */
export class ErrorPlanter {
  private readonly rng: SeededRandom;

  constructor(
    seed: string,
    private readonly rate: number,
  ) {
    this.rng = new SeededRandom(`madad-errors:${seed}`);
  }

  plant(generated: GeneratedHousehold): { generated: GeneratedHousehold; truth: PlantedError[] } {
    const { household } = generated;
    const byCnic = new Map(generated.identities.map((i) => [i.cnic, i]));
    const truth: PlantedError[] = [];
    const members = household.members.map((original) => {
      let member = original;
      const found = byCnic.get(member.cnic);
      if (!found) return member;
      let identity: IdentityImport = {
        ...found,
        maritalStatus: member.maritalStatus,
        disabled: member.disabled,
      };
      const record = (
        field: RosterField,
        survey: PlantedError['survey'],
        authority: PlantedError['authority'],
        planted = true,
      ) =>
        truth.push({
          householdId: household.householdId,
          cnic: member.cnic,
          field,
          survey,
          authority,
          planted,
        });
      if (identity.status === 'DECEASED') record('deceased', false, true, false);
      const plantError = this.rng.chance(this.rate);
      const spellDifferently = this.rng.chance(this.rate);
      if (plantError) {
        const kinds = identity.status === 'DECEASED' ? KINDS.filter((k) => k !== 'deceased') : KINDS;
        const kind = this.rng.pick(kinds);
        [member, identity] = this.plantOne(kind, member, identity);
        const survey = kind === 'deceased' ? false : member[kind];
        const authority = kind === 'deceased' ? true : identity[kind];
        if (authority !== undefined) record(kind, survey, authority);
      } else if (spellDifferently) {
        identity = { ...identity, name: variantOf(identity.name) };
      }
      byCnic.set(member.cnic, identity);
      return member;
    });
    const identities = generated.identities.map((i) => byCnic.get(i.cnic) ?? i);
    return { generated: { ...generated, household: { ...household, members }, identities }, truth };
  }

  private plantOne(kind: RosterField, member: Member, identity: IdentityImport): [Member, IdentityImport] {
    switch (kind) {
      case 'gender':
        return [{ ...member, gender: member.gender === 'male' ? 'female' : 'male' }, identity];
      case 'birthYear': {
        const off = this.rng.int(1, 5) * (this.rng.chance(0.5) ? 1 : -1);
        return [{ ...member, birthYear: member.birthYear + off }, identity];
      }
      case 'name':
        return [{ ...member, name: this.otherName(member) }, identity];
      case 'maritalStatus':
        return [
          { ...member, maritalStatus: this.rng.pick(MARITAL.filter((s) => s !== member.maritalStatus)) },
          identity,
        ];
      case 'disabled':
        return [{ ...member, disabled: !member.disabled }, identity];
      case 'deceased':
        return [member, { ...identity, status: 'DECEASED' }];
    }
  }

  /** Another given name with the same family name: a different person's name, not a spelling of it. */
  private otherName(member: Member): string {
    const family = member.name.split(' ').at(-1) ?? '';
    const names = member.gender === 'female' ? FEMALE_NAMES : MALE_NAMES;
    for (;;) {
      const candidate = `${this.rng.pick(names)} ${family}`;
      if (!sameName(candidate, member.name)) return candidate;
    }
  }
}
