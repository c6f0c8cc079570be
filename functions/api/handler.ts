import {
  DynamoDbOutboundLog,
  DynamoDbRegistrationStore,
  getRuntime,
  loadSecrets,
  SqsJsonQueue,
  verifyStaffToken,
} from '@madad/adapters';
import { createApp } from '@madad/api';
import { systemClock } from '@madad/core';
import { handle } from 'hono/aws-lambda';

const { config, doc, sqs } = getRuntime();
const registrationsQueue = new SqsJsonQueue(sqs, config.queues.registrations);

export const app = createApp({
  webhookSecret: async () => (await loadSecrets()).smsWebhookSecret,
  enqueueRegistration: (message) => registrationsQueue.send(message),
  outbound: new DynamoDbOutboundLog(doc, config.tables.operations),
  registrations: new DynamoDbRegistrationStore(doc, config.tables.operations),
  verifyToken: async (token) => verifyStaffToken((await loadSecrets()).jwtSecret, token),
  clock: systemClock,
});

/** API Gateway HTTP API (payload 2.0) entry point: every route is served by the one hono app. */
export const handler = handle(app);
