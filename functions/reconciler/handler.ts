import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  backOffFailedRecords,
  DynamoDbAppealStore,
  DynamoDbCampaignStore,
  DynamoDbCnicPhones,
  DynamoDbDecisionRecords,
  DynamoDbEnrollmentStore,
  DynamoDbReferenceIndex,
  DynamoDbRegistrationStore,
  DynamoDbRegistryLookup,
  DynamoDbStats,
  getRuntime,
  loadSecrets,
  queues,
  retryBaseSeconds,
  SqsJsonQueue,
  SqsReplyQueue,
  visibilityTimeoutSeconds,
} from '@madad/adapters';
import {
  flushReplies,
  type ParsedRegistration,
  parseRegistration,
  prepareBatch,
  RegistrationMessageSchema,
  reconcileOne,
  systemClock,
} from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { publishDecisionCounts } from './decision-metrics.js';

const logger = new Logger();
const { config, doc, sqs } = getRuntime();
const { operations, registry } = config.tables;
const stats = new DynamoDbStats(doc, operations);
const retryBase = retryBaseSeconds(visibilityTimeoutSeconds(queues.registrations));
const registrations = new DynamoDbRegistrationStore(doc, operations);
const registryLookup = new DynamoDbRegistryLookup(doc, registry);
const ports = {
  appeals: new DynamoDbAppealStore(doc, operations),
  registry: registryLookup,
  // Members' SIMs, read only for a phone the applicant's own partition does not tie to the household.
  members: registryLookup,
  registrations,
  phones: registrations,
  cnicPhones: new DynamoDbCnicPhones(doc, operations),
  references: new DynamoDbReferenceIndex(doc, operations),
  decisions: new DynamoDbDecisionRecords(doc, registry),
  enrollments: new DynamoDbEnrollmentStore(doc, operations),
  campaigns: new DynamoDbCampaignStore(doc, operations),
  replies: new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound)),
  clock: systemClock,
  // Messages a phone may send an hour before it is rate-limited (default in the core).
  ...(Number(process.env.MADAD_MAX_MESSAGES_PER_PHONE_HOUR) > 0
    ? { messagesPerPhoneHour: Number(process.env.MADAD_MAX_MESSAGES_PER_PHONE_HOUR) }
    : {}),
};

function readRecord(pepper: string, record: SQSRecord): ParsedRegistration | undefined {
  try {
    const parsed = RegistrationMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parseRegistration(pepper, parsed.data) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reconciles a batch: a few batched reads for the whole batch, then each record on its own, so a
 * poison record fails alone (and reaches the DLQ) while the rest succeed; counters are added once.
 */
const lambdaHandler = async (event: SQSEvent, context: Context) => {
  // One processor per invocation: it holds the batch's state, and the local stack runs several
  // invocations of a handler at once in one process.
  const processor = new BatchProcessor(EventType.SQS);
  const deps = { ...ports, pepper: (await loadSecrets()).cnicPepper };
  const items = new Map(event.Records.map((record) => [record.messageId, readRecord(deps.pepper, record)]));
  let ctx: Awaited<ReturnType<typeof prepareBatch>>;
  try {
    ctx = await prepareBatch(
      deps,
      [...items.values()].filter((i) => i !== undefined),
    );
  } catch (error) {
    // The database is out of reach: the whole batch comes back later, and later again, not at once.
    await backOffFailedRecords(sqs, config.queues.registrations, event.Records, retryBase);
    throw error;
  }
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const item = items.get(record.messageId);
      if (!item) {
        logger.error('Unreadable registration message, left for the DLQ', { sqsMessageId: record.messageId });
        throw new Error(`Unreadable registration message ${record.messageId}`);
      }
      await reconcileOne(deps, item, ctx);
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  );
  // The batch's replies in a few SendMessageBatch calls; a failure fails the batch, which comes back
  // and queues the stored replies again (the aggregator sends each reply id once).
  await flushReplies(deps, ctx);
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const retry = event.Records.filter((r) => failed.has(r.messageId) && items.get(r.messageId));
  if (retry.length > 0) await backOffFailedRecords(sqs, config.queues.registrations, retry, retryBase);
  const drained = [...ctx.stats.drain()];
  publishDecisionCounts(drained);
  await Promise.all(drained.map(([campaignId, counters]) => stats.add(campaignId, counters)));
  await Promise.all(
    [...ctx.stats.drainPerMinute()].map(([campaignId, perMinute]) =>
      stats.addPerMinute(campaignId, perMinute),
    ),
  );
  return response;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
