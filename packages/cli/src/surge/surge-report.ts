import type { SurgeReport } from './run-surge.js';
import { NO_DECISION, type Percentiles } from './surge-counts.js';

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name === NO_DECISION ? 'no decision (help)' : name} ${n(count)}`)
    .join(', ') || 'none';
const ms = (p: Percentiles) =>
  p.count === 0
    ? 'no replies'
    : `p50 ${n(p.p50)} ms, p90 ${n(p.p90)} ms, p99 ${n(p.p99)} ms, max ${n(p.max)} ms (${n(p.count)} replies)`;

/** The surge report as the lines `madad surge` prints. */
export function formatSurgeReport(r: SurgeReport): string {
  const c = r.counts;
  const o = r.options;
  const decided = Object.values(c.decisionsByStatus).reduce((s, v) => s + v, 0);
  const rejected = Object.values(c.rejectedByStatus).reduce((s, v) => s + v, 0);
  const rate = (name: string) => {
    const s = r.rates.summary[name];
    return s ? `${name} peak ${n(s.peak)}/s, mean ${n(s.mean)}/s` : `${name} -`;
  };
  const silenced = `${n(c.replies.silenced)} not answered by design (past the phone's hourly allowance, recorded RATE_LIMITED)`;
  const missingIds = c.registrations.missingIds.length
    ? `, e.g. ${c.registrations.missingIds.slice(0, 3).join(', ')}`
    : '';
  const lost = c.nothingLost
    ? `yes: ${n(c.accepted)} accepted = ${n(c.registrations.found)} registrations (one per message id) = ${n(c.replies.exactlyOne)} replies (exactly one each) + ${silenced}`
    : `NO: ${n(c.accepted)} accepted, ${n(c.registrations.found)} registrations (${n(c.registrations.missing)} missing${missingIds}), replies: ${n(c.replies.exactlyOne)} exactly one, ${n(c.replies.none)} none, ${n(c.replies.moreThanOne)} more than one; ${silenced}, ${n(c.replies.silencedButAnswered)} of them answered anyway; ${n(c.duplicates.householdsEnrolledTwice)} households enrolled twice`;
  return [
    `Surge rehearsal ${r.runId} against ${r.mode === 'local' ? 'the local stack' : r.baseUrl} (${r.baseUrl})`,
    `  ${n(c.planned)} SMS over ${n(o.households)} households, seed "${o.seed}", target ${o.rate > 0 ? `${n(o.rate)}/s` : 'as fast as possible'}, ${o.concurrency} connections`,
    `Campaign     ${r.campaign.campaignId} over ${r.campaign.districts} districts (${n(r.campaign.coveredHouseholds)} households)${o.keepOpen ? ', left open' : ', closed afterwards'}`,
    `Timing       sent in ${r.sendSeconds.toFixed(1)} s (${n(c.planned / r.sendSeconds)}/s); last decision ${r.lastDecisionSeconds.toFixed(1)} s and last reply ${r.lastReplySeconds.toFixed(1)} s after the first message; queues ${r.drained ? 'empty' : 'NOT empty'} after ${r.totalSeconds.toFixed(1)} s (retries wait out a visibility timeout)`,
    `Messages     ${n(c.accepted)} accepted, ${n(rejected)} rejected${rejected ? ` (${list(c.rejectedByStatus)})` : ''}; ${n(c.redeliveries.posted)} aggregator redeliveries (${n(c.redeliveries.accepted)} answered 200, absorbed by message id)`,
    `Mix          ${Object.entries(c.byKind)
      .map(([kind, k]) => `${kind} ${n(k.sent)}`)
      .join(', ')}`,
    `Decisions    ${list(c.decisionsByStatus)}  (sum ${n(decided)})`,
    `Duplicates   ${n(c.duplicates.repeats)} repeats of a CNIC absorbed: ${n(c.duplicates.answeredDuplicate)} answered DUPLICATE, the rest answered again with the same decision; ${n(c.duplicates.enrolled)} households enrolled by SMS, ${n(c.duplicates.householdsEnrolledTwice)} twice`,
    `Latency      webhook -> reply sent: ${ms(c.latencyMs)}`,
    `             accepted -> reply sent (server clock): ${ms(c.serverLatencyMs)}`,
    `Rates        ${rate('intake')}; ${rate('decided')}; ${rate('replied')} (buckets of ${r.rates.bucketSeconds} s)`,
    r.repliesCounted === 'delivered'
      ? `Replies      ${n(c.replies.sent)} delivered to the SMS gateway, ${n(c.replies.segments)} SMS segments`
      : `Replies      counted as queued (the staff API's listing), not delivered: the aggregator is out of sight`,
    `Nothing lost ${lost}; dead-letter queues: ${n(r.deadLetters)} messages`,
    ...capLines(r),
    ...paymentLines(r),
    `Files        ${r.files.json}, ${r.files.svg}`,
    `Verdict      ${r.ok ? 'every check holds' : 'A CHECK FAILED (see above)'}`,
  ].join('\n');
}

const mark = (ok: boolean) => (ok ? 'ok' : 'FAILED');

function capLines(r: SurgeReport): string[] {
  const c = r.caps;
  if (!c) return [];
  return [
    `Caps         ${mark(c.ok)}: max ${n(c.maxHouseholds)} households, budget PKR ${n(c.budgetCap)}; enrolled ${n(c.enrolled)} (PKR ${n(c.committed)} committed)${c.binding === 'budget' ? `; the budget binds (no room for a waitlisted household's amount); ${n(c.eligible)} eligible` : ` = expected ${n(c.expectedEnrolled)} = min(cap, ${n(c.eligible)} eligible)`}: ${n(c.enrolled)} enrolled + ${n(c.waitlisted)} waitlisted`,
    `             waitlisted only when no cap shard had room: ${c.waitlistJustified ? 'yes' : 'NO'}; ${n(c.decidedWaitlisted)} messages decided WAITLISTED (${n(c.waitlistedHouseholdsBySms)} households, ${n(c.decidedWaitlistedNotOnWaitlist)} of them not on the waitlist), ${n(c.toldWaitlist)} sent the waitlist reply`,
  ];
}

function paymentLines(r: SurgeReport): string[] {
  const p = r.payment;
  if (!p) return [];
  return [
    `Payment      ${mark(p.ok)}: ${n(p.batches)} batches, ${n(p.lines)} lines, ${n(p.held)} households held (no valid payee) in ${p.seconds.toFixed(1)} s; maker ${p.makers.join(', ')}, approver ${p.approvers.join(', ')}, results confirmed by ${p.confirmers.join(', ')}`,
    `             PKR: bank files ${n(p.bankFileTotal)} (${n(p.bankFileLines)} lines, checksums ${p.bankFilesVerified ? 'verified' : 'NOT verified'}) = batches ${n(p.batchTotal)} = budget paid ${n(p.budgetPaid)} (${n(p.budgetPaidHouseholds)} households, ${n(p.budgetDuplicates)} duplicates) = ledger ${n(p.ledgerPaid)} (paid amounts of the results confirmations; failed ${n(p.ledgerFailed)}, duplicates ${n(p.ledgerDuplicates)}; results entries ${n(p.ledgerResultsPaidLines)} lines staged PAID, ${n(p.ledgerConfirmedPaidLines)} confirmed)`,
    `Audit        GET /api/v1/audit/verify: ${p.auditVerify.ok ? `ok, ${n(p.auditVerify.count)} entries` : `BROKEN (${p.auditVerify.reason ?? 'no reason given'})`}`,
  ];
}
