import { type CapShardState, type Enrollment, renderReply } from '@madad/core';
import { describe, expect, it } from 'vitest';
import type { RegistrationView, ReplyView } from '../../packages/cli/src/surge/staff-api.js';
import { countCaps, isWaitlistReply } from '../../packages/cli/src/surge/surge-caps.js';

const CAPS = { maxHouseholds: 3, budgetCap: 1_000_000 };

function shard(households: number, committed: number): CapShardState {
  return {
    shard: 0,
    maxHouseholds: CAPS.maxHouseholds,
    budget: CAPS.budgetCap,
    revision: 1,
    households,
    committed,
    remainingHouseholds: CAPS.maxHouseholds - households,
    remainingBudget: CAPS.budgetCap - committed,
    heldHouseholds: 0,
    heldBudget: 0,
  };
}

function waitlisted(householdId: string): Enrollment {
  return {
    campaignId: 'C-1',
    householdId,
    messageId: `m-${householdId}`,
    reference: 'R',
    cnicHash: 'h',
    category: 'NEW_BENEFICIARY',
    amount: 12000,
    district: 'D',
    tehsil: 'T',
    ruleSetVersion: 'v1',
    channel: 'sms',
    enrolledAt: '2026-12-07T10:00:00.000Z',
    capState: 'waitlisted',
  };
}

const WAITLIST_TEXT =
  'Madad: You qualify, but the funds are used up for now. You are on the waiting list. Ref R. We will SMS you if funds are added.';

function decidedWaitlisted(messageId: string, householdId: string, text: string) {
  const registration = {
    messageId,
    decision: { status: 'WAITLISTED', decidedAt: '2026-12-07T10:00:00.000Z', householdId },
  } as RegistrationView;
  const reply: ReplyView = {
    id: `reply-${messageId}`,
    to: '+923001234567',
    createdAt: '',
    inReplyTo: messageId,
    text,
  };
  return { registration, reply };
}

describe('countCaps (the capped surge report)', () => {
  it('holds when the maximum is enrolled and each household past it is waitlisted and told so', () => {
    const { registration, reply } = decidedWaitlisted('m1', 'H4', WAITLIST_TEXT);
    const counts = countCaps(
      CAPS,
      { shards: [shard(3, 36000)], waitlisted: [waitlisted('H4')] },
      new Map([['m1', registration]]),
      [reply],
    );
    expect(counts).toMatchObject({
      enrolled: 3,
      eligible: 4,
      expectedEnrolled: 3,
      binding: 'households',
      ok: true,
    });
  });

  it('fails when households were waitlisted while the cap still had room', () => {
    const counts = countCaps(
      CAPS,
      { shards: [shard(2, 24000)], waitlisted: [waitlisted('H4')] },
      new Map(),
      [],
    );
    expect(counts.waitlistJustified).toBe(false);
    expect(counts.ok).toBe(false);
  });

  it('fails when more households were enrolled than the maximum', () => {
    const counts = countCaps(CAPS, { shards: [shard(4, 48000)], waitlisted: [] }, new Map(), []);
    expect(counts.ok).toBe(false);
  });

  it('fails when a WAITLISTED message was answered with a promise of money', () => {
    const { registration, reply } = decidedWaitlisted(
      'm1',
      'H4',
      'Madad: You are eligible for Rs 12,000. Ref R.',
    );
    const counts = countCaps(
      CAPS,
      { shards: [shard(3, 36000)], waitlisted: [waitlisted('H4')] },
      new Map([['m1', registration]]),
      [reply],
    );
    expect(counts.toldWaitlist).toBe(0);
    expect(counts.ok).toBe(false);
  });

  it("counts a helper's WAITLISTED message as told when the household's own phone got the waitlist notice", () => {
    // Finding 1 of issue 14: the helper is told only where the answer goes; the household gets it.
    const { registration, reply } = decidedWaitlisted('m1', 'H4', 'Madad: Your message was received.');
    const notice: ReplyView = { id: 'notice-m1-R', to: '+923009999999', createdAt: '', text: WAITLIST_TEXT };
    const counts = countCaps(
      CAPS,
      { shards: [shard(3, 36000)], waitlisted: [waitlisted('H4')] },
      new Map([['m1', { ...registration, notice: { id: notice.id, to: notice.to } }]]),
      [reply, notice],
    );
    expect(counts.toldWaitlist).toBe(1);
    expect(counts.ok).toBe(true);
  });

  it('fails when a household decided WAITLISTED is not on the waitlist', () => {
    const { registration, reply } = decidedWaitlisted('m1', 'H9', WAITLIST_TEXT);
    const counts = countCaps(
      CAPS,
      { shards: [shard(3, 36000)], waitlisted: [waitlisted('H4')] },
      new Map([['m1', registration]]),
      [reply],
    );
    expect(counts.decidedWaitlistedNotOnWaitlist).toBe(1);
    expect(counts.ok).toBe(false);
  });
});

describe('isWaitlistReply', () => {
  it('recognises the waitlist sentence in English, Roman Urdu and Urdu script, never with an amount', () => {
    expect(isWaitlistReply(WAITLIST_TEXT)).toBe(true);
    for (const lang of ['en', 'ur-Latn', 'ur'] as const) {
      const reply = renderReply({
        status: 'WAITLISTED',
        reasons: ['CAP_REACHED'],
        lang,
        reference: 'K7Q2MX9A',
      });
      expect(isWaitlistReply(reply)).toBe(true);
    }
    expect(isWaitlistReply('آپ اہل ہیں مگر رقم ختم ہو گئی۔ آپ انتظار فہرست میں ہیں۔')).toBe(true);
    expect(isWaitlistReply(`${WAITLIST_TEXT} Rs 12,000`)).toBe(false);
    expect(isWaitlistReply(undefined)).toBe(false);
  });
});
