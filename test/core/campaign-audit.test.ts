import {
  activateCampaign,
  type Campaign,
  type CampaignInput,
  CampaignInputSchema,
  type CampaignRepository,
  type CampaignServiceDeps,
  changeRules,
  closeCampaign,
  createCampaign,
  type DecisionOfRecord,
  InjectedCrashError,
  startReplay,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { previewReplay } from '../../packages/api/src/replay-service.js';
import { memoryAuditLog } from '../support/audit-fakes.js';
import { memoryReplayDecisions, memoryReplayJobs, memoryReplayQueue } from '../support/replay-fakes.js';

const INPUT: CampaignInput = CampaignInputSchema.parse({
  name: 'Sindh floods 2026',
  nameUr: 'سندھ سیلاب ۲۰۲۶',
  shockType: 'flood',
  areas: [{ district: 'Dadu' }],
  opensAt: '2026-08-01T00:00:00Z',
  closesAt: '2026-10-01T00:00:00Z',
  rules: {
    pmtThreshold: 32,
    exclusionFilters: [],
    amounts: { topUp: 6000, newBeneficiary: 12000 },
    regularProgramme: 'KAFAALAT',
  },
  budgetCap: 1_000_000,
  maxHouseholds: 100,
  notifyTopUps: false,
});

const CELL = { user: 'cell-zainab', role: 'emergency-cell' } as const;

/** Campaigns in memory with the store's conditional save (by revision). */
function memoryCampaigns(): CampaignRepository & { items: Map<string, Campaign & { revision: number }> } {
  const items = new Map<string, Campaign & { revision: number }>();
  return {
    items,
    get: async (id) => items.get(id),
    list: async () => [...items.values()],
    save: async (campaign, expected) => {
      if ((items.get(campaign.campaignId)?.revision ?? 0) !== expected) throw new Error('revision');
      items.set(campaign.campaignId, { ...campaign, revision: expected + 1 });
    },
    saveRuleSet: async () => undefined,
  };
}

function world() {
  const campaigns = memoryCampaigns();
  const ledger = memoryAuditLog();
  const deps: CampaignServiceDeps = {
    campaigns,
    activationQueue: { enqueueAll: async () => undefined },
    audit: ledger.log,
    clock: { now: () => new Date('2026-08-02T09:00:00Z') },
  };
  return { deps, campaigns, ledger };
}

describe('the ledger records every campaign action of the emergency cell (finding 7)', () => {
  it('declaration: actor, role, subject, and the declared campaign as `after`', async () => {
    const t = world();
    const campaign = await createCampaign(t.deps, INPUT, CELL.user, CELL.role);
    expect(t.ledger.entries).toEqual([
      expect.objectContaining({
        actor: 'cell-zainab',
        role: 'emergency-cell',
        action: 'campaign.declare',
        subject: `campaign/${campaign.campaignId}`,
        before: null,
        after: expect.objectContaining({ status: 'draft', budgetCap: 1_000_000, maxHouseholds: 100 }),
        actionId: `campaign.declare/${campaign.campaignId}`,
      }),
    ]);
  });

  it('activation and close, each once however often retried', async () => {
    const t = world();
    const { campaignId } = await createCampaign(t.deps, INPUT, CELL.user, CELL.role);
    await activateCampaign(t.deps, campaignId, 'cell-omar', 'emergency-cell');
    await activateCampaign(t.deps, campaignId, 'cell-omar', 'emergency-cell');
    await closeCampaign(t.deps, campaignId, 'cell-omar', 'emergency-cell');
    await closeCampaign(t.deps, campaignId, 'cell-omar', 'emergency-cell');
    expect(t.ledger.entries.map((e) => [e.action, e.actor, e.subject, e.before, e.after])).toEqual([
      ['campaign.declare', 'cell-zainab', `campaign/${campaignId}`, null, expect.anything()],
      [
        'campaign.activate',
        'cell-omar',
        `campaign/${campaignId}`,
        { status: 'draft' },
        { status: 'active', activatedAt: '2026-08-02T09:00:00.000Z' },
      ],
      [
        'campaign.close',
        'cell-omar',
        `campaign/${campaignId}`,
        { status: 'active' },
        { status: 'closed', closedAt: '2026-08-02T09:00:00.000Z' },
      ],
    ]);
  });

  it('a rule change, with the old and new rule sets', async () => {
    const t = world();
    const { campaignId } = await createCampaign(t.deps, INPUT, CELL.user, CELL.role);
    await changeRules(t.deps, campaignId, { pmtThreshold: 40 }, 'cell-omar', 'emergency-cell');
    expect(t.ledger.entries.at(-1)).toMatchObject({
      actor: 'cell-omar',
      role: 'emergency-cell',
      action: 'campaign.rules',
      subject: `campaign/${campaignId}`,
      before: { ruleSetVersion: `${campaignId}/v1`, rules: { pmtThreshold: 32 } },
      after: { ruleSetVersion: `${campaignId}/v2`, rules: { pmtThreshold: 40 } },
      actionId: `campaign.rules/${campaignId}/v2`,
    });
  });

  it('a crash between an action and its entry: the retry, or the next action, records it once', async () => {
    const t = world();
    const { campaignId } = await createCampaign(t.deps, INPUT, CELL.user, CELL.role);
    // Activation written, its own entry lost (a kill between the two): the retry appends it.
    let calls = 0;
    const losesLast = {
      ...t.deps,
      audit: {
        append: async (input: Parameters<typeof t.ledger.log.append>[0]) => {
          if (input.action === 'campaign.activate' && calls++ === 0)
            throw new InjectedCrashError('audit.lost');
          return t.ledger.log.append(input);
        },
      },
    };
    await expect(activateCampaign(losesLast, campaignId, 'cell-omar')).rejects.toBeInstanceOf(
      InjectedCrashError,
    );
    expect(t.campaigns.items.get(campaignId)?.status).toBe('active');
    expect(t.ledger.entries.map((e) => e.action)).toEqual(['campaign.declare']);
    await activateCampaign(losesLast, campaignId, 'cell-omar');
    // A rule change whose entry is lost is completed by the next action on the campaign.
    const losesRules = {
      ...t.deps,
      audit: {
        append: async (input: Parameters<typeof t.ledger.log.append>[0]) => {
          if (input.action === 'campaign.rules') throw new InjectedCrashError('audit.lost');
          return t.ledger.log.append(input);
        },
      },
    };
    await expect(
      changeRules(losesRules, campaignId, { pmtThreshold: 45 }, 'cell-omar'),
    ).rejects.toBeInstanceOf(InjectedCrashError);
    await closeCampaign(t.deps, campaignId, 'cell-zainab');
    expect(t.ledger.entries.map((e) => [e.action, e.actor])).toEqual([
      ['campaign.declare', 'cell-zainab'],
      ['campaign.activate', 'cell-omar'],
      ['campaign.rules', 'cell-omar'],
      ['campaign.close', 'cell-zainab'],
    ]);
  });
});

describe('replay with apply is in the ledger (finding 7)', () => {
  const campaign = {
    campaignId: 'C-1',
    ruleSetVersion: 'C-1/v2',
    rules: { ...INPUT.rules, pmtThreshold: 40 },
    amounts: INPUT.rules.amounts,
  } as unknown as Campaign;
  const record: DecisionOfRecord = {
    campaignId: 'C-1',
    cnicHash: 'h1',
    messageId: 'm1',
    reference: 'R1234567',
    from: '+923001234567',
    channel: 'sms',
    lang: 'en',
    decision: {
      status: 'NOT_ELIGIBLE',
      reasons: ['SCORE_ABOVE_THRESHOLD'],
      ruleSetVersion: 'C-1/v1',
      campaignId: 'C-1',
      householdId: 'HH-1',
      inputs: { pmtScore: 35, district: 'Dadu', tehsil: 'Dadu', inRegularProgramme: false },
      decidedAt: '2026-08-01T10:00:00Z',
    },
  };

  function replayWorld() {
    const ledger = memoryAuditLog();
    const queue = memoryReplayQueue();
    const deps = {
      campaigns: { get: async () => campaign },
      decisions: memoryReplayDecisions([record]),
      jobs: memoryReplayJobs(),
      work: queue,
      audit: ledger.log,
      now: () => new Date('2026-08-03T09:00:00Z'),
    };
    return { deps, ledger, queue };
  }

  it('records the replay once per rule-set version, with who ran it; a dry run records nothing', async () => {
    const t = replayWorld();
    const actor = ['cell-omar', 'emergency-cell'] as const;
    await previewReplay(t.deps, 'C-1', { limit: 100 });
    expect(t.ledger.entries).toEqual([]);
    await startReplay(t.deps, 'C-1', actor);
    await startReplay(t.deps, 'C-1', actor);
    expect(t.ledger.entries).toEqual([
      expect.objectContaining({
        actor: 'cell-omar',
        role: 'emergency-cell',
        action: 'campaign.replay-apply',
        subject: 'campaign/C-1',
        before: { decisionsUnder: 'earlier rule-set versions' },
        after: expect.objectContaining({ ruleSetVersion: 'C-1/v2' }),
        actionId: 'campaign.replay-apply/C-1/v2',
      }),
    ]);
  });
});
