import type { ItemKey } from '../../keys.js';

/**
 * Key formats of the quality items, all in the registry table: reports and samples are written by
 * operator jobs and read by key (the console never scans); an invitation lives in its household's
 * partition beside the household item.
 */
export const qualityKeys = {
  /** The newest registry health report (`npx madad quality`). */
  healthReport: { pk: 'QUALITY#HEALTH', sk: 'LATEST' } as ItemKey,
  /** A drawn back-check sample: its spec, strata and household ids. */
  sample: (sampleId: string): ItemKey => ({ pk: `QUALITY#SAMPLE#${sampleId}`, sk: 'SAMPLE' }),
  /** The report of a sample's validator results. */
  sampleReport: (sampleId: string): ItemKey => ({ pk: `QUALITY#SAMPLE#${sampleId}`, sk: 'REPORT' }),
  /** The list of samples, newest last: one small item per sample in one partition (a few a year). */
  sampleListing: (drawnAt: string, sampleId: string): ItemKey => ({
    pk: 'QUALITY#SAMPLES',
    sk: `${drawnAt}#${sampleId}`,
  }),
  sampleListingPk: 'QUALITY#SAMPLES',
  /** One household's update invitation of one round. */
  invitation: (round: string, householdId: string): ItemKey => ({
    pk: `HH#${householdId}`,
    sk: `INVITE#${round}`,
  }),
};
