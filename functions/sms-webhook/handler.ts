import { getRuntime, loadSmsWebhookSecret, SqsGroupSender } from '@madad/adapters';
import { createSmsWebhookApp } from '@madad/api';
import { systemClock } from '@madad/core';
import { handle } from 'hono/aws-lambda';

const { config, sqs } = getRuntime();
// Concurrent requests of one process share a SendMessageBatch (group commit).
const registrationsQueue = new SqsGroupSender(sqs, config.queues.registrations);

/**
 * The SMS aggregator's webhook (`POST /sms/inbound`), its own function because every inbound SMS
 * invokes it: it holds only the webhook's signing key and SendMessage to the registrations queue,
 * never a table, the CNIC pepper or the staff token key (those stay with the api function).
 */
export const app = createSmsWebhookApp({
  webhookSecret: () => loadSmsWebhookSecret(),
  enqueueRegistration: (message) => registrationsQueue.send(message),
  clock: systemClock,
});

/** API Gateway HTTP API (payload 2.0) entry point for the one route. */
export const handler = handle(app);
