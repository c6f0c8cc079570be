import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { importSplitterDeps, startImport } from '@madad/adapters';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import * as z from 'zod';

const logger = new Logger();
const deps = importSplitterDeps();

const S3EventSchema = z.object({
  Records: z.array(z.object({ s3: z.object({ object: z.object({ key: z.string().min(1) }) }) })).min(1),
});

/** An upload under `uploads/<kind>/` in the files bucket: split it into chunks and queue them. */
const lambdaHandler = async (event: S3Event) => {
  for (const record of S3EventSchema.parse(event).Records) {
    // S3 event keys are URL-encoded, spaces as '+'.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const job = await startImport(deps, key);
    logger.info('Import split', { importId: job.importId, kind: job.kind, chunks: job.chunks, key });
  }
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
