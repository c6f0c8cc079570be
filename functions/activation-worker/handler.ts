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
import { ActivationWorkSchema, expandWorkItem, recentCampaigns, systemClock } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const { config, doc, sqs } = getRuntime();
const activationQueue = new SqsJsonQueue(sqs, config.queues.activation);
const enrollments = new DynamoDbEnrollmentStore(doc, config.tables.operations);
const deps = {
  campaigns: recentCampaigns(new DynamoDbCampaignStore(doc, config.tables.operations), systemClock, 2000),
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

const CARRY_ON_UNTIL_MS_LEFT = 40_000; // an item's pages follow on until this is left, then it queues

/** Vertical expansion: each record a page of a score band of an area; one processor an invocation. */
const lambdaHandler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const work = ActivationWorkSchema.parse(JSON.parse(record.body));
      const carryOn = () => context.getRemainingTimeInMillis() > CARRY_ON_UNTIL_MS_LEFT;
      const result = await expandWorkItem(deps, work, carryOn);
      logger.info('Expanded pages', { campaignId: work.campaignId, district: work.district, ...result });
    },
    new BatchProcessor(EventType.SQS),
    { context, throwOnFullBatchFailure: false },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
