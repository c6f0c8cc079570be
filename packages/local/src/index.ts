export { type BootstrapResult, bootstrapResources, type LocalQueue } from './bootstrap.js';
export {
  type RunningEmulator,
  S3_EMULATOR_CREDENTIALS,
  startDynamoDbEmulator,
  startS3Emulator,
  startSqsEmulator,
} from './emulators.js';
export {
  type HttpApiHandler,
  type HttpBridge,
  type HttpBridgeOptions,
  type LocalRoute,
  type LocalRouteResponse,
  startHttpBridge,
} from './http-bridge.js';
export type { LocalSecrets } from './local-env.js';
export { type SqsBatchHandler, type SqsPoller, type SqsPollerOptions, startSqsPoller } from './poller.js';
export { DEMO_CNIC, seedDemo } from './seed.js';
export { openSmsGateway, SMS_GATEWAY_PATH, type SmsGateway, type SmsGatewayOptions } from './sms-gateway.js';
export { listSmsGatewayDeliveries } from './sms-gateway-client.js';
export type { GatewayDelivery } from './sms-gateway-log.js';
export { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.js';
export {
  findRunningStack,
  resolveDataDir,
  type StackState,
  stackStatePath,
} from './state.js';
