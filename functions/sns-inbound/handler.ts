import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { getRuntime, SqsJsonQueue } from '@madad/adapters';
import { maskPhone } from '@madad/core';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { toQueuedSms } from './inbound-sms.js';

const logger = new Logger();
const { config, sqs } = getRuntime();
const registrations = new SqsJsonQueue(sqs, config.queues.registrations);

/**
 * Two-way SMS from AWS End User Messaging (via SNS) onto the registrations queue, shaped like the
 * webhook's messages. SNS invokes asynchronously: a throw is retried by Lambda, then the notification
 * goes to the failed-deliveries queue. A redelivered notification queues the same `messageId` again,
 * which the reconciler recognises.
 */
const lambdaHandler = async (event: SNSEvent): Promise<void> => {
  const acceptedAt = new Date().toISOString();
  const messages = event.Records.map((record) => toQueuedSms(record.Sns, acceptedAt));
  await registrations.sendAll(messages.map((message) => ({ id: message.messageId, body: message })));
  for (const message of messages) {
    logger.info('Queued inbound SMS', { messageId: message.messageId, from: maskPhone(message.from) });
  }
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
