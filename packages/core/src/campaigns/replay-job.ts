import * as z from 'zod';
import type { AuditLog } from '../audit/ports.js';
import { NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import type { Campaign } from './campaign.js';
import {
  addTallies,
  EMPTY_TALLY,
  type ReplayApplyDeps,
  type ReplayDecisionsPort,
  type ReplayTally,
  replayRecords,
} from './replay-records.js';
import { STATS_SHARDS } from './stats-shards.js';

/** One queue work item of a replay with apply: the next page of one shard of the campaign's decisions. */
export const ReplayWorkSchema = z
  .object({
    campaignId: z.string().min(1).max(60),
    ruleSetVersion: z.string().min(1).max(80),
    shard: z.number().int().min(0).max(255),
    page: z.number().int().min(0),
  })
  .strict();
export type ReplayWork = z.infer<typeof ReplayWorkSchema>;

/** Where one shard of a replay stands: the next page to read and what the pages so far found. */
export interface ReplayShard {
  readonly shard: number;
  /** Pages recorded so far; the work item for `page` reads from `cursor`. */
  readonly page: number;
  readonly cursor?: Record<string, unknown>;
  readonly done: boolean;
  /** The work item for `page` is known to be on the queue (set after the enqueue). */
  readonly nextQueued: boolean;
  /** The campaign's rules changed again before this shard finished: that version's replay takes over. */
  readonly superseded?: boolean;
  readonly tally: ReplayTally;
}

/** A replay with apply of one campaign under one rule-set version (its id is that version). */
export interface ReplayJob {
  readonly campaignId: string;
  readonly ruleSetVersion: string;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly shards: readonly ReplayShard[];
}

export interface ReplayJobStore {
  /** Creates the job and its `shards` shards, keeping whatever of them already exists. */
  create(job: Omit<ReplayJob, 'shards'>, shards: number): Promise<void>;
  read(campaignId: string, ruleSetVersion: string): Promise<ReplayJob | undefined>;
  /** Records a shard's next state only if it is still at page `fromPage`; false when another run did. */
  recordPage(
    campaignId: string,
    ruleSetVersion: string,
    next: ReplayShard,
    fromPage: number,
  ): Promise<boolean>;
  markNextQueued(campaignId: string, ruleSetVersion: string, shard: number, page: number): Promise<void>;
}

export interface ReplayWorkQueue {
  enqueueAll(items: readonly ReplayWork[]): Promise<void>;
}

export interface ReplayProgress extends ReplayTally {
  readonly campaignId: string;
  readonly replayId: string;
  readonly ruleSetVersion: string;
  readonly status: 'RUNNING' | 'DONE' | 'SUPERSEDED';
  readonly shards: number;
  readonly shardsDone: number;
  readonly startedAt: string;
  readonly startedBy: string;
}

/** A replay's id in URLs: the rule-set version's own number (`C-1/v3` -> `v3`). */
export function replayIdOf(ruleSetVersion: string): string {
  return ruleSetVersion.slice(ruleSetVersion.lastIndexOf('/') + 1);
}

export function replayProgressOf(job: ReplayJob): ReplayProgress {
  const tally = job.shards.reduce((sum, shard) => addTallies(sum, shard.tally), EMPTY_TALLY);
  const shardsDone = job.shards.filter((shard) => shard.done).length;
  const superseded = job.shards.some((shard) => shard.superseded);
  return {
    campaignId: job.campaignId,
    replayId: replayIdOf(job.ruleSetVersion),
    ruleSetVersion: job.ruleSetVersion,
    status: superseded ? 'SUPERSEDED' : shardsDone === job.shards.length ? 'DONE' : 'RUNNING',
    shards: job.shards.length,
    shardsDone,
    startedAt: job.startedAt,
    startedBy: job.startedBy,
    ...tally,
  };
}

export interface StartReplayDeps {
  readonly campaigns: { get(id: string): Promise<Campaign | undefined> };
  readonly jobs: ReplayJobStore;
  readonly work: ReplayWorkQueue;
  /** A replay with apply is a staff action: appended once per campaign rule-set version. */
  readonly audit: Pick<AuditLog, 'append'>;
  readonly now: () => Date;
}

/**
 * Starts (or resumes) the replay with apply of a campaign's decisions under its current rule-set
 * version: records the staff action, creates the job and queues the next page of every unfinished
 * shard. Starting it again queues the pages a crash may have left unqueued; a page queued twice is
 * read once (the shard records each page only from the page before).
 */
export async function startReplay(
  deps: StartReplayDeps,
  campaignId: string,
  actor: readonly [user: string, role: string],
): Promise<ReplayProgress> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
  const version = campaign.ruleSetVersion;
  await deps.audit.append({
    actor: actor[0],
    role: actor[1],
    action: 'campaign.replay-apply',
    subject: `campaign/${campaignId}`,
    before: { decisionsUnder: 'earlier rule-set versions' },
    after: { ruleSetVersion: version, rules: campaign.rules },
    actionId: `campaign.replay-apply/${version}`,
  });
  crashPoint('replay.after-audit');
  const startedAt = deps.now().toISOString();
  await deps.jobs.create(
    { campaignId, ruleSetVersion: version, startedAt, startedBy: actor[0] },
    STATS_SHARDS,
  );
  const job = await deps.jobs.read(campaignId, version);
  if (!job) throw new Error(`Replay ${version} was not recorded`);
  const open = job.shards.filter((shard) => !shard.done);
  await deps.work.enqueueAll(
    open.map((shard) => ({ campaignId, ruleSetVersion: version, shard: shard.shard, page: shard.page })),
  );
  return replayProgressOf(job);
}

export interface ReplayWorkDeps extends ReplayApplyDeps {
  readonly campaigns: { get(id: string): Promise<Campaign | undefined> };
  readonly decisions: ReplayDecisionsPort;
  readonly jobs: ReplayJobStore;
  readonly work: ReplayWorkQueue;
  readonly pageSize: number;
}

export type ReplayPageOutcome = 'replayed' | 'requeued' | 'stale' | 'superseded';

/**
 * One work item: replays one page of one shard with apply, records the shard's progress (only from
 * the page before, so a redelivered or duplicated item counts once) and queues the next page. A
 * redelivery after the record finds the shard one page on and queues the next page if nothing did.
 */
export async function replayWorkPage(deps: ReplayWorkDeps, work: ReplayWork): Promise<ReplayPageOutcome> {
  const { campaignId, ruleSetVersion } = work;
  const [campaign, job] = await Promise.all([
    deps.campaigns.get(campaignId),
    deps.jobs.read(campaignId, ruleSetVersion),
  ]);
  const shard = job?.shards.find((s) => s.shard === work.shard);
  if (!campaign || !shard || shard.done) return 'stale';
  if (shard.page === work.page + 1 && !shard.nextQueued) {
    await queueNext(deps, work, shard.page);
    return 'requeued';
  }
  if (shard.page !== work.page) return 'stale';
  if (campaign.ruleSetVersion !== ruleSetVersion) {
    await deps.jobs.recordPage(
      campaignId,
      ruleSetVersion,
      { ...shard, done: true, superseded: true },
      work.page,
    );
    return 'superseded';
  }
  const page = await deps.decisions.decisionsPage(campaignId, work.shard, shard.cursor, deps.pageSize);
  const tally = await replayRecords(campaign, page.items, deps);
  crashPoint('replay.after-page');
  const { cursor: _previous, ...rest } = shard;
  const next: ReplayShard = {
    ...rest,
    page: work.page + 1,
    ...(page.cursor ? { cursor: page.cursor } : {}),
    done: !page.cursor,
    nextQueued: false,
    tally: addTallies(shard.tally, tally),
  };
  if (!(await deps.jobs.recordPage(campaignId, ruleSetVersion, next, work.page))) return 'stale';
  crashPoint('replay.after-record');
  if (!next.done) await queueNext(deps, work, next.page);
  return 'replayed';
}

async function queueNext(deps: ReplayWorkDeps, work: ReplayWork, page: number): Promise<void> {
  await deps.work.enqueueAll([{ ...work, page }]);
  await deps.jobs.markNextQueued(work.campaignId, work.ruleSetVersion, work.shard, page);
}
