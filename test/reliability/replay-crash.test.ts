import { DynamoDbDecisionRecords } from '@madad/adapters';
import { describe, expect, it } from 'vitest';
import type { ChildStack } from '../support/child-stack.js';
import { callAsStaff, crashableStack } from '../support/crash-stack.js';
import { waitFor } from '../support/local-stack.js';
import { daduReplayCampaign, refusedUnderV1 } from '../support/replay-fixtures.js';

const DECISIONS = 32;
const ENV = { MADAD_VISIBILITY_TIMEOUT_SECONDS: '2', MADAD_REPLAY_PAGE_SIZE: '3' };
const CELL = { user: 'cell-replay', roles: ['emergency-cell' as const] };
const crash = crashableStack('madad-replay-crash-');

const CAMPAIGN = daduReplayCampaign('Dadu floods replay crash', '2036-10-01T00:00:00Z');
const refused = (campaignId: string, i: number) =>
  refusedUnderV1(campaignId, i, { name: 'crash', ref: 'RCR', phonePrefix: '+9230066' });

const post = (s: ChildStack, path: string, body: unknown, method = 'POST') =>
  callAsStaff(s, path, CELL, { method, body: JSON.stringify(body) });

describe('rules replay with apply across a SIGKILL of the embedded stack (finding 9)', () => {
  it('finishes after a kill between recording a page and queueing the next, every change applied and counted once', async () => {
    // Arrange: the stack dies the first time a replay page is recorded.
    let stack = await crash.start({ ...ENV, MADAD_CRASH_AT: 'replay.after-record' });
    const created = await post(stack, '/api/v1/campaigns', CAMPAIGN);
    const { campaignId } = (await created.json()) as { campaignId: string };
    const base = `/api/v1/campaigns/${campaignId}`;
    expect((await post(stack, `${base}/activate`, {})).status).toBe(200);
    const records = new DynamoDbDecisionRecords(crash.doc(), stack.env.MADAD_TABLE_REGISTRY ?? '');
    for (let i = 0; i < DECISIONS; i++) await records.put(refused(campaignId, i));
    expect((await post(stack, `${base}/rules`, { pmtThreshold: 40 }, 'PATCH')).status).toBe(200);
    const exited = crash.exited();

    // Act: the replay is queued; the worker is killed; the stack restarts and SQS delivers the page again.
    const started = await post(stack, `${base}/replay`, { apply: true }).catch(() => undefined);
    await exited;
    stack = await crash.start(ENV);
    const restarted = stack;
    const done = await waitFor(
      async () => {
        const r = await callAsStaff(restarted, `${base}/replays/v2`, CELL);
        const body = (await r.json()) as Record<string, unknown>;
        return body.status === 'DONE' ? body : undefined;
      },
      90_000,
      'the replay to finish after the restart',
    );

    // Assert: the same outcome as an uncrashed replay.
    if (started) expect(started.status).toBe(202);
    expect(done).toMatchObject({
      examined: DECISIONS,
      unchanged: DECISIONS / 2,
      changes: { 'NOT_ELIGIBLE->ELIGIBLE': DECISIONS / 2 },
      notified: DECISIONS / 2,
    });
    const after = new DynamoDbDecisionRecords(crash.doc(), stack.env.MADAD_TABLE_REGISTRY ?? '');
    const decisions = await Promise.all(
      Array.from({ length: DECISIONS }, async (_, i) => (await after.latest(`crash-h${i}`))?.decision),
    );
    expect(
      decisions.filter((d) => d?.status === 'ELIGIBLE' && d.ruleSetVersion === `${campaignId}/v2`),
    ).toHaveLength(DECISIONS / 2);
  }, 240_000);
});
