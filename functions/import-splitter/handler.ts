import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { importSplitterDeps, startImport } from '@madad/adapters';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';

const logger = new Logger();
const deps = importSplitterDeps();

/** S3's "Object Created" event as EventBridge delivers it (the key is not URL-encoded there). */
const ObjectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({ object: z.object({ key: z.string().min(1) }) }),
});

/** An upload under `uploads/<kind>/` in the files bucket: split it into chunks and queue them. */
const lambdaHandler = async (event: EventBridgeEvent<'Object Created', unknown>) => {
  const { key } = ObjectCreatedSchema.parse(event).detail.object;
  const job = await startImport(deps, key);
  logger.info('Import split', { importId: job.importId, kind: job.kind, chunks: job.chunks, key });
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
