import type { Decision } from '../eligibility/decision.js';
import type { OutboundSms } from '../schemas.js';
import { campaignCountedUnder } from '../stats/figures.js';
import { type ParsedRegistration, receivedAtOf } from './parse-registration.js';
import type { BatchContext, ReconcileDeps } from './reconcile-deps.js';
import { atRest, inFlight } from './reply-at-rest.js';

/**
 * Records the registration (conditionally, keyed by message id), then counts it and adds its reply to
 * the batch's. A redelivered message finds its record and queues the very same reply again, which the
 * aggregator recognises by its id; returns whether the record is new.
 */
export async function recordAndReply(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
  decision: Decision | undefined,
  reply: OutboundSms | undefined,
  forReview: boolean,
  notice?: OutboundSms,
  tied = true,
): Promise<boolean> {
  const { message, command, cnicHash } = item;
  // The CNIC the texts quote rests masked in the record and is put back when they are queued again.
  const cnic = 'cnic' in command ? command.cnic : undefined;
  const result = await deps.registrations.record({
    messageId: message.messageId,
    channel: message.channel,
    from: item.phone,
    receivedAt: receivedAtOf(message),
    acceptedAt: message.acceptedAt,
    command: command.kind,
    ...(cnicHash ? { cnicHash } : {}),
    lang: command.lang,
    reference,
    ...(decision ? { decision } : {}),
    ...(reply ? { reply: atRest(reply, cnic) } : {}),
    ...(notice ? { notice: atRest(notice, cnic) } : {}),
    ...(tied ? { tied } : {}),
    ...(forReview ? { forReview } : {}),
  });
  if (!result.fresh) {
    if (result.existing.reply) ctx.replies.push(inFlight(result.existing.reply, cnic));
    if (result.existing.notice) ctx.replies.push(inFlight(result.existing.notice, cnic));
    return false;
  }
  const area = message.channel === 'web' ? message : {};
  ctx.stats.count(
    decision,
    message.channel,
    decision && campaignCountedUnder(decision, area, ctx.campaigns, deps.clock.now()),
  );
  if (reply) ctx.replies.push(reply);
  if (notice) ctx.replies.push(notice);
  return true;
}

/**
 * Indexes the references the batch told households (`BatchWriteItem`, 25 a request), then queues
 * its replies together (`SendMessageBatch`, ten a request). Called when the batch ends: if either
 * fails, the batch fails and comes back, and the stored replies are queued again; the references go
 * first, so no household is sent a reference the status page cannot find.
 */
export async function flushReplies(
  deps: Pick<ReconcileDeps, 'replies' | 'references'>,
  ctx: BatchContext,
): Promise<void> {
  const told = ctx.references.splice(0);
  if (told.length > 0) await deps.references.put(told);
  const replies = ctx.replies.splice(0);
  if (replies.length > 0) await deps.replies.enqueue(replies);
}
