import {
  CAMPAIGN_NAME_UR_MAX,
  CampaignInputSchema,
  campaignCovers,
  countSegments,
  type ReasonCode,
  type ReplyInput,
  renderReply,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

const DECLARATION = {
  name: 'Monsoon floods 2026',
  nameUr: 'مون سون سیلاب',
  shockType: 'flood',
  areas: [{ district: 'Muzaffargarh' }],
  opensAt: '2026-08-01T00:00:00+05:00',
  closesAt: '2026-10-01T00:00:00+05:00',
  rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
  budgetCap: 1_000_000,
  maxHouseholds: 100,
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = CampaignInputSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('a campaign’s Urdu name (nameUr)', () => {
  it('is required when a campaign is declared, and the refusal names the field', () => {
    const { nameUr: _left, ...withoutUrdu } = DECLARATION;

    const issues = issuesOf(withoutUrdu);

    expect(issues).toEqual([{ path: 'nameUr', message: expect.stringContaining('nameUr is required') }]);
  });

  it('refuses a name in Latin letters, and Latin letters inside an Urdu name', () => {
    expect(issuesOf({ ...DECLARATION, nameUr: 'Monsoon floods' })).toEqual([
      { path: 'nameUr', message: expect.stringContaining('Urdu script') },
    ]);
    expect(issuesOf({ ...DECLARATION, nameUr: 'NDMA سیلاب' })).toEqual([
      { path: 'nameUr', message: expect.stringContaining('Urdu script') },
    ]);
    expect(issuesOf({ ...DECLARATION, nameUr: '2026 - 2027' })).toHaveLength(1);
  });

  it(`refuses a name over ${CAMPAIGN_NAME_UR_MAX} characters, which would not fit the SMS`, () => {
    const long = 'مون سون سیلاب ۲۰۲۶'; // 18 characters

    expect(issuesOf({ ...DECLARATION, nameUr: long })).toEqual([
      { path: 'nameUr', message: expect.stringContaining(`at most ${CAMPAIGN_NAME_UR_MAX} characters`) },
    ]);
    expect(issuesOf({ ...DECLARATION, nameUr: long.slice(0, CAMPAIGN_NAME_UR_MAX) })).toEqual([]);
  });

  it('accepts Urdu with Urdu or ASCII digits and punctuation, trimmed', () => {
    const parsed = CampaignInputSchema.parse({ ...DECLARATION, nameUr: '  کووڈ-19 امداد ۲۰ ' });

    expect(parsed.nameUr).toBe('کووڈ-19 امداد ۲۰');
  });

  it('is optional on a stored campaign: one declared before it was required still covers its areas', () => {
    const { nameUr: _left, ...stored } = CampaignInputSchema.parse(DECLARATION);

    expect('nameUr' in stored).toBe(false);
    expect(campaignCovers(stored, 'Muzaffargarh', 'Alipur')).toBe(true);
  });

  it(`keeps a ${CAMPAIGN_NAME_UR_MAX}-character name whole in every Urdu reply that names the campaign, within two segments`, () => {
    // Every state, payment stage, reason and top-up a reply can carry, with a 9-letter reference and
    // an amount of Rs 99,999: the name a short one would show must not be dropped for a longer one.
    const statuses: ReplyInput['status'][] = [
      'ELIGIBLE',
      'NOT_ELIGIBLE',
      'PENDING_VERIFICATION',
      'DUPLICATE',
      'IDENTITY_MISMATCH',
      'INVALID_REQUEST',
      'NO_ACTIVE_CAMPAIGN',
      'CAMPAIGN_CLOSED',
      'RATE_LIMITED',
      'WAITLISTED',
      'HELP',
      'NOT_REGISTERED',
    ];
    const payments = [undefined, 'IN_BATCH', 'APPROVED', 'SENT', 'PAID', 'FAILED', 'RETRYING'] as const;
    const reasons: ReasonCode[][] = [
      [],
      ['IN_REGISTRY'],
      ['SCORE_ABOVE_THRESHOLD'],
      ['EXCLUSION_EXECUTIVE_ID'],
      ['OUTSIDE_AFFECTED_AREA'],
      ['IDENTITY_DECEASED'],
      ['CNIC_PHONES_LIMITED'],
      ['ALREADY_ENROLLED'],
      ['CAP_REACHED'],
      ['NOT_IN_REGISTRY'],
    ];
    const longest = 'سیلاب ۲۰۲۶ '
      .repeat(3)
      .slice(0, CAMPAIGN_NAME_UR_MAX)
      .trim()
      .padEnd(CAMPAIGN_NAME_UR_MAX, 'ب');
    const dropped: string[] = [];
    let naming = 0;

    for (const status of statuses)
      for (const payment of payments)
        for (const reason of reasons)
          for (const topUp of [false, true]) {
            const input: ReplyInput = {
              status,
              reasons: reason,
              lang: 'ur',
              reference: 'S3K9QW2ZP',
              amount: 99_999,
              cnic: '35202-1234567-1',
              topUp,
              ...(payment ? { payment } : {}),
            };
            if (!renderReply({ ...input, campaignNameUr: 'سیلاب' }).includes('سیلاب')) continue;
            naming += 1;
            const text = renderReply({ ...input, campaignNameUr: longest });
            if (!text.includes(longest) || countSegments(text).segments > 2)
              dropped.push(`${status}/${payment ?? '-'}/${reason.join(',')}/${topUp ? 'top-up' : 'new'}`);
          }

    expect(longest).toHaveLength(CAMPAIGN_NAME_UR_MAX);
    expect(naming).toBeGreaterThan(100);
    expect(dropped).toEqual([]);
  });
});
