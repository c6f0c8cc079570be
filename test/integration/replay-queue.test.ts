import { DynamoDbDecisionRecords, getRuntime, instrumentRuntime } from '@madad/adapters';
import { STATS_SHARDS } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { daduReplayCampaign, refusedUnderV1 } from '../support/replay-fixtures.js';

/**
 * Issue 14, finding 9: rules replay read a campaign's decisions with a Scan that no function is
 * granted in the cloud. On the embedded stack, with every DynamoDB command the process sends recorded,
 * a replay with apply over more decisions than a page goes through the replay queue and its worker
 * and reads by index only.
 */
const PAGE_SIZE = 3;
const DECISIONS = 64;
const sent: { command: string; input: Record<string, unknown> }[] = [];
let t: TestStack;

beforeAll(async () => {
  // Read by the replay worker when the stack loads it: pages of 3, so each shard takes several.
  process.env.MADAD_REPLAY_PAGE_SIZE = String(PAGE_SIZE);
  t = await startTestStack({ seed: false });
  instrumentRuntime(({ doc }) => {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName ?? '?', input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommandsForFinding9' },
    );
  });
}, 60_000);

afterAll(async () => {
  await t?.stop();
  delete process.env.MADAD_REPLAY_PAGE_SIZE;
});

const CAMPAIGN = daduReplayCampaign('Dadu floods replay rehearsal', '2026-10-01T00:00:00Z');
const refused = (campaignId: string, i: number) =>
  refusedUnderV1(campaignId, i, { name: 'replay', ref: 'RPL', phonePrefix: '+9230077' });

describe('rules replay with apply (finding 9)', () => {
  it('completes a replay over more decisions than one page through the queue, with no Scan call', async () => {
    // Arrange: a campaign, 64 decisions of record under v1 (written by the reconciler's adapter), v2 raises the threshold.
    const cell = { method: 'POST', user: 'cell-replay' };
    const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
      ...cell,
      body: JSON.stringify(CAMPAIGN),
    });
    const { campaignId } = (await created.json()) as { campaignId: string };
    const base = `/api/v1/campaigns/${campaignId}`;
    expect((await t.staff(`${base}/activate`, ['emergency-cell'], cell)).status).toBe(200);
    const { doc, config } = getRuntime();
    const records = new DynamoDbDecisionRecords(doc, config.tables.registry);
    for (let i = 0; i < DECISIONS; i++) await records.put(refused(campaignId, i));
    const patched = await t.staff(`${base}/rules`, ['emergency-cell'], {
      ...cell,
      method: 'PATCH',
      body: '{"pmtThreshold":40}',
    });
    expect(patched.status).toBe(200);
    sent.length = 0;

    // Act
    const started = await t.staff(`${base}/replay`, ['emergency-cell'], { ...cell, body: '{"apply":true}' });
    const { replayId, progress } = (await started.json()) as { replayId: string; progress: string };
    const done = await waitFor(
      async () => {
        const body = (await (await t.staff(progress, ['emergency-cell'])).json()) as Record<string, unknown>;
        return body.status === 'DONE' ? body : undefined;
      },
      90_000,
      'the queued replay to finish',
    );

    // Assert: answered at once, finished by the worker, every decision examined, the changed told.
    expect(started.status).toBe(202);
    expect(replayId).toBe('v2');
    expect(done).toMatchObject({
      shardsDone: STATS_SHARDS,
      examined: DECISIONS,
      unchanged: DECISIONS / 2,
      changes: { 'NOT_ELIGIBLE->ELIGIBLE': DECISIONS / 2 },
      notified: DECISIONS / 2,
    });
    const byIndex = sent.filter(
      (c) => c.command === 'QueryCommand' && c.input.IndexName === 'byCampaignDecision',
    );
    expect(byIndex.length).toBeGreaterThan(STATS_SHARDS);
    expect(byIndex.every((c) => c.input.Limit === PAGE_SIZE)).toBe(true);
    expect(sent.map((c) => c.command)).not.toContain('ScanCommand');
    const decisions = await Promise.all(
      Array.from({ length: DECISIONS }, async (_, i) => (await records.latest(`replay-h${i}`))?.decision),
    );
    expect(decisions.map((d) => `${d?.status} ${d?.ruleSetVersion}`)).toEqual(
      Array.from({ length: DECISIONS }, (_, i) =>
        i % 2 === 0 ? `ELIGIBLE ${campaignId}/v2` : `NOT_ELIGIBLE ${campaignId}/v1`,
      ),
    );
  });
});
