import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  getRuntime,
  queues,
  retryBaseSeconds,
  smsDeliveryFromEnv,
  visibilityTimeoutSeconds,
} from '@madad/adapters';
import { deliverPack, maskPhone, OutboundPackSchema } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsRetryBackoff } from '../shared/sqs-retry-backoff.js';

const logger = new Logger();
const { config, sqs } = getRuntime();
// The aggregator (the stack's SMS gateway locally) and this sender's paced share of its rate, read once.
const { pacer, chunk, provider: loadProvider } = smsDeliveryFromEnv();

/**
 * Hands queued replies to the SMS aggregator, writing nothing: the aggregator refuses a reply's id
 * twice. A provider failure fails only that record, retried by the queue with backoff.
 */
const lambdaHandler = async (event: SQSEvent, context: Context) => {
  // One processor per invocation: it holds the batch's state, and the local stack runs several
  // invocations of a handler at once in one process.
  const processor = new BatchProcessor(EventType.SQS);
  const provider = await loadProvider();
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const { replies } = OutboundPackSchema.parse(JSON.parse(record.body));
      // In bulk requests of up to 100 (fewer at a low rate), paced; one refusal fails the pack.
      const failures = await deliverPack({ provider, pacer }, replies, chunk);
      logger.debug('Replies delivered', {
        count: replies.length - failures.length,
        to: replies.map((r) => maskPhone(r.to)),
      });
      if (failures.length > 0)
        throw new AggregateError(failures, `${failures.length} of ${replies.length} replies not delivered`);
    },
    processor,
    // Report every failure item by item (never a thrown batch), so the backoff applies to them.
    { context, throwOnFullBatchFailure: false },
  );
};

// A failing provider: retry later and later, so a long outage does not exhaust the attempts at once.
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(
    sqsRetryBackoff({
      sqs,
      queueUrl: config.queues.outbound,
      baseSeconds: retryBaseSeconds(visibilityTimeoutSeconds(queues.outbound)),
    }),
  );
