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

/** Sees the process's SDK clients once they exist, e.g. to add middleware (`npm run bench` counts calls). */
export type RuntimeInstrument = (runtime: Runtime) => void;
const instruments: RuntimeInstrument[] = [];

/**
 * Registers `instrument` for the runtime's clients: applied at once if they exist, otherwise when
 * `getRuntime()` first builds them. Handlers never call this; benchmarks and tracers do.
 */
export function instrumentRuntime(instrument: RuntimeInstrument): void {
  instruments.push(instrument);
  if (runtime) instrument(runtime);
}

/**
 * The process's configuration and SDK clients, built once on first use (a Lambda cold start, or the
 * local stack once it has set the environment) and shared by every handler in the process.
 */
export function getRuntime(): Runtime {
  if (!runtime) {
    const config = loadRuntimeConfig();
    const built = { config, doc: createDocumentClient(config), sqs: createSqsClient(config) };
    runtime = built;
    for (const instrument of instruments) instrument(built);
  }
  return runtime;
}
