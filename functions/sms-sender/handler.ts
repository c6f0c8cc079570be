import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  backOffFailedRecords,
  getRuntime,
  HttpSmsProvider,
  loadSmsProviderKey,
  queues,
  requireEnv,
  retryBaseSeconds,
  visibilityTimeoutSeconds,
} from '@madad/adapters';
import { deliverReply, maskPhone, OutboundSmsSchema } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const { config, sqs } = getRuntime();
const retryBase = retryBaseSeconds(visibilityTimeoutSeconds(queues.outbound));
// The aggregator in the cloud, the stack's SMS gateway locally: the same contract, the same code path.
// Its key comes from Secrets Manager (or the local stack's environment), read once per cold start.
const providerUrl = requireEnv('MADAD_SMS_PROVIDER_URL');

/**
 * Hands queued replies to the SMS aggregator, writing nothing: the aggregator refuses a reply's id
 * twice. A provider failure fails only that record, retried by the queue with backoff.
 */
const lambdaHandler = async (event: SQSEvent, context: Context) => {
  // One processor per invocation: it holds the batch's state, and the local stack runs several
  // invocations of a handler at once in one process.
  const processor = new BatchProcessor(EventType.SQS);
  const provider = new HttpSmsProvider(providerUrl, await loadSmsProviderKey());
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const message = OutboundSmsSchema.parse(JSON.parse(record.body));
      const delivery = await deliverReply({ provider }, message);
      logger.debug('Reply delivered', { id: message.id, to: maskPhone(message.to), ...delivery });
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
