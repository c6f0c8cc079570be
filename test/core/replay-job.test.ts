import {
  type Campaign,
  crashOnceAt,
  type DecisionOfRecord,
  InjectedCrashError,
  type OutboundSms,
  replayProgressOf,
  replayWorkPage,
  STATS_SHARDS,
  setCrashHook,
  startReplay,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';
import { memoryEnrollmentStore } from '../support/cap-fakes.js';
import { memoryReplayDecisions, memoryReplayJobs, memoryReplayQueue } from '../support/replay-fakes.js';

const campaign = {
  campaignId: 'C-1',
  ruleSetVersion: 'C-1/v2',
  rules: {
    pmtThreshold: 40,
    exclusionFilters: [],
    amounts: { topUp: 6000, newBeneficiary: 12000 },
    regularProgramme: 'KAFAALAT',
  },
  budgetCap: 1e9,
  maxHouseholds: 10_000,
} as unknown as Campaign;

/** Households 1..n refused under v1; the odd ones score 35 (eligible under v2), the even ones 45. */
function refusedUnderV1(n: number): DecisionOfRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    campaignId: 'C-1',
    cnicHash: `h${i + 1}`,
    messageId: `m${i + 1}`,
    reference: `R${String(i + 1).padStart(7, '0')}`,
    from: `+9230012${String(i + 1).padStart(5, '0')}`,
    channel: 'sms' as const,
    lang: 'en' as const,
    decision: {
      status: 'NOT_ELIGIBLE' as const,
      reasons: ['SCORE_ABOVE_THRESHOLD'],
      ruleSetVersion: 'C-1/v1',
      campaignId: 'C-1',
      householdId: `HH-${i + 1}`,
      inputs: {
        pmtScore: i % 2 === 0 ? 35 : 45,
        district: 'Dadu',
        tehsil: 'Dadu',
        inRegularProgramme: false,
      },
      decidedAt: '2026-08-01T10:00:00Z',
    },
  }));
}

function replayWorld(records: DecisionOfRecord[], pageSize = 2) {
  const decisions = memoryReplayDecisions(records);
  const jobs = memoryReplayJobs();
  const queue = memoryReplayQueue();
  const notices: OutboundSms[] = [];
  const ledger = memoryAuditLog();
  let current = campaign;
  const campaigns = { get: async () => current };
  const now = () => new Date('2026-08-03T09:00:00Z');
  const enrollments = memoryEnrollmentStore();
  const workDeps = {
    campaigns,
    decisions,
    jobs,
    work: queue,
    enrollments,
    replies: { enqueue: async (r: readonly OutboundSms[]) => void notices.push(...r) },
    now,
    pageSize,
  };
  return {
    decisions,
    jobs,
    queue,
    notices,
    ledger,
    workDeps,
    changeRules: (next: Campaign) => {
      current = next;
    },
    start: () =>
      startReplay({ campaigns, jobs, work: queue, audit: ledger.log, now }, 'C-1', [
        'cell-1',
        'emergency-cell',
      ]),
    progress: async () => {
      const job = await jobs.read('C-1', 'C-1/v2');
      if (!job) throw new Error('no job');
      return replayProgressOf(job);
    },
  };
}

afterEach(() => setCrashHook(undefined));

describe('startReplay and replayWorkPage (finding 9)', () => {
  it('queues one work item per shard, then works every page of every shard off the queue', async () => {
    // Arrange: 80 decisions over 16 shards, 5 a shard, read 2 a page: 3 pages a shard.
    const t = replayWorld(refusedUnderV1(80));

    // Act
    const started = await t.start();
    const firstItems = t.queue.items.length;
    await t.queue.drain(t.workDeps);

    // Assert
    expect(started).toMatchObject({ replayId: 'v2', status: 'RUNNING', shards: STATS_SHARDS, shardsDone: 0 });
    expect(firstItems).toBe(STATS_SHARDS);
    expect(t.queue.delivered).toHaveLength(STATS_SHARDS * 3);
    expect(await t.progress()).toMatchObject({
      status: 'DONE',
      shardsDone: STATS_SHARDS,
      examined: 80,
      unchanged: 40,
      changes: { 'NOT_ELIGIBLE->ELIGIBLE': 40 },
      notified: 40,
    });
    expect(t.decisions.records.filter((r) => r.decision.status === 'ELIGIBLE')).toHaveLength(40);
    expect(new Set(t.notices.map((n) => n.id)).size).toBe(40);
  });

  it('counts a page delivered twice once, and applies it once', async () => {
    // Arrange
    const t = replayWorld(refusedUnderV1(32));
    await t.start();
    const duplicates = t.queue.items.map((item) => ({ ...item }));

    // Act: every first-page item delivered twice (SQS is at-least-once), before and after its first run.
    await t.queue.enqueueAll(duplicates);
    await t.queue.drain(t.workDeps);
    for (const item of duplicates) await replayWorkPage(t.workDeps, item);

    // Assert
    expect(await t.progress()).toMatchObject({
      status: 'DONE',
      examined: 32,
      changes: { 'NOT_ELIGIBLE->ELIGIBLE': 16 },
      notified: 16,
    });
    expect(t.notices).toHaveLength(16);
  });

  it('resumes a shard killed between recording a page and queueing the next, without queueing it twice', async () => {
    // Arrange
    const t = replayWorld(refusedUnderV1(48));
    await t.start();
    setCrashHook(crashOnceAt('replay.after-record'));

    // Act: the crash leaves the page's item unacknowledged; SQS delivers it again.
    await expect(t.queue.drain(t.workDeps)).rejects.toThrow(InjectedCrashError);
    setCrashHook(undefined);
    await t.queue.drain(t.workDeps);

    // Assert: the same outcome as an uncrashed run, and no page read twice.
    const uncrashed = replayWorld(refusedUnderV1(48));
    await uncrashed.start();
    await uncrashed.queue.drain(uncrashed.workDeps);
    const { startedAt: _a, ...crashedProgress } = await t.progress();
    const { startedAt: _b, ...cleanProgress } = await uncrashed.progress();
    expect(crashedProgress).toEqual(cleanProgress);
    expect(t.decisions.records).toEqual(uncrashed.decisions.records);
    expect(t.decisions.pagesRead).toEqual(uncrashed.decisions.pagesRead);
  });

  it('converges after a kill between applying a page and recording it (decisions and notices)', async () => {
    // Arrange
    const t = replayWorld(refusedUnderV1(48));
    await t.start();
    setCrashHook(crashOnceAt('replay.after-page'));

    // Act
    await expect(t.queue.drain(t.workDeps)).rejects.toThrow(InjectedCrashError);
    setCrashHook(undefined);
    await t.queue.drain(t.workDeps);

    // Assert: every decision replaced once, every changed household told once; the shard is done.
    const progress = await t.progress();
    expect(progress).toMatchObject({ status: 'DONE', examined: 48 });
    expect(t.decisions.records.filter((r) => r.decision.status === 'ELIGIBLE')).toHaveLength(24);
    const eligible = t.decisions.records.filter((r) => r.decision.status === 'ELIGIBLE');
    expect(eligible.every((r) => r.decision.ruleSetVersion === 'C-1/v2')).toBe(true);
    expect(t.notices).toHaveLength(24);
    expect(new Set(t.notices.map((n) => n.id)).size).toBe(24);
  });

  it('starting again queues only the unfinished shards and keeps one ledger entry', async () => {
    // Arrange: a replay whose shards are all done.
    const t = replayWorld(refusedUnderV1(16));
    await t.start();
    await t.queue.drain(t.workDeps);

    // Act
    const again = await t.start();

    // Assert
    expect(again.status).toBe('DONE');
    expect(t.queue.items).toEqual([]);
    expect(t.ledger.entries.map((e) => e.actionId)).toEqual(['campaign.replay-apply/C-1/v2']);
  });

  it('stops, marked superseded, when the rules change again before it ends', async () => {
    // Arrange
    const t = replayWorld(refusedUnderV1(16));
    await t.start();

    // Act
    t.changeRules({ ...campaign, ruleSetVersion: 'C-1/v3' } as Campaign);
    await t.queue.drain(t.workDeps);

    // Assert: nothing was replaced under v2 once v3 is the campaign's version.
    expect((await t.progress()).status).toBe('SUPERSEDED');
    expect(t.decisions.records.every((r) => r.decision.ruleSetVersion === 'C-1/v1')).toBe(true);
  });
});
