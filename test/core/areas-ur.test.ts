import { AREA_NAMES_UR, areaNameIn, areaNameUr, PAKISTAN_AREAS } from '@madad/core';
import { describe, expect, it } from 'vitest';

const URDU_ONLY = /^[\u0600-\u06FF ]+$/u;

const gazetteerNames = PAKISTAN_AREAS.flatMap((province) => [
  province.name,
  ...province.districts.flatMap((district) => [district.name, ...district.tehsils]),
]);

describe('Urdu names of the areas', () => {
  it('gives every province, district and tehsil of the gazetteer a name in Urdu script', () => {
    const missing = gazetteerNames.filter((name) => !URDU_ONLY.test(areaNameUr(name) ?? ''));

    expect(missing).toEqual([]);
    expect(gazetteerNames.length).toBeGreaterThan(300);
  });

  it('names nothing the gazetteer does not know (no stale entries)', () => {
    const known = new Set(gazetteerNames);

    expect(Object.keys(AREA_NAMES_UR).filter((name) => !known.has(name))).toEqual([]);
  });

  it('spells the flood districts as Urdu readers know them', () => {
    expect(areaNameUr('Muzaffargarh')).toBe('مظفر گڑھ');
    expect(areaNameUr('Lahore')).toBe('لاہور');
    expect(areaNameUr('Jacobabad')).toBe('جیکب آباد');
    expect(areaNameUr('Dera Ghazi Khan')).toBe('ڈیرہ غازی خان');
    expect(areaNameUr('Khyber Pakhtunkhwa')).toBe('خیبر پختونخوا');
  });

  it('shows Urdu on Urdu pages and the registry spelling on English and Roman Urdu ones', () => {
    expect(areaNameIn('Kot Addu', 'ur')).toBe('کوٹ ادو');
    expect(areaNameIn('Kot Addu', 'en')).toBe('Kot Addu');
    expect(areaNameIn('Kot Addu', 'ur-Latn')).toBe('Kot Addu');
    expect(areaNameIn('Atlantis', 'ur')).toBe('Atlantis');
    expect(areaNameUr('toString')).toBeUndefined();
  });
});
