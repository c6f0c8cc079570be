import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizePhone } from '@madad/core';
import { type Progress, startProgress } from '../progress.js';
import { type FireProgress, fire } from './fire.js';
import { type RateSeries, rateSeries, summarizeRates } from './rates.js';
import { ratesSvg } from './rates-svg.js';
import { planSurge } from './sms-mix.js';
import { type CapCounts, countCaps, type SurgeCaps } from './surge-caps.js';
import { countSurge, type SurgeCounts } from './surge-counts.js';
import { type PayingStaff, type PaymentCounts, payCampaign } from './surge-pay.js';
import { chooseDistricts, preparePopulation, rehearsalCampaign, waitForQueues } from './surge-setup.js';
import type { SurgeTarget } from './surge-target.js';
import { createWebhookClient } from './webhook-client.js';

export interface SurgeOptions {
  readonly households: number;
  readonly messages: number;
  /** Target messages per second (0: as fast as the connections allow). */
  readonly rate: number;
  /** Connections to the webhook. */
  readonly concurrency: number;
  readonly seed: string;
  /** Where the population files, `report.json` and `rates.svg` go. */
  readonly outDir: string;
  readonly repeatFactor?: number;
  /** Leave the rehearsal campaign active afterwards (default: close it). */
  readonly keepOpen?: boolean;
  /** Wait after activation for the reconcilers' campaign cache (15 s) to see the new campaign. Default 16. */
  readonly campaignCacheSeconds?: number;
  readonly drainTimeoutSeconds?: number;
  /** Declare the campaign with these caps, and prove afterwards that they held (local stack only). */
  readonly caps?: SurgeCaps;
  /** After the drain, pay the campaign with these staff and prove the totals agree. */
  readonly pay?: PayingStaff;
  /** Lines per payment batch (default 1000): the maker makes batches of this size until none is left. */
  readonly payBatchLines?: number;
  /** Progress bars on stderr. */
  readonly progress?: boolean;
  readonly log?: (line: string) => void;
}

export interface SurgeReport {
  readonly runId: string;
  readonly baseUrl: string;
  readonly mode: 'local' | 'url';
  /** Replies delivered to the SMS aggregator (local: its gateway), or only queued (a deployed stack). */
  readonly repliesCounted: 'delivered' | 'queued';
  readonly startedAt: string;
  readonly options: Omit<SurgeOptions, 'log' | 'progress'>;
  readonly campaign: {
    readonly campaignId: string;
    readonly districts: number;
    readonly coveredHouseholds: number;
  };
  readonly sendSeconds: number;
  /** From the first message sent until every queue was empty (retries after a visibility timeout included). */
  readonly totalSeconds: number;
  /** From the first message sent to the last decision, and to the last reply handed to the provider. */
  readonly lastDecisionSeconds: number;
  readonly lastReplySeconds: number;
  readonly drained: boolean;
  readonly deadLetters: number;
  readonly counts: SurgeCounts;
  /** With `caps`: what the capped campaign ended with. */
  readonly caps?: CapCounts;
  /** With `pay`: the payment leg, and the ledger's verification afterwards. */
  readonly payment?: PaymentCounts & {
    readonly auditVerify: { ok: boolean; count: number; reason?: string };
  };
  /** Nothing lost, queues drained, and every check of `caps` and `payment` holds. */
  readonly ok: boolean;
  readonly rates: RateSeries & { readonly summary: Record<string, { peak: number; mean: number }> };
  readonly files: { readonly json: string; readonly svg: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A surge rehearsal: population, campaign, a realistic SMS mix through the signed webhook at a target
 * rate, the wait until every queue is empty, then the proof by counting (see `countSurge`).
 */
export async function runSurge(target: SurgeTarget, options: SurgeOptions): Promise<SurgeReport> {
  const log = options.log ?? (() => undefined);
  const runId = `S${Date.now().toString(36).toUpperCase()}`;
  const startedAt = new Date().toISOString();
  // Its population folder holds generated CNICs, names and phones: owner-only when created here.
  await mkdir(options.outDir, { recursive: true, mode: 0o700 });
  const population = await preparePopulation({
    households: options.households,
    seed: options.seed,
    dir: join(options.outDir, `population-${options.seed}-${options.households}`),
    ...(target.local ? { local: target.local } : {}),
    log,
    ...(options.progress ? { progress: true } : {}),
  });
  const districts = chooseDistricts(population);
  const inArea = new Set(districts);
  const coveredHouseholds = population.filter((g) => inArea.has(g.household.district)).length;
  const { campaignId } = await target.staff.createCampaign({
    ...rehearsalCampaign(`Surge rehearsal ${runId}`, districts),
    ...options.caps,
  });
  await target.staff.activate(campaignId);
  const activated = Date.now();
  log(
    `Campaign ${campaignId} over ${districts.length} districts (${coveredHouseholds} of ${population.length} households) activated`,
  );
  await waitForQueues(target, campaignId, ['activation'], 120_000);
  const cacheWait = (options.campaignCacheSeconds ?? 16) * 1000 - (Date.now() - activated);
  if (cacheWait > 0) {
    log(
      `Waiting ${Math.ceil(cacheWait / 1000)} s for the reconcilers' campaign cache (15 s) to see the campaign`,
    );
    await sleep(cacheWait);
  }

  const planned = planSurge(population, {
    messages: options.messages,
    seed: options.seed,
    runId,
    inArea: (district) => inArea.has(district),
    ...(options.repeatFactor ? { repeatFactor: options.repeatFactor } : {}),
  });
  // About 1% of messages are delivered twice by the aggregator (a lost acknowledgement).
  const redeliver = new Set(planned.filter((_, i) => i % 100 === 50).map((sms) => sms.messageId));
  const client = createWebhookClient({
    baseUrl: target.baseUrl,
    secret: target.webhookSecret,
    connections: options.concurrency,
  });
  let depths: Record<string, { visible: number; inFlight: number; deadLetters: number }> = {};
  const backlog = (name: string) => (depths[name]?.visible ?? 0) + (depths[name]?.inFlight ?? 0);
  const counters: FireProgress = { sent: 0, accepted: 0, rejected: 0 };
  const detail = () =>
    `accepted ${counters.accepted}  decided ~${Math.max(0, counters.accepted - backlog('registrations'))}  ` +
    `answered ~${Math.max(0, counters.accepted - backlog('registrations') - backlog('outbound'))}`;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      depths = await target.queueDepths(campaignId).catch(() => depths);
      await sleep(1000);
    }
  })();
  let bar: Progress | undefined = options.progress
    ? startProgress({ label: 'send', totalBytes: planned.length, unit: 'SMS', detail })
    : undefined;
  const ticker = setInterval(() => bar?.update(counters.sent, counters.sent), 200);
  const fired = await fire(
    client,
    planned.map(({ from, text, messageId }) => ({ from, to: '8171', text, messageId })),
    { rate: options.rate, concurrency: options.concurrency, redeliver },
    counters,
  ).finally(() => {
    clearInterval(ticker);
    client.close();
  });
  bar?.update(counters.sent, counters.sent);
  bar?.finish();
  watching = false;
  await watcher;
  log(
    `Sent ${planned.length} messages in ${fired.seconds.toFixed(1)} s (${(planned.length / fired.seconds).toFixed(0)}/s)`,
  );

  bar = options.progress
    ? startProgress({ label: 'drain', totalBytes: Math.max(1, counters.accepted), unit: 'answered', detail })
    : undefined;
  const drained = await waitForQueues(
    target,
    campaignId,
    ['registrations', 'outbound'],
    (options.drainTimeoutSeconds ?? 600) * 1000,
    (now) => {
      depths = now;
      const answered = Math.max(0, counters.accepted - backlog('registrations') - backlog('outbound'));
      bar?.update(answered, answered);
    },
  );
  bar?.finish();
  const drainedAt = Date.now();
  const deadLetters = (depths.registrations?.deadLetters ?? 0) + (depths.outbound?.deadLetters ?? 0);

  // A registration is keyed by its phone as the reconciler normalizes it (the raw sender if invalid).
  const phoneOf = new Map(
    planned.map((sms) => {
      const phone = normalizePhone(sms.from);
      return [sms.messageId, phone.ok ? phone.phone : sms.from];
    }),
  );
  const accepted = fired.outcomes
    .filter((o) => o.acceptedAt !== undefined)
    .map((o) => ({ messageId: o.messageId, from: phoneOf.get(o.messageId) ?? '' }));
  const registrations = await target.registrations(accepted);
  const phones = [
    ...new Set([
      ...planned.map((sms) => normalizePhone(sms.from)).flatMap((p) => (p.ok ? [p.phone] : [])),
      // A helper's message is answered on the household's own phone too (the outcome goes only there).
      ...[...registrations.values()].flatMap((r) => (r.notice ? [r.notice.to] : [])),
    ]),
  ];
  // The aggregator knows a reply by its id only; the registrations name the message each one answers
  // (a flood notice's id is not derived from it).
  const answers = new Map(
    [...registrations.values()].flatMap((r) => (r.reply ? [[r.reply.id, r.messageId] as const] : [])),
  );
  const noticeIds = new Set([...registrations.values()].flatMap((r) => (r.notice ? [r.notice.id] : [])));
  const replies = (await target.replies(phones))
    .map((r) => {
      const inReplyTo = r.inReplyTo ?? answers.get(r.id);
      return inReplyTo ? { ...r, inReplyTo } : r;
    })
    // A household's notice (a helper's message's outcome, on the household's own phone) is named from
    // the person and the hour, not the message: it is this run's when a registration of the run names it.
    .filter((r) => (r.inReplyTo ?? r.id).includes(runId) || noticeIds.has(r.id));
  const counts = countSurge(planned, fired, registrations, replies);
  const caps = await checkCaps(target, campaignId, options.caps, registrations, replies);
  const paid = options.pay
    ? await payCampaign(options.pay, campaignId, {
        log,
        ...(options.payBatchLines ? { maxLines: options.payBatchLines } : {}),
      })
    : undefined;
  if (!options.keepOpen) await target.staff.close(campaignId);
  // Verified last, so that the campaign's close is covered too.
  const payment =
    options.pay && paid ? { ...paid, auditVerify: await options.pay.auditor.auditVerify() } : undefined;

  const start = fired.outcomes.reduce((first, o) => Math.min(first, o.sentAt), Number.POSITIVE_INFINITY);
  const decidedAt = [...registrations.values()].flatMap((r) =>
    r.decision ? [Date.parse(r.decision.decidedAt)] : [],
  );
  const repliedAt = replies.flatMap((r) => (r.sentAt ? [Date.parse(r.sentAt)] : []));
  const series = rateSeries(start, {
    intake: fired.outcomes.flatMap((o) => (o.acceptedAt === undefined ? [] : [o.acceptedAt])),
    decided: decidedAt,
    replied: repliedAt,
  });
  const secondsToLast = (times: number[]) =>
    (times.reduce((last, t) => Math.max(last, t), start) - start) / 1000;
  const files = { json: join(options.outDir, 'report.json'), svg: join(options.outDir, 'rates.svg') };
  const { log: _log, progress: _progress, pay: _pay, ...kept } = options;
  // Every enrolled household was either paid or held for want of a valid payee.
  const everyEnrolledPaid = !caps || !payment || payment.lines + payment.held === caps.enrolled;
  const report: SurgeReport = {
    runId,
    baseUrl: target.baseUrl,
    mode: target.local ? 'local' : 'url',
    repliesCounted: target.repliesCounted,
    startedAt,
    options: kept,
    campaign: { campaignId, districts: districts.length, coveredHouseholds },
    sendSeconds: fired.seconds,
    totalSeconds: (drainedAt - start) / 1000,
    lastDecisionSeconds: secondsToLast(decidedAt),
    lastReplySeconds: secondsToLast(repliedAt),
    drained,
    deadLetters,
    counts,
    ...(caps ? { caps } : {}),
    ...(payment ? { payment } : {}),
    ok:
      counts.nothingLost &&
      drained &&
      (caps?.ok ?? true) &&
      (payment ? payment.ok && payment.auditVerify.ok : true) &&
      everyEnrolledPaid,
    rates: { ...series, summary: summarizeRates(series) },
    files,
  };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(
    files.svg,
    ratesSvg(`Surge ${runId}: ${planned.length} SMS, ${population.length} households (per second)`, series),
  );
  return report;
}

async function checkCaps(
  target: SurgeTarget,
  campaignId: string,
  caps: SurgeCaps | undefined,
  registrations: Parameters<typeof countCaps>[2],
  replies: Parameters<typeof countCaps>[3],
): Promise<CapCounts | undefined> {
  if (!caps) return undefined;
  if (!target.capState) throw new Error('A capped surge is counted through the local stack only');
  const defaults = rehearsalCampaign('', []);
  return countCaps(
    {
      maxHouseholds: caps.maxHouseholds ?? defaults.maxHouseholds,
      budgetCap: caps.budgetCap ?? defaults.budgetCap,
    },
    await target.capState(campaignId),
    registrations,
    replies,
  );
}
