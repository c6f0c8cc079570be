import { fingerprint, NumberSet } from '@madad/adapters';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('NumberSet', () => {
  it('answers like a Set of the same numbers, through growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { maxLength: 400 }),
        (keys) => {
          const set = new NumberSet(16);
          const reference = new Set<number>();
          for (const key of keys) {
            const isNew = !reference.has(key);
            reference.add(key);
            expect(set.add(key)).toBe(isNew);
          }
          expect(set.size).toBe(reference.size);
          for (const key of keys) expect(set.has(key)).toBe(true);
        },
      ),
    );
  });

  it('holds 13-digit CNICs as numbers without mixing up neighbours', () => {
    const set = new NumberSet();
    for (let i = 0; i < 50_000; i++) set.add(3520200000000 + i * 2);

    expect(set.has(3520200000002)).toBe(true);
    expect(set.has(3520200000003)).toBe(false);
    expect(set.add(3520200099998)).toBe(false);
  });

  it('refuses keys it cannot store exactly', () => {
    expect(() => new NumberSet().add(0)).toThrow(RangeError);
    expect(() => new NumberSet().add(2 ** 53)).toThrow(RangeError);
  });

  it('fingerprints strings to distinct positive safe integers', () => {
    const prints = new Set(Array.from({ length: 100_000 }, (_, i) => fingerprint(`HH-${i}`)));

    expect(prints.size).toBe(100_000);
    expect([...prints].every((p) => Number.isSafeInteger(p) && p > 0)).toBe(true);
  });
});
