import {
  type Campaign,
  type CnicPhones,
  countSegments,
  MAX_REPLY_SEGMENTS,
  phonesPerCnicDecision,
  renderReply,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

/** Issue 14, finding 4: `limits.phonesPerCnic` was never enforced. */
const NOW = new Date('2026-03-01T10:00:00Z');
const campaign = { campaignId: 'C-1', limits: { cnicsPerPhone: 5, phonesPerCnic: 2 } } as Pick<
  Campaign,
  'campaignId' | 'limits'
> as Campaign;

/** Places handed out in call order, as the DynamoDB item does atomically; a known phone keeps its place. */
function memoryCnicPhones(): CnicPhones & { calls: number } {
  const places = new Map<string, Map<string, number>>();
  return {
    calls: 0,
    async rankPhone(cnicHash, campaignId, phone) {
      this.calls += 1;
      const key = `${cnicHash}|${campaignId}`;
      const phones = places.get(key) ?? new Map<string, number>();
      places.set(key, phones);
      if (!phones.has(phone)) phones.set(phone, phones.size + 1);
      return phones.get(phone) ?? 0;
    },
  };
}

const decideFor = (phones: CnicPhones, phone: string, knownPhone = false) =>
  phonesPerCnicDecision(phones, { cnicHash: 'h1', phone, campaign, knownPhone, now: NOW });

describe('phonesPerCnicDecision', () => {
  it('lets the first phonesPerCnic phones through and flags the next for review', async () => {
    const phones = memoryCnicPhones();
    expect(await decideFor(phones, '+923000000001')).toBeUndefined();
    expect(await decideFor(phones, '+923000000002')).toBeUndefined();

    const third = await decideFor(phones, '+923000000003');

    expect(third).toMatchObject({
      status: 'RATE_LIMITED',
      reasons: ['CNIC_PHONES_LIMITED'],
      inputs: { phonesForCnic: 3, limit: 2, campaign: 'C-1' },
    });
    // Outside the campaign: never the CNIC's decision of record, and on the review queue.
    expect(third?.campaignId).toBeUndefined();
  });

  it('keeps a counted phone within the limit however often it sends again', async () => {
    const phones = memoryCnicPhones();
    await decideFor(phones, '+923000000001');
    await decideFor(phones, '+923000000002');
    await decideFor(phones, '+923000000003');
    expect(await decideFor(phones, '+923000000001')).toBeUndefined();
  });

  it('writes nothing for a repeat from the phone that decided the CNIC, nor outside a campaign', async () => {
    const phones = memoryCnicPhones();
    await decideFor(phones, '+923000000001', true);
    await phonesPerCnicDecision(phones, {
      cnicHash: 'h1',
      phone: '+923000000002',
      campaign: undefined,
      knownPhone: false,
      now: NOW,
    });
    expect(phones.calls).toBe(0);
  });

  it('tells the phone it is flagged for review, in English and Urdu, within two segments', () => {
    const en = renderReply({
      status: 'RATE_LIMITED',
      reasons: ['CNIC_PHONES_LIMITED'],
      lang: 'en',
      reference: 'R3NJAAYBA',
    });
    const ur = renderReply({
      status: 'RATE_LIMITED',
      reasons: ['CNIC_PHONES_LIMITED'],
      lang: 'ur',
      reference: 'R3NJAAYBA',
    });

    expect(en).toContain('This CNIC was sent from too many phones. Staff will review it.');
    expect(en).toContain("Register from your household's own phone, or visit your tehsil desk");
    expect(ur).toContain('یہ شناختی کارڈ بہت سے فونز سے بھیجا گیا، عملہ جائزہ لے گا۔');
    for (const text of [en, ur]) expect(countSegments(text).segments).toBeLessThanOrEqual(MAX_REPLY_SEGMENTS);
  });
});
