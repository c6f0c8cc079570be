import { type Decision, GLOBAL_STATS, StatsBatch } from '@madad/core';
import { describe, expect, it } from 'vitest';

const decision = (overrides: Partial<Decision> = {}): Decision => ({
  status: 'ELIGIBLE',
  reasons: ['IN_REGISTRY'],
  ruleSetVersion: 'C-1/v1',
  campaignId: 'C-1',
  category: 'TOP_UP',
  amount: 10000,
  inputs: { district: 'Lahore', tehsil: 'Model Town' },
  decidedAt: '2026-03-01T10:59:30.000Z',
  ...overrides,
});

describe('StatsBatch', () => {
  it('counts decisions by tehsil within their district, for the transparency page', () => {
    const batch = new StatsBatch();
    batch.count(decision(), 'sms');
    batch.count(decision({ status: 'NOT_ELIGIBLE', category: undefined }), 'web');

    expect(batch.drain().get('C-1')).toMatchObject({
      'tehsil:Lahore/Model Town:ELIGIBLE': 1,
      'tehsil:Lahore/Model Town:NOT_ELIGIBLE': 1,
      'district:Lahore:ELIGIBLE': 1,
    });
  });

  it('counts registrations per minute they were decided, leaving vertical expansion out', () => {
    const batch = new StatsBatch();
    batch.count(decision(), 'sms');
    batch.count(decision({ decidedAt: '2026-03-01T10:59:59.999Z' }), 'web');
    batch.count(decision({ decidedAt: '2026-03-01T11:00:00.000Z' }), 'sms');
    batch.count(decision(), 'vertical');
    batch.count(decision({ campaignId: undefined, status: 'IDENTITY_MISMATCH' }), 'sms');

    const perMinute = batch.drainPerMinute();

    expect(perMinute.get('C-1')).toEqual({ '2026-03-01T10:59': 2, '2026-03-01T11:00': 1 });
    expect(perMinute.get(GLOBAL_STATS)).toEqual({ '2026-03-01T10:59': 1 });
    expect(batch.drainPerMinute().size).toBe(0);
  });
});
