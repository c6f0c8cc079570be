import { parseSms, type ReplyInput, renderReply } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../packages/cli/src/generate/prng.js';
import { registrationText } from '../../packages/cli/src/surge/sms-mix.js';
import {
  replySegments,
  SEGMENTS_PER_REPLY_TARGET,
  UNIQUE_SHARE_2020,
} from '../../tools/bench/reply-segments.js';

const CNIC = '3520212345671';
const FACTS = {
  reference: 'K7Q2MX9A',
  cnic: CNIC,
  amount: 25_000,
  campaignName: 'Sindh Floods 2025',
  campaignNameUr: 'سندھ سیلاب 2025',
} as const;

describe('replySegments', () => {
  it('weighs first registrations and repeats as in the 2020 mix, not as the bench ran them', () => {
    // Arrange: one first registration answered in two segments, three repeats in one.
    const replies = [
      { messageId: 'bench-u-0', text: 'x'.repeat(200) },
      { messageId: 'bench-d-0', text: 'short' },
      { messageId: 'bench-d-1', text: 'short' },
      { messageId: 'bench-d-2', text: 'short' },
    ];

    // Act
    const figure = replySegments(replies);

    // Assert
    expect(figure).toEqual({
      unique: 2,
      duplicate: 1,
      mix2020: UNIQUE_SHARE_2020 * 2 + (1 - UNIQUE_SHARE_2020),
      replies: { unique: 1, duplicate: 3 },
    });
    expect(figure.mix2020).toBeCloseTo(1.033, 3);
  });

  it('counts one segment when nothing was recorded', () => {
    expect(replySegments([]).mix2020).toBe(1);
  });

  it('keeps the mean reply in the 2020 mix within the target, for the texts the bench sends', () => {
    // Arrange: the bench's message formats (plain, dashed, REG, madad, Urdu digits, Urdu keyword),
    // each answered in its sender's language: ELIGIBLE the first time, DUPLICATE after.
    const rng = new SeededRandom('reply-segments');
    const replies = Array.from({ length: 400 }, (_, i) => {
      const { lang } = parseSms(registrationText(rng, CNIC).text);
      const first = i % 2 === 0;
      const input: ReplyInput = first
        ? { status: 'ELIGIBLE', reasons: ['IN_REGISTRY'], lang, ...FACTS }
        : { status: 'DUPLICATE', reasons: ['ALREADY_ENROLLED'], lang, ...FACTS };
      return { messageId: `bench-${first ? 'u' : 'd'}-${i}`, text: renderReply(input) };
    });

    // Act
    const figure = replySegments(replies);

    // Assert
    expect(figure.replies).toEqual({ unique: 200, duplicate: 200 });
    expect(figure.unique).toBe(2);
    expect(figure.duplicate).toBeLessThan(1.25);
    expect(figure.mix2020).toBeLessThanOrEqual(SEGMENTS_PER_REPLY_TARGET);
  });
});
