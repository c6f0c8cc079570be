export { type BootstrapResult, bootstrapResources, type LocalQueue } from './bootstrap.js';
export { type RunningEmulator, startDynamoDbEmulator, startSqsEmulator } from './emulators.js';
export {
  type HttpApiHandler,
  type HttpBridge,
  type HttpBridgeOptions,
  startHttpBridge,
} from './http-bridge.js';
export type { LocalSecrets } from './local-env.js';
export { type SqsBatchHandler, type SqsPoller, type SqsPollerOptions, startSqsPoller } from './poller.js';
export { DEMO_CNIC, seedDemo } from './seed.js';
export { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.js';
export {
  findRunningStack,
  resolveDataDir,
  type StackState,
  stackStatePath,
} from './state.js';
