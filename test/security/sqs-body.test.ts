import { toSqsBody } from '@madad/adapters';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** What SQS accepts in a body, read as strictly as emulators do (no supplementary planes). */
const OUTSIDE_STRICT_SQS_CHARSET = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/;
/** Any UTF-16 unit, lone surrogates and U+FFFE/U+FFFF included: what a gateway can hand us. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 300 }),
);

describe('toSqsBody', () => {
  it('writes only characters SQS accepts, whatever the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(toSqsBody({ text })).not.toMatch(OUTSIDE_STRICT_SQS_CHARSET);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back as exactly the value JSON.stringify would have carried', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (value, text) => {
        const message = { value, text, [text]: text };
        expect(JSON.parse(toSqsBody(message))).toEqual(JSON.parse(JSON.stringify(message)));
      }),
      { numRuns: 1000 },
    );
  });

  it('escapes an emoji as its surrogate pair and keeps Urdu text as it is', () => {
    expect(toSqsBody({ text: 'مدد 😀' })).toBe('{"text":"مدد \\ud83d\\ude00"}');
  });
});
