import { CampaignInputSchema } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { REHEARSAL_NAME_UR, rehearsalCampaign } from '../../packages/cli/src/surge/surge-setup.js';

describe('rehearsalCampaign (npx madad surge and the bench)', () => {
  it('declares a campaign the API accepts, with a default Urdu name', () => {
    const parsed = CampaignInputSchema.safeParse(rehearsalCampaign('Surge rehearsal 1', ['Dadu']));

    expect(parsed.success).toBe(true);
    expect(parsed.data?.nameUr).toBe(REHEARSAL_NAME_UR);
  });

  it('takes another Urdu name when given one', () => {
    expect(rehearsalCampaign('Bench', ['Dadu'], 'دادو سیلاب').nameUr).toBe('دادو سیلاب');
  });
});
