import { describe, expect, it } from 'vitest';
import { countSegments } from '../../../packages/core/src/intake/segments.js';

describe('countSegments', () => {
  it.each([
    ['160 GSM-7 characters fit one SMS', 'a'.repeat(160), 1, 160],
    ['161 GSM-7 characters need two', 'a'.repeat(161), 2, 161],
    ['306 GSM-7 characters fit two parts of 153', 'a'.repeat(306), 2, 306],
    ['307 GSM-7 characters need three', 'a'.repeat(307), 3, 307],
  ])('%s', (_name, text, segments, units) => {
    expect(countSegments(text)).toEqual({ encoding: 'GSM-7', segments, units });
  });

  it('stays GSM-7 for every character of the basic set', () => {
    const basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà';

    expect(countSegments(basic)).toEqual({ encoding: 'GSM-7', segments: 1, units: basic.length });
  });

  it('counts extension characters as two septets each', () => {
    // Arrange
    const extension = '^{}\\[~]|€\f';

    // Act
    const count = countSegments(extension);

    // Assert
    expect(count).toEqual({ encoding: 'GSM-7', segments: 1, units: 20 });
  });

  it('tips into two parts when extension characters push past 160 septets', () => {
    const text = `${'a'.repeat(159)}€`;

    expect(countSegments(text)).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
  });

  it('never splits an escape pair across parts', () => {
    // 152 septets then € (2 septets) would straddle the 153-septet boundary of part one.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;

    expect(countSegments(text)).toEqual({ encoding: 'GSM-7', segments: 2, units: 164 });
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments).toBe(3);
  });

  it.each([
    ['70 UCS-2 units fit one SMS', 'ا'.repeat(70), 1, 70],
    ['71 UCS-2 units need two', 'ا'.repeat(71), 2, 71],
    ['134 UCS-2 units fit two parts of 67', 'ا'.repeat(134), 2, 134],
    ['135 UCS-2 units need three', 'ا'.repeat(135), 3, 135],
  ])('%s', (_name, text, segments, units) => {
    expect(countSegments(text)).toEqual({ encoding: 'UCS-2', segments, units });
  });

  it('switches a whole English text to UCS-2 for a single non-GSM character', () => {
    const text = `${'a'.repeat(100)}’`;

    expect(countSegments(text)).toEqual({ encoding: 'UCS-2', segments: 2, units: 101 });
  });

  it('counts Urdu text in UTF-16 code units', () => {
    const urdu = 'آپ امداد کے اہل ہیں۔';

    expect(countSegments(urdu)).toEqual({ encoding: 'UCS-2', segments: 1, units: urdu.length });
  });

  it('counts an emoji as two code units and never splits it', () => {
    expect(countSegments('👍')).toEqual({ encoding: 'UCS-2', segments: 1, units: 2 });
    expect(countSegments(`${'ا'.repeat(66)}👍${'ا'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      segments: 3,
      units: 134,
    });
  });

  it('treats an empty text as one SMS of no units', () => {
    expect(countSegments('')).toEqual({ encoding: 'GSM-7', segments: 1, units: 0 });
  });
});
