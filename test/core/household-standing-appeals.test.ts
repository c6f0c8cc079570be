import {
  type Appeal,
  type DecisionOfRecord,
  type Enrollment,
  enrollmentKey,
  type HouseholdStandingDeps,
  type OutboundSms,
  type RegistryMatch,
  readHouseholdStanding,
  renderReply,
  resolveAppeal,
  standingReplyInput,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { MemoryAppealStore } from '../support/appeal-fakes.js';
import { memoryAuditLog } from '../support/audit-fakes.js';
import { unitCampaign } from '../support/unit-campaign.js';

const campaign = unitCampaign();
const PERSON = 'hash-of-head';
const REFUSED_AT = '2026-08-10T09:00:00Z';
const APPEALED_AT = '2026-08-11T09:00:00Z';
const RESOLVED_AT = new Date('2026-08-12T09:00:00Z');

/** A household refused in the campaign (score above the line), who appealed by SMS, and the ports. */
function world() {
  const refusal: DecisionOfRecord = {
    campaignId: campaign.campaignId,
    cnicHash: PERSON,
    messageId: 'm-register',
    reference: 'R7K2M9QX',
    from: '+923001234567',
    channel: 'sms',
    lang: 'en',
    decision: {
      status: 'NOT_ELIGIBLE',
      reasons: ['SCORE_ABOVE_THRESHOLD'],
      ruleSetVersion: campaign.ruleSetVersion,
      campaignId: campaign.campaignId,
      householdId: 'HH-1',
      inputs: { pmtScore: 40, district: 'Dadu', tehsil: 'Dadu' },
      decidedAt: REFUSED_AT,
    },
  };
  const records = new Map<string, DecisionOfRecord>([[refusal.campaignId, refusal]]);
  const enrollments = new Map<string, Enrollment>();
  const appeals = new MemoryAppealStore();
  const sent: OutboundSms[] = [];
  const match = (): RegistryMatch => ({
    exclusions: [],
    person: { cnicHash: PERSON, householdId: 'HH-1', relation: 'head' },
    decisionsOfRecord: [...records.values()],
  });
  const deps: HouseholdStandingDeps = {
    registry: { resolve: async (hashes) => new Map(hashes.map((h) => [h, match()])) },
    campaigns: { inForce: async () => [campaign] },
    clock: { now: () => RESOLVED_AT },
    enrollments: {
      find: async (pairs) =>
        new Map(
          pairs.flatMap((p) => {
            const e = enrollments.get(enrollmentKey(p.campaignId, p.householdId));
            return e ? [[enrollmentKey(p.campaignId, p.householdId), e] as const] : [];
          }),
        ),
    },
    appeals,
  };
  const appeal: Appeal = {
    appealId: 'A7K2M9QY',
    messageId: 'm-appeal',
    cnicHash: PERSON,
    phone: '+923001234567',
    lang: 'en',
    note: 'We lost our house in the flood',
    status: 'OPEN',
    openedAt: APPEALED_AT,
    decision: { messageId: refusal.messageId, reference: refusal.reference, decision: refusal.decision },
  };
  const resolve = (outcome: 'UPHELD' | 'OVERTURNED') =>
    resolveAppeal(
      {
        appeals,
        decisions: { put: async (d) => void records.set(d.campaignId, d) },
        campaigns: { get: async (id) => (id === campaign.campaignId ? campaign : undefined) },
        enrollments: {
          find: async () => new Map(),
          enroll: async (e) => {
            enrollments.set(enrollmentKey(e.campaignId, e.householdId), e);
            return { created: true };
          },
        },
        replies: { enqueue: async (r) => void sent.push(...r) },
        audit: memoryAuditLog(() => RESOLVED_AT).log,
        clock: { now: () => RESOLVED_AT },
      },
      { appealId: appeal.appealId, outcome, reason: 'Flood damage verified by the tehsil desk', by: 'pat' },
    );
  const standing = () => readHouseholdStanding(deps, PERSON);
  const says = async () => renderReply(standingReplyInput(await standing(), 'en'));
  return { appeals, appeal, resolve, standing, says, sent };
}

describe('A household that appealed learns where its complaint is (STATUS and the web page alike)', () => {
  it('says RECEIVED under the appeal id while the appeal is open, assigned, proposed or being resolved', async () => {
    const w = world();
    const stages: Appeal[] = [
      w.appeal,
      { ...w.appeal, assignment: { to: 'pat', by: 'sam', at: APPEALED_AT } },
      {
        ...w.appeal,
        status: 'PROPOSED',
        proposal: { by: 'pat', role: 'program-officer', reason: 'flood', amount: 12000, at: APPEALED_AT },
      },
      {
        ...w.appeal,
        status: 'RESOLVING',
        claim: { by: 'pat', role: 'program-officer', outcome: 'UPHELD', reason: 'x', at: APPEALED_AT },
      },
    ];

    for (const stage of stages) {
      w.appeals.items.set(stage.appealId, stage);
      const standing = await w.standing();

      expect(standing).toMatchObject({ appeal: 'RECEIVED', reference: 'A7K2M9QY', status: 'NOT_ELIGIBLE' });
      expect(await w.says()).toBe(
        renderReply({ status: 'HELP', reasons: [], lang: 'en', appeal: 'RECEIVED', reference: 'A7K2M9QY' }),
      );
    }
  });

  it('says UPHELD when staff uphold it, the original decision standing with its reason', async () => {
    const w = world();
    await w.appeals.open(w.appeal);

    await w.resolve('UPHELD');
    const standing = await w.standing();

    expect(standing).toMatchObject({
      appeal: 'UPHELD',
      reference: 'A7K2M9QY',
      status: 'NOT_ELIGIBLE',
      reasons: ['SCORE_ABOVE_THRESHOLD'],
    });
    // The words are those of the outcome SMS the household was sent.
    expect(await w.says()).toBe(w.sent[0]?.text);
    expect(await w.says()).toContain('the decision stays');
  });

  it('answers with the new eligible decision when staff overturn it: amount and reference the household was told', async () => {
    const w = world();
    await w.appeals.open(w.appeal);

    await w.resolve('OVERTURNED');
    const standing = await w.standing();

    expect(standing).toMatchObject({ status: 'ELIGIBLE', amount: 12000, reference: 'A7K2M9QY' });
    expect(standing.appeal).toBeUndefined();
    expect(await w.says()).toContain('Rs 12,000');
  });

  it('says OVERTURNED when the overturn made no new decision (an appeal outside any campaign)', async () => {
    const w = world();
    const { decision: _d, ...noDecision } = w.appeal;
    await w.appeals.open(noDecision);

    await w.resolve('OVERTURNED');

    expect(await w.standing()).toMatchObject({ appeal: 'OVERTURNED', reference: 'A7K2M9QY' });
    expect(await w.says()).toContain('accepted');
  });

  it('lets a decision taken after the appeal was resolved speak for itself', async () => {
    const w = world();
    await w.appeals.open({ ...w.appeal, openedAt: '2026-08-01T00:00:00Z' });
    await w.resolve('UPHELD');
    // resolved at RESOLVED_AT; the refusal of record is older, so here the appeal still speaks…
    expect((await w.standing()).appeal).toBe('UPHELD');

    // …but an appeal resolved before the decision of record does not.
    w.appeals.items.set('A7K2M9QY', {
      ...(w.appeals.items.get('A7K2M9QY') as Appeal),
      resolution: { by: 'pat', at: '2026-08-05T00:00:00Z', reason: 'x', enrolled: false },
    });
    expect((await w.standing()).appeal).toBeUndefined();
  });
});
