import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  auditTrustFromEnv,
  createDynamoDbPaymentPorts,
  DynamoDbAuditLog,
  DynamoDbBatchJobStore,
  DynamoDbCampaignStore,
  getRuntime,
  SqsJsonQueue,
} from '@madad/adapters';
import { BatchWorkSchema, paymentSettingsFromEnv, runBatchWork, systemClock } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const { config, doc, sqs } = getRuntime();
const batchQueue = new SqsJsonQueue(sqs, config.queues.batches);
const deps = {
  ...createDynamoDbPaymentPorts(doc, config.tables),
  campaigns: new DynamoDbCampaignStore(doc, config.tables.operations),
  audit: new DynamoDbAuditLog(doc, config.tables.operations, auditTrustFromEnv()),
  batchJobs: new DynamoDbBatchJobStore(doc, config.tables.operations),
  clock: systemClock,
  settings: paymentSettingsFromEnv(process.env),
};

/** Time a batch of 5,000 lines needs at most: no batch is started with less left. */
const BATCH_MARGIN_MS = 120_000;

/** Batch making: each record is one district of a batch job; a district out of time is queued again. */
const lambdaHandler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const work = BatchWorkSchema.parse(JSON.parse(record.body));
      const stop = () => context.getRemainingTimeInMillis() < BATCH_MARGIN_MS;
      const result = await runBatchWork(deps, work, stop);
      if (result.more) await batchQueue.sendAll([{ id: '0', body: work }]);
      const { jobId, campaignId, district } = work;
      logger.info('Made a district’s batches', { jobId, campaignId, district, ...result });
    },
    new BatchProcessor(EventType.SQS),
    { context, throwOnFullBatchFailure: false },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
