import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  backOffFailedRecords,
  DynamoDbOutboundLog,
  getRuntime,
  HttpSmsProvider,
  LocalSmsProvider,
  loadSmsProviderKey,
  queues,
  retryBaseSeconds,
  visibilityTimeoutSeconds,
} from '@madad/adapters';
import { deliverReply, maskPhone, OutboundSmsSchema, type SmsProvider } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const { config, doc, sqs } = getRuntime();
const retryBase = retryBaseSeconds(visibilityTimeoutSeconds(queues.outbound));
const claimTimeoutMs = queues.outbound.consumerTimeoutSeconds * 1000;
const log = new DynamoDbOutboundLog(doc, config.tables.operations);

// Locally nothing leaves the machine. In the cloud the stack sets the aggregator's URL, and its key
// comes from Secrets Manager, read once per cold start (`loadSmsProviderKey` caches it).
const providerUrl = process.env.MADAD_SMS_PROVIDER_URL;
const localProvider = new LocalSmsProvider(() => Number(process.env.MADAD_SMS_FAIL_RATE ?? 0));
const smsProvider = async (): Promise<SmsProvider> =>
  providerUrl ? new HttpSmsProvider(providerUrl, await loadSmsProviderKey()) : localProvider;

/** Delivers queued replies; a provider failure fails only that record, retried by the queue. */
const lambdaHandler = async (event: SQSEvent, context: Context) => {
  // One processor per invocation: it holds the batch's state, and the local stack runs several
  // invocations of a handler at once in one process.
  const processor = new BatchProcessor(EventType.SQS);
  const provider = await smsProvider();
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const message = OutboundSmsSchema.parse(JSON.parse(record.body));
      const outcome = await deliverReply({ provider, log, now: () => new Date(), claimTimeoutMs }, message);
      logger.debug('Reply delivered', { id: message.id, to: maskPhone(message.to), outcome });
    },
    processor,
    // Report every failure item by item (never a thrown batch), so the backoff below applies to them.
    { context, throwOnFullBatchFailure: false },
  );
  // A failing provider: retry later and later, so a long outage does not exhaust the attempts at once.
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const retry = event.Records.filter((r) => failed.has(r.messageId));
  if (retry.length > 0) await backOffFailedRecords(sqs, config.queues.outbound, retry, retryBase);
  return response;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
