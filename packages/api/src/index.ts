export { createApp } from './app.js';
export type { ApiDeps, AppEnv } from './deps.js';
export { buildOpenApi } from './openapi.js';
export type { RouteDeclaration } from './openapi-route.js';
export { createSmsWebhookApp, type SmsWebhookDeps } from './sms-webhook-app.js';
