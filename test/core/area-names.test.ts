import { builtInAreaRecords, builtInGazetteer, Gazetteer } from '@madad/core';
import { describe, expect, it } from 'vitest';

const URDU_ONLY = /^[\u0600-\u06FF ]+$/u;

describe('Urdu names of the areas (from the gazetteer in force)', () => {
  it('gives every province, district and tehsil of the shipped areas file a name in Urdu script', () => {
    const gazetteer = builtInGazetteer();
    const names = gazetteer
      .provinces()
      .flatMap((p) => [p.name, ...p.districts.flatMap((d) => [d.name, ...d.tehsils])]);

    const missing = names.filter((name) => !URDU_ONLY.test(gazetteer.nameUr(name) ?? ''));

    expect(missing).toEqual([]);
    expect(names.length).toBeGreaterThan(300);
  });

  it('spells the flood districts as Urdu readers know them', () => {
    const gazetteer = builtInGazetteer();

    expect(gazetteer.nameUr('Muzaffargarh')).toBe('مظفر گڑھ');
    expect(gazetteer.nameUr('Jacobabad')).toBe('جیکب آباد');
    expect(gazetteer.nameUr('Dera Ghazi Khan')).toBe('ڈیرہ غازی خان');
    expect(gazetteer.nameUr('Khyber Pakhtunkhwa')).toBe('خیبر پختونخوا');
  });

  it('shows Urdu on Urdu pages and the registry spelling on English and Roman Urdu ones', () => {
    const gazetteer = builtInGazetteer();

    expect(gazetteer.nameIn('Kot Addu', 'ur')).toBe('کوٹ ادو');
    expect(gazetteer.nameIn('Kot Addu', 'en')).toBe('Kot Addu');
    expect(gazetteer.nameIn('Kot Addu', 'ur-Latn')).toBe('Kot Addu');
    expect(gazetteer.nameIn('Atlantis', 'ur')).toBe('Atlantis');
    expect(gazetteer.nameUr('toString')).toBeUndefined();
  });

  it('names a renamed tehsil by the Urdu name its areas file gives, and forgets the old name', () => {
    // Arrange: an areas import that renames Jacobabad's tehsil Thul to Thull, with a new Urdu name
    const imported = Gazetteer.fromRecords([
      ...builtInAreaRecords().filter((r) => r.district !== 'Jacobabad'),
      { province: 'Sindh', district: 'Jacobabad', tehsil: 'Jacobabad', districtUr: 'جیکب آباد', cnicCode: 4 },
      { province: 'Sindh', district: 'Jacobabad', tehsil: 'Thull', tehsilUr: 'ٹھل نیا', cnicCode: 4 },
    ]);

    // Act
    const renamed = imported.nameIn('Thull', 'ur');
    const old = imported.nameIn('Thul', 'ur');

    // Assert
    expect(renamed).toBe('ٹھل نیا');
    expect(old).toBe('Thul');
    expect(imported.nameIn('Jacobabad', 'ur')).toBe('جیکب آباد');
  });
});
