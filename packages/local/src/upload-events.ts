import type { EventBridgeEvent } from 'aws-lambda';
import { loadHandler } from './handlers.js';
import { createLambdaContext } from './lambda-context.js';

/** The object prefix whose uploads start an import (as the cloud's EventBridge rule). */
const UPLOADS = 'uploads/';

export interface ObjectCreatedSource {
  onObjectCreated(listener: (bucket: string, key: string) => void): void;
}

/**
 * As in the cloud, an object created under `uploads/` in the files bucket invokes `import-splitter`
 * with S3's "Object Created" event as EventBridge delivers it. A failed split is logged: the upload
 * stays, and `madad import --parallel` (or a second upload) starts it again.
 */
export async function startUploadEvents(options: {
  readonly emulator: ObjectCreatedSource;
  readonly bucket: string;
  readonly region: string;
  readonly log: (line: string) => void;
}): Promise<void> {
  const splitter = await loadHandler<EventBridgeEvent<'Object Created', unknown>>('import-splitter');
  options.emulator.onObjectCreated((bucket, key) => {
    if (bucket !== options.bucket || !key.startsWith(UPLOADS)) return;
    const event = {
      version: '0',
      id: `${Date.now()}`,
      'detail-type': 'Object Created' as const,
      source: 'aws.s3',
      account: '000000000000',
      time: new Date().toISOString(),
      region: options.region,
      resources: [`arn:aws:s3:::${bucket}`],
      detail: { version: '0', bucket: { name: bucket }, object: { key } },
    };
    const context = createLambdaContext({
      functionName: 'import-splitter',
      // The splitter's timeout in infra/function-plans.ts.
      timeoutSeconds: 300,
      region: options.region,
    });
    splitter(event, context).catch((error: unknown) => {
      options.log(`import-splitter failed for ${key}: ${(error as Error).message}`);
    });
  });
}
