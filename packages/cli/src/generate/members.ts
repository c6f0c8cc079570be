import type { Member } from '@madad/core';
import type { IdentifierSequence, SharedPhones } from './identifiers.js';
import { FEMALE_NAMES, MALE_NAMES } from './names.js';
import type { SeededRandom } from './prng.js';

/** A generated person: the registry's member record plus what only the ID authority knows. */
export interface Person {
  readonly member: Member;
  readonly age: number;
  readonly simPhones: string[];
}

export interface HouseholdShape {
  readonly size: number;
  readonly surveyYear: number;
  readonly cnicCode: number;
  readonly familyName: string;
}

type Gender = Member['gender'];
type Relation = Member['relation'];
type MaritalStatus = Member['maritalStatus'];

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(n)));

/**
 * The members of one household: a head (mostly men; women heads mostly widowed, or with a husband
 * working away), usually a spouse, then children, parents, siblings and others, with ages that fit.
 */
export function composeMembers(
  rng: SeededRandom,
  ids: IdentifierSequence,
  phones: SharedPhones,
  shape: HouseholdShape,
): Person[] {
  const person = (relation: Relation, gender: Gender, age: number, maritalStatus: MaritalStatus): Person => {
    const given = rng.pick(gender === 'male' ? MALE_NAMES : FEMALE_NAMES);
    const name = gender === 'female' && rng.chance(0.5) ? `${given} Bibi` : `${given} ${shape.familyName}`;
    const ownsSim = age >= 18 && rng.chance(relation === 'head' ? 0.85 : relation === 'spouse' ? 0.45 : 0.4);
    const simPhones = ownsSim ? (rng.chance(0.1) ? [phones.next(), phones.next()] : [phones.next()]) : [];
    const member: Member = {
      cnic: ids.nextCnic(shape.cnicCode, gender),
      name,
      gender,
      birthYear: shape.surveyYear - age,
      relation,
      maritalStatus,
      disabled: rng.chance(age > 65 ? 0.08 : 0.025),
    };
    return { member, age, simPhones };
  };

  const headMale = rng.chance(0.88);
  const headAge = clamp(rng.normal(44, 12), 20, 80);
  const hasSpouse = shape.size >= 2 && rng.chance(headMale ? 0.92 : 0.15);
  const headStatus: MaritalStatus = hasSpouse
    ? 'married'
    : headMale
      ? rng.weighted<MaritalStatus>(['single', 'widowed', 'divorced'], [5, 3, 1])
      : rng.weighted<MaritalStatus>(['widowed', 'divorced', 'married'], [70, 15, 15]);
  const people = [person('head', headMale ? 'male' : 'female', headAge, headStatus)];
  let motherAge = headAge;
  if (hasSpouse) {
    const spouseAge = headMale ? Math.max(18, headAge - rng.int(2, 9)) : headAge + rng.int(2, 8);
    people.push(person('spouse', headMale ? 'female' : 'male', spouseAge, 'married'));
    if (headMale) motherAge = spouseAge;
  }
  let parents = 0;
  while (people.length < shape.size) {
    const relation = rng.weighted<Relation>(['child', 'parent', 'sibling', 'other'], [82, 7, 7, 4]);
    const gender: Gender = rng.chance(0.5) ? 'male' : 'female';
    if (relation === 'parent' && parents < 2) {
      parents++;
      const age = Math.min(95, headAge + rng.int(20, 32));
      people.push(person('parent', gender, age, rng.chance(0.65) ? 'widowed' : 'married'));
    } else if (relation === 'sibling') {
      const age = Math.max(1, headAge + rng.int(-12, 12));
      people.push(person('sibling', gender, age, adultStatus(rng, age)));
    } else if (relation === 'other') {
      const age = rng.int(1, 70);
      people.push(person('other', gender, age, adultStatus(rng, age)));
    } else {
      const age = rng.int(0, Math.max(0, Math.min(motherAge - 16, 30)));
      people.push(person('child', gender, age, age >= 20 && rng.chance(0.35) ? 'married' : 'single'));
    }
  }
  return people;
}

function adultStatus(rng: SeededRandom, age: number): MaritalStatus {
  if (age < 20) return 'single';
  return rng.weighted<MaritalStatus>(['married', 'single', 'widowed', 'divorced'], [60, 30, 7, 3]);
}
