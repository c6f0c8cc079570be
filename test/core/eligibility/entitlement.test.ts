import { entitlementFor } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { unitCampaign } from '../../support/unit-campaign.js';

// The unit campaign pays Rs 6,000 top-ups to its regular programme (KAFAALAT), Rs 12,000 to newcomers.
const campaign = unitCampaign();

describe('entitlementFor', () => {
  it("tops up a household in the campaign's regular programme", () => {
    expect(entitlementFor(campaign, { programmes: ['KAFAALAT'] })).toEqual({
      category: 'TOP_UP',
      amount: 6000,
    });
  });

  it('pays the new-beneficiary amount to a household outside it, whatever other programmes it is in', () => {
    expect(entitlementFor(campaign, { programmes: [] })).toEqual({
      category: 'NEW_BENEFICIARY',
      amount: 12000,
    });
    expect(entitlementFor(campaign, { programmes: ['TALEEMI'] })).toEqual({
      category: 'NEW_BENEFICIARY',
      amount: 12000,
    });
  });

  it('follows the campaign: another regular programme, other amounts', () => {
    const other = {
      rules: { ...campaign.rules, regularProgramme: 'TALEEMI', amounts: { topUp: 1, newBeneficiary: 2 } },
    };
    expect(entitlementFor(other, { programmes: ['TALEEMI'] })).toEqual({ category: 'TOP_UP', amount: 1 });
    expect(entitlementFor(other, { programmes: ['KAFAALAT'] })).toEqual({
      category: 'NEW_BENEFICIARY',
      amount: 2,
    });
  });

  it('is the one place the amount rule lives: no other core file reads the campaign amounts to pay', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../../../packages/core/src/', import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const readers = files.filter((f) =>
      /\bamounts\.(topUp|newBeneficiary)\b/.test(readFileSync(new URL(f, root), 'utf8')),
    );
    // cap-shards sizes its shards by the smaller amount; it pays nobody.
    expect(readers.sort()).toEqual(['campaigns/cap-shards.ts', 'eligibility/entitlement.ts']);
  });
});
