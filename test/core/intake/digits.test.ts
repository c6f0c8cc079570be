import { describe, expect, it } from 'vitest';
import { removeInvisibles, toAsciiDigits } from '../../../packages/core/src/intake/digits.js';

describe('toAsciiDigits', () => {
  it.each([
    ['Urdu (Extended Arabic-Indic) digits', '۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['Arabic-Indic digits', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['fullwidth digits', '０１２３４５６７８９', '0123456789'],
    ['a mix of scripts and separators', '۳۵٢٠2-１', '35202-1'],
  ])('maps %s to ASCII', (_name, input, expected) => {
    // Act
    const output = toAsciiDigits(input);

    // Assert
    expect(output).toBe(expected);
  });

  it('leaves letters, ASCII digits and other scripts untouched', () => {
    const input = 'REG 35202 رجسٹر १२३';

    expect(toAsciiDigits(input)).toBe(input);
  });
});

describe('removeInvisibles', () => {
  it('drops bidi marks and zero-width characters that phones insert around numbers', () => {
    const input = '\u200f۳۵۲۰۲\u200e-\u200b1234567\u2066-1\ufeff';

    expect(removeInvisibles(input)).toBe('۳۵۲۰۲-1234567-1');
  });
});
