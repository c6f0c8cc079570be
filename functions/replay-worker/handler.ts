import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  DynamoDbCampaignStore,
  DynamoDbDecisionRecords,
  DynamoDbEnrollmentStore,
  DynamoDbReplayJobs,
  getRuntime,
  SqsJsonQueue,
  SqsReplyQueue,
} from '@madad/adapters';
import { ReplayWorkSchema, replayWorkPage, systemClock } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';

const logger = new Logger();
const { config, doc, sqs } = getRuntime();
const replayQueue = new SqsJsonQueue(sqs, config.queues.replay);
// Decisions of record read a page at a time; the default keeps a page of changes well inside the timeout.
const pageSize = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(200)
  .parse(process.env.MADAD_REPLAY_PAGE_SIZE);
const deps = {
  campaigns: new DynamoDbCampaignStore(doc, config.tables.operations),
  decisions: new DynamoDbDecisionRecords(doc, config.tables.registry),
  enrollments: new DynamoDbEnrollmentStore(doc, config.tables.operations),
  replies: new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound)),
  jobs: new DynamoDbReplayJobs(doc, config.tables.operations),
  work: {
    enqueueAll: (items: readonly unknown[]) =>
      replayQueue.sendAll(items.map((body, i) => ({ id: String(i), body }))),
  },
  now: () => systemClock.now(),
  pageSize,
};

/** Rules replay with apply: each record is one page of one shard; the next page is queued as new work. */
const lambdaHandler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const work = ReplayWorkSchema.parse(JSON.parse(record.body));
      const outcome = await replayWorkPage(deps, work);
      logger.info('Replayed a page', { ...work, outcome });
    },
    new BatchProcessor(EventType.SQS),
    { context, throwOnFullBatchFailure: false },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
