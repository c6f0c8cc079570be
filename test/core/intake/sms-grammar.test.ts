import { describe, expect, it } from 'vitest';
import { detectLanguage, parseSms, type SmsCommand } from '../../../packages/core/src/intake/sms-grammar.js';

const CNIC = '3520212345671';

describe('parseSms', () => {
  it.each<[string, string, SmsCommand]>([
    // Bare CNICs register.
    ['a bare CNIC with dashes', '35202-1234567-1', { kind: 'register', cnic: CNIC, lang: 'ur-Latn' }],
    ['a bare CNIC without separators', '3520212345671', { kind: 'register', cnic: CNIC, lang: 'ur-Latn' }],
    ['a bare CNIC with spaces', '35202 1234567 1', { kind: 'register', cnic: CNIC, lang: 'ur-Latn' }],
    ['a bare CNIC in Urdu digits', '۳۵۲۰۲-۱۲۳۴۵۶۷-۱', { kind: 'register', cnic: CNIC, lang: 'ur' }],
    ['a bare CNIC in Arabic-Indic digits', '٣٥٢٠٢١٢٣٤٥٦٧١', { kind: 'register', cnic: CNIC, lang: 'ur' }],
    [
      'a bare CNIC in fullwidth digits',
      '３５２０２１２３４５６７１',
      { kind: 'register', cnic: CNIC, lang: 'ur-Latn' },
    ],
    [
      'a bare CNIC wrapped in punctuation',
      '  "35202-1234567-1."  ',
      { kind: 'register', cnic: CNIC, lang: 'ur-Latn' },
    ],
    [
      'a bare CNIC followed by a name',
      '35202-1234567-1 Bibi Amina',
      { kind: 'register', cnic: CNIC, lang: 'en' },
    ],
    [
      'a bare CNIC with bidi marks',
      '\u200f35202\u200f-1234567-1',
      { kind: 'register', cnic: CNIC, lang: 'ur-Latn' },
    ],
    // Register keywords.
    ['REG and a CNIC', 'REG 35202-1234567-1', { kind: 'register', cnic: CNIC, lang: 'en' }],
    ['lower-case reg with a colon', 'reg:35202-1234567-1', { kind: 'register', cnic: CNIC, lang: 'en' }],
    ['REG glued to the CNIC', 'REG3520212345671', { kind: 'register', cnic: CNIC, lang: 'en' }],
    ['mixed-case Register', 'ReGiStEr  35202 1234567 1', { kind: 'register', cnic: CNIC, lang: 'en' }],
    [
      'Roman Urdu MADAD with a CNIC',
      'Madad 35202-1234567-1',
      { kind: 'register', cnic: CNIC, lang: 'ur-Latn' },
    ],
    ['fullwidth REG', 'ＲＥＧ ３５２０２１２３４５６７１', { kind: 'register', cnic: CNIC, lang: 'en' }],
    ['Urdu keyword and Urdu digits', 'رجسٹر ۳۵۲۰۲-۱۲۳۴۵۶۷-۱', { kind: 'register', cnic: CNIC, lang: 'ur' }],
    ['Urdu keyword and ASCII digits', 'رجسٹر 3520212345671', { kind: 'register', cnic: CNIC, lang: 'ur' }],
    ['Urdu madad with a CNIC', 'مدد ۳۵۲۰۲۱۲۳۴۵۶۷۱', { kind: 'register', cnic: CNIC, lang: 'ur' }],
    ['a leading asterisk and hash', '*#REG 35202-1234567-1#', { kind: 'register', cnic: CNIC, lang: 'en' }],
    ['an emoji before the keyword', '🙏 REG 35202-1234567-1', { kind: 'register', cnic: CNIC, lang: 'en' }],
    // CNIC as a keyword, and the letter O typed for a zero.
    ['CNIC and a CNIC', 'CNIC 35202-1234567-2', { kind: 'register', cnic: '3520212345672', lang: 'en' }],
    ['a capital O for a zero', '352O2-1234567-1', { kind: 'register', cnic: CNIC, lang: 'ur-Latn' }],
    ['a small o for a zero', 'reg 352o2 1234567 1', { kind: 'register', cnic: CNIC, lang: 'en' }],
    [
      'an O for the last digit',
      '35202-1234567-O',
      { kind: 'register', cnic: '3520212345670', lang: 'ur-Latn' },
    ],
    ['O for every zero', '3O2O2-1OO4567-1', { kind: 'register', cnic: '3020210045671', lang: 'ur-Latn' }],
    ['a word with O after a number', 'REG 35202-1234567-1 OK', { kind: 'register', cnic: CNIC, lang: 'en' }],
    ['O glued to a word', '1OOPS', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' }],
    // Status.
    ['STATUS alone', 'STATUS', { kind: 'help', topic: 'status', lang: 'en' }],
    ['HALAT alone', 'halat', { kind: 'help', topic: 'status', lang: 'ur-Latn' }],
    ['Urdu keyword alone', 'حالت', { kind: 'help', topic: 'status', lang: 'ur' }],
    ['STATUS with words but no number', 'status please', { kind: 'help', topic: 'status', lang: 'en' }],
    ['STATUS and a CNIC', 'STATUS 35202-1234567-1', { kind: 'status', cnic: CNIC, lang: 'en' }],
    ['lower-case status with a dash', 'status-3520212345671', { kind: 'status', cnic: CNIC, lang: 'en' }],
    ['Roman Urdu HALAT', 'Halat 35202 1234567 1', { kind: 'status', cnic: CNIC, lang: 'ur-Latn' }],
    ['Urdu keyword', 'حالت ۳۵۲۰۲-۱۲۳۴۵۶۷-۱', { kind: 'status', cnic: CNIC, lang: 'ur' }],
    // Appeal.
    [
      'APPEAL with a note',
      'APPEAL 35202-1234567-1 My house was flooded, please check again',
      { kind: 'appeal', cnic: CNIC, note: 'My house was flooded, please check again', lang: 'en' },
    ],
    [
      'APPEAL whose note starts with a number',
      'appeal 3520212345671 2 children not counted',
      { kind: 'appeal', cnic: CNIC, note: '2 children not counted', lang: 'en' },
    ],
    [
      'SHIKAYAT with punctuation before the note',
      'Shikayat 35202-1234567-1 : ghar doob gaya  ',
      { kind: 'appeal', cnic: CNIC, note: 'ghar doob gaya', lang: 'ur-Latn' },
    ],
    [
      'Urdu keyword with an Urdu note',
      'شکایت ۳۵۲۰۲-۱۲۳۴۵۶۷-۱ میرا گھر سیلاب میں بہہ گیا',
      { kind: 'appeal', cnic: CNIC, note: 'میرا گھر سیلاب میں بہہ گیا', lang: 'ur' },
    ],
    [
      'Urdu keyword typed with Arabic kaf and yeh',
      'شكايت 3520212345671 غلط فیصلہ',
      { kind: 'appeal', cnic: CNIC, note: 'غلط فیصلہ', lang: 'ur' },
    ],
    ['APPEAL without a note', 'APPEAL 35202-1234567-1', { kind: 'appeal', cnic: CNIC, note: '', lang: 'en' }],
    // Help.
    ['HELP', 'HELP', { kind: 'help', lang: 'en' }],
    ['help with punctuation', 'help!!!', { kind: 'help', lang: 'en' }],
    ['a question mark', '?', { kind: 'help', lang: 'ur-Latn' }],
    ['an Urdu question mark', '؟', { kind: 'help', lang: 'ur' }],
    ['MADAD alone', 'madad', { kind: 'help', lang: 'ur-Latn' }],
    ['MADAD with words but no number', 'MADAD please', { kind: 'help', lang: 'ur-Latn' }],
    ['Urdu madad alone', 'مدد', { kind: 'help', lang: 'ur' }],
    // Invalid CNICs.
    [
      'REG with a 12-digit CNIC',
      'REG 35202-123456-1',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' },
    ],
    [
      'REG with a 14-digit CNIC',
      'REG 35202-12345678-1',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' },
    ],
    ['REG with province 9', 'REG 95202-1234567-1', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' }],
    ['REG with letters', 'REG 35202-12A4567-1', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' }],
    ['REG with nothing after it', 'REG', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' }],
    [
      'STATUS with a phone number',
      'STATUS 03001234567',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' },
    ],
    [
      'APPEAL with a short CNIC',
      'APPEAL 35202 please',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' },
    ],
    [
      'REG with two numbers',
      'REG 3520212345671 03001234567',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'en' },
    ],
    [
      'Urdu keyword with a bad CNIC',
      'رجسٹر ۳۵۲۰۲۱۲۳',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur' },
    ],
    ['a bare 5-digit number', '35202', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur-Latn' }],
    [
      'a bare 20-digit number',
      '35202123456712345678',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur-Latn' },
    ],
    ['a bare 12-digit number', '352021234567', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur-Latn' }],
    [
      'a bare 14-digit number',
      '35202123456712',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur-Latn' },
    ],
    [
      'a bare CNIC with province 0',
      '05202-1234567-1',
      { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur-Latn' },
    ],
    // Anything else.
    ['a greeting', 'Assalam o alaikum', { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'ur-Latn' }],
    [
      'a word that starts like a keyword',
      'registered',
      { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'en' },
    ],
    ['an Urdu sentence', 'مجھے پیسے چاہئیں', { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'ur' }],
    ['emoji only', '😀👍🏽', { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'ur-Latn' }],
    ['a short number', '8171', { kind: 'invalid', reason: 'INVALID_CNIC', lang: 'ur-Latn' }],
    ['punctuation only', '...!!', { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'ur-Latn' }],
    [
      'control characters',
      '\u0000\u0007\u001b',
      { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'ur-Latn' },
    ],
    ['a lone surrogate', '\ud800', { kind: 'invalid', reason: 'UNRECOGNISED_MESSAGE', lang: 'ur-Latn' }],
    // Empty and too long.
    ['an empty body', '', { kind: 'invalid', reason: 'EMPTY', lang: 'ur-Latn' }],
    ['whitespace only', ' \t\r\n ', { kind: 'invalid', reason: 'EMPTY', lang: 'ur-Latn' }],
    ['invisible marks only', '\u200f\u200b\ufeff', { kind: 'invalid', reason: 'EMPTY', lang: 'ur-Latn' }],
    [
      '10,000 characters',
      `REG ${CNIC} ${'x'.repeat(10_000)}`,
      { kind: 'invalid', reason: 'TOO_LONG', lang: 'en' },
    ],
    ['481 characters of Urdu', 'م'.repeat(481), { kind: 'invalid', reason: 'TOO_LONG', lang: 'ur' }],
  ])('reads %s', (_name, text, expected) => {
    // Act
    const command = parseSms(text);

    // Assert
    expect(command).toEqual(expected);
  });

  it('accepts a body of exactly 480 characters', () => {
    // Arrange
    const text = `APPEAL ${CNIC} ${'a'.repeat(480 - 21)}`;

    // Act
    const command = parseSms(text);

    // Assert
    expect(text).toHaveLength(480);
    expect(command.kind).toBe('appeal');
  });
});

describe('detectLanguage', () => {
  it.each([
    ['an English keyword', 'REG 35202-1234567-1', 'en'],
    ['STATUS and a CNIC', 'STATUS 35202-1234567-1', 'en'],
    ['CNIC and a CNIC', 'CNIC 35202-1234567-2', 'en'],
    ['HELP', 'help', 'en'],
    ['other English words', 'hello', 'en'],
    ['a Roman Urdu keyword', 'halat 3520212345671', 'ur-Latn'],
    ['HAALAT', 'HAALAT 35202-1234567-1', 'ur-Latn'],
    ['MADAD and a CNIC', 'MADAD 3704603991799', 'ur-Latn'],
    ['a complaint in Roman Urdu', 'SHIKAYAT 35202-1234567-1 hamara ghar pani mein doob gaya', 'ur-Latn'],
    ['a greeting and a request', 'Assalam o alaikum mujhe madad chahiye', 'ur-Latn'],
    ['a question in Roman Urdu', 'paisay kab milain gay', 'ur-Latn'],
    ['an English keyword with Roman Urdu words', 'STATUS 35202-1234567-1 mera paisa kab', 'ur-Latn'],
    ['digits alone', '3704603991799', 'ur-Latn'],
    ['a dashed CNIC alone', '37046-0399179-9', 'ur-Latn'],
    ['no letters at all', '?', 'ur-Latn'],
    ['Urdu script', 'حالت', 'ur'],
    ['Urdu digits alone', '۳۵۲۰۲۱۲۳۴۵۶۷۱', 'ur'],
    ['Arabic-Indic digits alone', '٣٥٢٠٢١٢٣٤٥٦٧١', 'ur'],
    ['mixed English and Urdu', 'REG رجسٹر', 'ur'],
  ])('reads %s as %s', (_name, text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});
