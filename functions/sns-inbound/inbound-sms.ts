import { type QueuedSms, QueuedSmsSchema } from '@madad/core';
import type { SNSMessage } from 'aws-lambda';
import * as z from 'zod';

/**
 * What AWS End User Messaging SMS publishes to the two-way SNS topic for each inbound SMS
 * (docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html).
 */
export const EndUserMessagingInboundSchema = z.object({
  originationNumber: z.string().min(1),
  destinationNumber: z.string().min(1),
  messageBody: z.string(),
  inboundMessageId: z.string().min(1),
  messageKeyword: z.string().optional(),
  previousPublishedMessageId: z.string().optional(),
});

/**
 * The registrations-queue message for one SNS notification, in exactly the shape `POST /sms/inbound`
 * queues, so the reconciler cannot tell the channels apart: the SNS publish time stands for when the
 * SMS was received, `acceptedAt` for when Madad took it. Throws on anything else (a test publish, a
 * changed format), so the notification is retried and then kept in the failed-deliveries queue.
 */
export function toQueuedSms(
  notification: Pick<SNSMessage, 'Message' | 'Timestamp'>,
  acceptedAt: string,
): QueuedSms {
  const inbound = EndUserMessagingInboundSchema.parse(JSON.parse(notification.Message));
  return QueuedSmsSchema.parse({
    from: inbound.originationNumber,
    to: inbound.destinationNumber,
    text: inbound.messageBody,
    messageId: inbound.inboundMessageId,
    receivedAt: notification.Timestamp,
    channel: 'sms',
    acceptedAt,
  });
}
