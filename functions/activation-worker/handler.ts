import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  DynamoDbActivationProgress,
  DynamoDbAreaIndex,
  DynamoDbCampaignStore,
  DynamoDbEnrollmentStore,
  DynamoDbNoticeMarks,
  DynamoDbPhoneLanguages,
  DynamoDbStats,
  getRuntime,
  SqsJsonQueue,
  SqsReplyQueue,
} from '@madad/adapters';
import { ActivationWorkSchema, expandArea, systemClock } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const { config, doc, sqs } = getRuntime();
const activationQueue = new SqsJsonQueue(sqs, config.queues.activation);
const enrollments = new DynamoDbEnrollmentStore(doc, config.tables.operations);
const deps = {
  campaigns: new DynamoDbCampaignStore(doc, config.tables.operations),
  areaIndex: new DynamoDbAreaIndex(doc, config.tables.registry),
  enrollments,
  // A page's households enrolled together, 16 creations in flight (one reservation for the page).
  pageEnrollments: enrollments.pageDeps(16),
  stats: new DynamoDbStats(doc, config.tables.operations),
  replies: new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound)),
  phoneLanguages: new DynamoDbPhoneLanguages(doc, config.tables.operations),
  marks: new DynamoDbNoticeMarks(doc, config.tables.operations),
  progress: new DynamoDbActivationProgress(doc, config.tables.operations),
  next: {
    enqueueAll: (items: readonly unknown[]) =>
      activationQueue.sendAll(items.map((body, i) => ({ id: String(i), body }))),
  },
  clock: systemClock,
  pageSize: 100,
};

/** Vertical expansion: each record is one page of one score band of an area; the next page is queued as new work. */
// One processor per invocation: it holds the batch's state, and the local stack runs several
// invocations of a handler at once in one process.
const lambdaHandler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const work = ActivationWorkSchema.parse(JSON.parse(record.body));
      const result = await expandArea(deps, work);
      const { campaignId, district, page } = work;
      logger.info('Expanded a page', { campaignId, district, page, ...result });
    },
    new BatchProcessor(EventType.SQS),
    { context, throwOnFullBatchFailure: false },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
