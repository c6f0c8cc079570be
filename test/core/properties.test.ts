import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCnic, isNormalizedCnic, normalizeCnic } from '../../packages/core/src/intake/cnic.js';
import { toAsciiDigits } from '../../packages/core/src/intake/digits.js';
import { normalizePhone } from '../../packages/core/src/intake/phone.js';
import { signWebhook, verifyWebhookSignature } from '../../packages/core/src/intake/signature.js';
import { parseSms } from '../../packages/core/src/intake/sms-grammar.js';

/** Any UTF-16 unit, lone surrogates included: what a buggy gateway can hand us. */
const anyUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 600 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: anyUnit, maxLength: 600 }),
);
/** Pieces of real messages, so generated bodies reach deep into the grammar instead of bouncing off. */
const smsPiece = fc.constantFrom(
  'REG',
  'reg',
  'Register',
  'STATUS',
  'halat',
  'APPEAL',
  'shikayat',
  'HELP',
  'MADAD',
  'رجسٹر',
  'حالت',
  'شکایت',
  'مدد',
  ' ',
  '  ',
  '-',
  '.',
  ':',
  '?',
  '؟',
  '!',
  '\u200f',
  '😀',
  'x',
  'ك',
  '0',
  '1',
  '3',
  '5',
  '7',
  '9',
  '۳',
  '۵',
  '٣',
  '３',
);
const smsLike = fc.array(smsPiece, { maxLength: 40 }).map((pieces) => pieces.join(''));
const cnicPiece = fc.constantFrom(
  ...'0123456789',
  '۰',
  '۱',
  '۷',
  '۹',
  '٠',
  '٥',
  '０',
  '９',
  '-',
  ' ',
  '.',
  '–',
  'a',
  '/',
  '\u200e',
);
const cnicLike = fc.array(cnicPiece, { maxLength: 20 }).map((pieces) => pieces.join(''));
const validCnic = fc.stringMatching(/^[1-7][0-9]{12}$/);

const URDU_ZERO = 0x06f0;
const toUrduDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(URDU_ZERO + Number(d)));

describe('parseSms (properties)', () => {
  it('never throws, and only ever returns well-formed commands', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, smsLike), (text) => {
        // Act
        const command = parseSms(text);

        // Assert
        expect(['register', 'status', 'appeal', 'help', 'invalid']).toContain(command.kind);
        expect(['en', 'ur-Latn', 'ur']).toContain(command.lang);
        if ('cnic' in command) expect(isNormalizedCnic(command.cnic)).toBe(true);
        if (command.kind === 'appeal') expect(Array.from(command.note).length).toBeLessThanOrEqual(500);
      }),
      { numRuns: 2000 },
    );
  });

  it('registers a valid CNIC in the printed format, bare or after REG, in ASCII or Urdu digits', () => {
    fc.assert(
      fc.property(
        validCnic,
        fc.constantFrom('', 'REG ', 'reg:', 'رجسٹر '),
        fc.boolean(),
        (cnic, keyword, urdu) => {
          const formatted = urdu ? toUrduDigits(formatCnic(cnic)) : formatCnic(cnic);

          const command = parseSms(`${keyword}${formatted}`);

          expect(command).toMatchObject({ kind: 'register', cnic });
        },
      ),
    );
  });
});

describe('normalizeCnic (properties)', () => {
  it('never throws and accepts only 13 digits with province 1-7, taken from the input', () => {
    fc.assert(
      fc.property(fc.oneof(cnicLike, anyText), (input) => {
        const result = normalizeCnic(input);

        if (result.ok) {
          expect(result.cnic).toMatch(/^[1-7][0-9]{12}$/);
          expect(toAsciiDigits(input).replace(/[^0-9]/g, '')).toBe(result.cnic);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips through formatCnic, in ASCII and in Urdu digits', () => {
    fc.assert(
      fc.property(validCnic, (cnic) => {
        expect(normalizeCnic(formatCnic(cnic))).toEqual({ ok: true, cnic });
        expect(normalizeCnic(toUrduDigits(formatCnic(cnic)))).toEqual({ ok: true, cnic });
      }),
    );
  });
});

describe('normalizePhone (properties)', () => {
  const phonePiece = fc.constantFrom(
    ...'0123456789',
    '+',
    ' ',
    '-',
    '(',
    ')',
    '۰',
    '۳',
    '٩',
    '00',
    '92',
    '03',
    'x',
  );
  const phoneLike = fc.array(phonePiece, { maxLength: 20 }).map((pieces) => pieces.join(''));

  it('never throws, returns E.164, and accepts its own output unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(phoneLike, anyText), (input) => {
        const result = normalizePhone(input);

        if (result.ok) {
          expect(result.phone).toMatch(/^\+[1-9][0-9]{7,14}$/);
          expect(normalizePhone(result.phone)).toEqual(result);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every local form of a Pakistani mobile as the same number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^3[0-9]{9}$/), (national) => {
        const forms = [`0${national}`, national, `92${national}`, `+92 ${national}`, `0092-${national}`];

        expect(forms.map((form) => normalizePhone(form))).toEqual(
          forms.map(() => ({ ok: true, phone: `+92${national}` })),
        );
      }),
    );
  });
});

describe('verifyWebhookSignature (properties)', () => {
  const seconds = fc.integer({ min: 0, max: 4_000_000_000 });

  it('never throws on any header, body, secret or clock', () => {
    fc.assert(
      fc.property(
        fc.option(
          fc.oneof(
            anyText,
            fc.string().map((s) => `t=1,v1=${s}`),
          ),
          { nil: undefined },
        ),
        anyText,
        anyText,
        fc.oneof(seconds, fc.double()),
        (header, rawBody, secret, nowSeconds) => {
          const result = verifyWebhookSignature({ secret, header, rawBody, nowSeconds });

          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });

  it('accepts what signWebhook produced within the tolerance, and nothing signed otherwise', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        anyText,
        seconds,
        fc.integer({ min: -300, max: 300 }),
        (secret, otherSecret, rawBody, t, skew) => {
          // Arrange
          const header = signWebhook(secret, t, rawBody);
          const verify = (s: string, body: string) =>
            verifyWebhookSignature({ secret: s, header, rawBody: body, nowSeconds: t + skew });

          // Act / Assert
          expect(verify(secret, rawBody)).toEqual({ ok: true, timestamp: t });
          expect(verify(otherSecret, rawBody).ok).toBe(otherSecret === secret);
          expect(verify(secret, `${rawBody}x`)).toEqual({ ok: false, reason: 'MISMATCH' });
        },
      ),
    );
  });

  it('refuses a genuine signature once it is outside the tolerance', () => {
    fc.assert(
      fc.property(seconds, fc.integer({ min: 301, max: 1_000_000 }), fc.boolean(), (t, age, future) => {
        const header = signWebhook('secret', t, '{}');

        const result = verifyWebhookSignature({
          secret: 'secret',
          header,
          rawBody: '{}',
          nowSeconds: future ? t - age : t + age,
        });

        expect(result).toEqual({ ok: false, reason: 'STALE' });
      }),
    );
  });
});
