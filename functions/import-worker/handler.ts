import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ImportWorkSchema, importChunk, parallelImportDeps } from '@madad/adapters';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const deps = await parallelImportDeps();

/** Import work: each record is one chunk (whole lines) of a file in the files bucket. */
// One processor per invocation: the local stack runs several invocations of a handler at once.
const lambdaHandler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const work = ImportWorkSchema.parse(JSON.parse(record.body));
      const result = await importChunk(deps, work);
      logger.info('Imported a chunk', { importId: work.importId, chunk: work.chunk, ...result });
    },
    new BatchProcessor(EventType.SQS),
    { context, throwOnFullBatchFailure: false },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
