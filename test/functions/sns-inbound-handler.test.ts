import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueuedSmsSchema } from '@madad/core';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const sqsMock = mockClient(SQSClient);
type Handler = (event: SNSEvent, context: unknown) => Promise<void>;
let handler: Handler;

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  ({ handler } = (await import('../../functions/sns-inbound/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => sqsMock.reset());

const sampleEvent = () => loadEvent<SNSEvent>('sns/end-user-messaging-inbound-sms.json');

function withMessage(message: unknown): SNSEvent {
  const event = sampleEvent();
  const record = event.Records[0];
  if (!record) throw new Error('fixture has no record');
  record.Sns.Message = typeof message === 'string' ? message : JSON.stringify(message);
  return event;
}

describe('sns-inbound handler', () => {
  it('queues an End User Messaging SMS on the registrations queue in the webhook’s shape', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: '' }] });

    await handler(sampleEvent(), lambdaContext);

    const calls = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.QueueUrl).toBe('https://sqs.ap-south-1.amazonaws.com/123456789012/test-registrations');
    const body = JSON.parse(input?.Entries?.[0]?.MessageBody ?? '{}');
    expect(QueuedSmsSchema.parse(body)).toEqual({
      from: '+923001234567',
      to: '+923009998877',
      text: '35202-1234567-2',
      messageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      receivedAt: '2026-11-25T09:14:07.512Z',
      channel: 'sms',
      acceptedAt: expect.any(String),
    });
  });

  it('keeps Urdu text exactly as received', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [] });
    const event = withMessage({
      originationNumber: '+923001234567',
      destinationNumber: '8171',
      messageBody: 'رجسٹر ۳۵۲۰۲۱۲۳۴۵۶۷۲',
      inboundMessageId: 'urdu-1',
    });

    await handler(event, lambdaContext);

    const body = JSON.parse(
      sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '{}',
    );
    expect(body.text).toBe('رجسٹر ۳۵۲۰۲۱۲۳۴۵۶۷۲');
  });

  it('throws on a notification that is not an inbound SMS, queueing nothing (Lambda retries, then the failed-deliveries queue)', async () => {
    await expect(handler(withMessage({ hello: 'a test publish' }), lambdaContext)).rejects.toThrow();
    await expect(handler(withMessage('not json'), lambdaContext)).rejects.toThrow();

    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('throws when the message id could not be a webhook message id either', async () => {
    const event = withMessage({
      originationNumber: '+923001234567',
      destinationNumber: '8171',
      messageBody: 'HELP',
      inboundMessageId: '../../etc/passwd',
    });

    await expect(handler(event, lambdaContext)).rejects.toThrow();
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('throws when SQS refuses the message, so the notification is retried', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', Code: 'KMS.ThrottlingException', SenderFault: false }],
    });

    await expect(handler(sampleEvent(), lambdaContext)).rejects.toThrow(/SQS refused 1 of 1/);
  });
});
