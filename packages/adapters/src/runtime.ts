import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSqsClient } from './aws-clients.js';
import { loadRuntimeConfig, type RuntimeConfig } from './config.js';

export interface Runtime {
  readonly config: RuntimeConfig;
  readonly doc: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
}

let runtime: Runtime | undefined;

/**
 * The process's configuration and SDK clients, built once on first use (a Lambda cold start, or the
 * local stack once it has set the environment) and shared by every handler in the process.
 */
export function getRuntime(): Runtime {
  if (!runtime) {
    const config = loadRuntimeConfig();
    runtime = { config, doc: createDocumentClient(config), sqs: createSqsClient(config) };
  }
  return runtime;
}
