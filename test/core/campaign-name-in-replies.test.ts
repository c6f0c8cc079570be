import {
  type Campaign,
  composeReply,
  type Decision,
  type Enrollment,
  enrollmentKey,
  type OutboundSms,
  parseRegistration,
  promoteWaitlist,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';
import { MemoryCapLedger, MemoryEnrollmentClaims } from '../support/cap-fakes.js';
import { unitCampaign } from '../support/unit-campaign.js';

const NOW = new Date('2026-08-20T10:00:00Z');
const campaign = unitCampaign(); // name 'Unit floods', nameUr 'سیلاب'
/** The same campaign as stored before issue 15: no Urdu name. */
const { nameUr: _none, ...declaredBefore } = campaign;

const eligible: Decision = {
  status: 'ELIGIBLE',
  reasons: ['IN_REGISTRY'],
  ruleSetVersion: 'C-UNIT/v1',
  campaignId: 'C-UNIT',
  amount: 12000,
  inputs: {},
  decidedAt: NOW.toISOString(),
};

/** The reconciler's reply to an SMS registration decided ELIGIBLE in `campaigns`. */
function replyTo(text: string, campaigns: readonly Campaign[]): string {
  const item = parseRegistration('pepper', {
    channel: 'sms',
    messageId: 'm-1',
    from: '+923001234567',
    to: '8171',
    text,
    receivedAt: NOW.toISOString(),
    acceptedAt: NOW.toISOString(),
  });
  return composeReply({ item, reference: 'S1234567', decision: eligible, campaigns }).text;
}

describe('the campaign name in replies', () => {
  it('names the campaign in Urdu script in an Urdu reply from the reconciler, and in English in an English one', () => {
    const urdu = replyTo('۴۲۳۰۱-۱۲۳۴۵۶۷-۴', [campaign]);
    const english = replyTo('MADAD 42301-1234567-4', [campaign]);

    expect(urdu).toContain('سیلاب');
    expect(urdu).not.toContain('Unit floods');
    expect(english).toContain('Unit floods');
  });

  it('names no campaign in an Urdu reply when the campaign was stored without an Urdu name', () => {
    const urdu = replyTo('۴۲۳۰۱-۱۲۳۴۵۶۷-۴', [declaredBefore]);

    expect(urdu).not.toContain('Unit floods');
    expect(urdu).not.toContain('سیلاب');
    expect(urdu).toContain('12,000');
  });

  it('names the campaign in Urdu when a waitlisted household is promoted and told in Urdu', async () => {
    // Arrange: one household waitlisted in Urdu, and caps with room for it.
    const caps = new MemoryCapLedger();
    const claims = new MemoryEnrollmentClaims();
    claims.caps = caps;
    const waiting: Enrollment = {
      campaignId: 'C-UNIT',
      householdId: 'HH-1',
      messageId: 'm-1',
      reference: 'S1234567',
      cnicHash: 'h-1',
      category: 'NEW_BENEFICIARY',
      amount: 12000,
      district: 'Dadu',
      tehsil: 'Dadu',
      ruleSetVersion: 'C-UNIT/v1',
      channel: 'sms',
      enrolledAt: NOW.toISOString(),
      capState: 'waitlisted',
      claimId: 'm-1',
      notify: { phone: '+923001234567', lang: 'ur' },
    };
    claims.items.set(enrollmentKey('C-UNIT', 'HH-1'), waiting);
    const sent: OutboundSms[] = [];

    // Act
    const { promoted } = await promoteWaitlist(
      {
        caps,
        claims,
        replies: { enqueue: async (items) => void sent.push(...items) },
        audit: memoryAuditLog().log,
        clock: { now: () => NOW },
      },
      campaign,
      { user: 'cell-1', role: 'emergency-cell' },
    );

    // Assert
    expect(promoted).toEqual(['HH-1']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('سیلاب');
    expect(sent[0]?.text).not.toContain('Unit floods');
  });
});
