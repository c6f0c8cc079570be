import { describe, expect, it } from 'vitest';
import {
  cnicGender,
  formatCnic,
  isNormalizedCnic,
  looksLikeCnic,
  maskCnic,
  normalizeCnic,
} from '../../../packages/core/src/intake/cnic.js';

describe('normalizeCnic', () => {
  it.each([
    ['the printed format with dashes', '35202-1234567-1'],
    ['13 bare digits', '3520212345671'],
    ['spaces between groups', '35202 1234567 1'],
    ['dots between groups', '35202.1234567.1'],
    ['surrounding whitespace and a tab', '\t 35202-1234567-1 \n'],
    ['Urdu digits with dashes', '۳۵۲۰۲-۱۲۳۴۵۶۷-۱'],
    ['Arabic-Indic digits', '٣٥٢٠٢١٢٣٤٥٦٧١'],
    ['fullwidth digits', '３５２０２１２３４５６７１'],
    ['an en dash and a minus sign', '35202–1234567−1'],
    ['bidi marks around the groups', '\u200f35202\u200f-1234567-1\u200e'],
    ['groups split in the wrong places', '3520-21234-5671'],
  ])('accepts %s', (_name, input) => {
    // Act
    const result = normalizeCnic(input);

    // Assert
    expect(result).toEqual({ ok: true, cnic: '3520212345671' });
  });

  it.each([
    ['an empty string', '', 'EMPTY'],
    ['only whitespace', '   ', 'EMPTY'],
    ['only separators', '-- .', 'EMPTY'],
    ['letters among the digits', '35202-12345A7-1', 'NOT_DIGITS'],
    ['a slash separator', '35202/1234567/1', 'NOT_DIGITS'],
    ['Devanagari digits', '३५२०२१२३४५६७१', 'NOT_DIGITS'],
    ['12 digits', '35202-123456-1', 'WRONG_LENGTH'],
    ['14 digits', '35202-12345678-1', 'WRONG_LENGTH'],
    ['province code 0', '05202-1234567-1', 'INVALID_PROVINCE'],
    ['province code 8', '85202-1234567-1', 'INVALID_PROVINCE'],
    ['province code 9', '95202-1234567-1', 'INVALID_PROVINCE'],
  ])('rejects %s', (_name, input, error) => {
    // Act
    const result = normalizeCnic(input);

    // Assert
    expect(result).toEqual({ ok: false, error });
  });

  it.each(['1', '2', '3', '4', '5', '6', '7'])('accepts province code %s', (province) => {
    const result = normalizeCnic(`${province}520212345671`);

    expect(result.ok).toBe(true);
  });
});

describe('formatCnic', () => {
  it('prints the 5-7-1 grouping of the card', () => {
    expect(formatCnic('3520212345671')).toBe('35202-1234567-1');
  });

  it('refuses a value that was never normalized', () => {
    expect(() => formatCnic('35202-1234567-1')).toThrow(RangeError);
  });
});

describe('maskCnic', () => {
  it('keeps the first two digits and the last one', () => {
    expect(maskCnic('3520212345671')).toBe('35***-*******-1');
  });

  it('masks a CNIC given in any accepted format the same way', () => {
    expect(maskCnic('۳۵۲۰۲-۱۲۳۴۵۶۷-۱')).toBe('35***-*******-1');
  });

  it('masks every digit of something that is not a CNIC', () => {
    expect(maskCnic('35202-123456')).toBe('*****-******');
  });
});

describe('cnicGender', () => {
  it.each([
    ['3520212345671', 'male'],
    ['3520212345673', 'male'],
    ['3520212345672', 'female'],
    ['3520212345670', 'female'],
  ])('reads %s as %s from the last digit', (cnic, gender) => {
    expect(cnicGender(cnic)).toBe(gender);
  });
});

describe('isNormalizedCnic', () => {
  it('accepts only 13 ASCII digits with a valid province', () => {
    expect([
      isNormalizedCnic('3520212345671'),
      isNormalizedCnic('35202-1234567-1'),
      isNormalizedCnic('9520212345671'),
    ]).toEqual([true, false, false]);
  });
});

describe('looksLikeCnic', () => {
  it.each([
    ['a near miss of 12 digits', '35202-123456-1', true],
    ['14 digits', '352021234567189', true],
    ['a valid CNIC', '3520212345671', true],
    ['a short number', '8171', false],
    ['words', 'hello', false],
    ['digits mixed with letters', '35202ABC34567', false],
  ])('says %s is %s', (_name, token, expected) => {
    expect(looksLikeCnic(token)).toBe(expected);
  });
});
