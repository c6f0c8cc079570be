import { composeReply, type Decision, parseRegistration } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { unitCampaign } from '../../support/unit-campaign.js';

const NOW = '2026-08-20T10:00:00.000Z';
const duplicate: Decision = {
  status: 'DUPLICATE',
  reasons: ['ALREADY_ENROLLED'],
  ruleSetVersion: 'C-UNIT/v1',
  campaignId: 'C-UNIT',
  inputs: {},
  decidedAt: NOW,
};

function replyTo(text: string, decision?: Decision): string {
  const item = parseRegistration('pepper', {
    channel: 'sms',
    messageId: 'm-1',
    from: '+923001234567',
    to: '8171',
    text,
    receivedAt: NOW,
    acceptedAt: NOW,
  });
  return composeReply({
    item,
    reference: 'S1234567',
    ...(decision ? { decision } : {}),
    campaigns: [unitCampaign()],
  }).text;
}

describe('composeReply', () => {
  it('tells a household how to check with its own CNIC, in its own language (finding 3)', () => {
    // Act
    const roman = replyTo('4230112345674', duplicate);
    const english = replyTo('REG 42301-1234567-4', duplicate);
    const urdu = replyTo('۴۲۳۰۱-۱۲۳۴۵۶۷-۴', duplicate);

    // Assert
    expect(roman).toContain('Halat ke liye 8171 par HALAT 42301-1234567-4 bhejein.');
    expect(english).toContain('To check, send STATUS 42301-1234567-4 to 8171.');
    expect(urdu).toContain('حالت کیلئے 8171 پر حالت 42301-1234567-4 بھیجیں۔');
  });

  it('gives a message without a CNIC an example, never a placeholder', () => {
    // Act
    const help = replyTo('STATUS');

    // Assert
    expect(help).toContain('To check, send STATUS and your CNIC, like STATUS 35202-1234567-1.');
    expect(help).not.toMatch(/[<>]/);
  });
});
