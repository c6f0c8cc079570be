export { createApp } from './app.js';
export type { ApiDeps, AppEnv } from './deps.js';
export { buildOpenApi } from './openapi.js';
export { createSmsWebhookApp, type SmsWebhookDeps } from './sms-webhook-app.js';
