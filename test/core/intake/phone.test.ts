import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../../packages/core/src/intake/phone.js';

describe('normalizePhone', () => {
  it.each([
    ['the local mobile form', '03001234567'],
    ['the form without the trunk zero', '3001234567'],
    ['the country code without a plus', '923001234567'],
    ['E.164 with spaces', '+92 300 1234567'],
    ['the 00 international prefix with dashes', '0092-300-1234567'],
    ['E.164 with a bracketed trunk zero', '+92 (0)300 1234567'],
    ['Urdu digits', '۰۳۰۰۱۲۳۴۵۶۷'],
    ['Arabic-Indic digits with a dash', '٠٣٠٠-١٢٣٤٥٦٧'],
    ['surrounding whitespace', '  0300 1234567 '],
  ])('reads %s as a Pakistani mobile', (_name, input) => {
    // Act
    const result = normalizePhone(input);

    // Assert
    expect(result).toEqual({ ok: true, phone: '+923001234567' });
  });

  it.each([
    ['a UK number with +', '+44 7911 123456', '+447911123456'],
    ['a US number with +', '+1 (202) 555-0123', '+12025550123'],
    ['a UAE number with 00', '00971 50 123 4567', '+971501234567'],
    ['a Pakistani landline with +', '+92 42 3576 1234', '+924235761234'],
  ])('keeps %s as E.164', (_name, input, expected) => {
    expect(normalizePhone(input)).toEqual({ ok: true, phone: expected });
  });

  it.each([
    ['an empty string', '', 'EMPTY'],
    ['whitespace', '  ', 'EMPTY'],
    ['letters', 'MADAD', 'NOT_A_NUMBER'],
    ['a plus in the middle', '0300+1234567', 'NOT_A_NUMBER'],
    ['a country code starting with 0', '+0300 1234567', 'NOT_A_NUMBER'],
    ['two zeros after +92', '+92 00300 1234567', 'NOT_A_NUMBER'],
    ['the 8171 short code', '8171', 'WRONG_LENGTH'],
    ['a 5-digit short code with +', '+80009', 'WRONG_LENGTH'],
    ['a mobile one digit short', '0300123456', 'WRONG_LENGTH'],
    ['a mobile one digit long', '030012345678', 'WRONG_LENGTH'],
    ['a +92 mobile one digit long', '+92 300 12345678', 'WRONG_LENGTH'],
    ['more than 15 digits', '+1234567890123456', 'WRONG_LENGTH'],
    ['a foreign number without + (read as Pakistani)', '447911123456', 'WRONG_LENGTH'],
  ])('rejects %s', (_name, input, error) => {
    expect(normalizePhone(input)).toEqual({ ok: false, error });
  });
});

describe('maskPhone', () => {
  it('keeps the country and operator prefix and the last three digits', () => {
    expect(maskPhone('+923001234567')).toBe('+92300****567');
  });

  it('masks at least four digits of a short international number', () => {
    expect(maskPhone('+12345678')).toBe('+1****678');
  });

  it('masks every digit of something that is not E.164', () => {
    expect(maskPhone('0300-1234567')).toBe('****-*******');
  });
});
