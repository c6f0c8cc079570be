import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  getRuntime,
  loadSecrets,
  queues,
  reconcilePorts,
  retryBaseSeconds,
  visibilityTimeoutSeconds,
} from '@madad/adapters';
import { reconcileBatch } from '@madad/core';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { type SqsBatchOutcome, sqsRetryBackoff } from '../shared/sqs-retry-backoff.js';
import { publishDecisionCounts } from './decision-metrics.js';

const logger = new Logger();
const runtime = getRuntime();
const ports = reconcilePorts(runtime);

/** Reconciles a batch of queued registrations (`reconcileBatch`); failed records come back with backoff. */
const lambdaHandler = async (event: SQSEvent): Promise<SqsBatchOutcome> => {
  const deps = { ...ports, pepper: (await loadSecrets()).cnicPepper };
  const records = event.Records.map((r) => ({ id: r.messageId, body: r.body }));
  const { failedIds, unreadableIds, counters } = await reconcileBatch(deps, records);
  for (const id of unreadableIds)
    logger.error('Unreadable registration message, left for the DLQ', { sqsMessageId: id });
  publishDecisionCounts(counters);
  const batchItemFailures = [...unreadableIds, ...failedIds].map((itemIdentifier) => ({ itemIdentifier }));
  // Unreadable bodies go on to the DLQ at the queue's pace: no backoff cures them.
  return { batchItemFailures, final: unreadableIds };
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(
    sqsRetryBackoff({
      sqs: runtime.sqs,
      queueUrl: runtime.config.queues.registrations,
      baseSeconds: retryBaseSeconds(visibilityTimeoutSeconds(queues.registrations)),
    }),
  );
