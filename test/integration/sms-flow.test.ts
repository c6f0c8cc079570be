import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEMO_CNIC, type GatewayDelivery, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDepth, startTestStack, type TestStack, waitFor, waitForQuiet } from '../support/local-stack.js';

let t: TestStack;
let sqs: SQSClient;

beforeAll(async () => {
  t = await startTestStack({ visibilityTimeoutSeconds: 1 });
  sqs = new SQSClient({
    endpoint: t.stack.sqsEndpoint,
    region: t.stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  sqs.destroy();
  await t.stop();
});

// What the stack's SMS gateway (the local aggregator) delivered to a phone; a reply's client reference
// is its id, `reply-<inbound message id>-<reference>` (the reference is keyed by phone and message id).
function repliesTo(phone: string): Promise<GatewayDelivery[]> {
  return listSmsGatewayDeliveries(t.stack.env, phone);
}

const inReplyTo = (messageId: string) => (r: GatewayDelivery) =>
  r.clientReference.startsWith(`reply-${messageId}-`);

describe('one SMS end to end on the embedded stack', () => {
  it('answers a signed SMS with a reply the SMS gateway delivers', async () => {
    const sent = await t.sms({ from: '+923001234567', text: DEMO_CNIC, messageId: 'it-found-1' });
    expect(sent).toEqual({ status: 200, body: { status: 'queued', messageId: 'it-found-1' } });

    const reply = await waitFor(
      async () => (await repliesTo('+923001234567')).find(inReplyTo('it-found-1')),
      15_000,
      'the reply to it-found-1',
    );
    // A bare CNIC is answered in Roman Urdu ("Hawala" is the reference).
    expect(reply.text).toMatch(/^Madad: .*Hawala [0-9A-Z]{8}\./);

    const registration = await t.staff('/api/v1/registrations?messageId=it-found-1&from=%2B923001234567', [
      'program-officer',
    ]);
    const body = (await registration.json()) as { decision: { status: string; reasons: string[] } };
    expect(body.decision).toMatchObject({ status: 'NO_ACTIVE_CAMPAIGN', reasons: ['IN_REGISTRY'] });
    expect(JSON.stringify(body)).not.toContain(DEMO_CNIC);
  });

  it('answers in Urdu to a message in Urdu script with Urdu digits', async () => {
    await t.sms({ from: '03005550001', text: 'رجسٹر ۳۵۲۰۲-۱۲۳۴۵۶۷-۲', messageId: 'it-urdu-1' });
    const reply = await waitFor(async () => (await repliesTo('+923005550001')).find(inReplyTo('it-urdu-1')));
    expect(reply.text).toMatch(/[\u0600-\u06FF]/);
    expect(reply.encoding).toBe('UCS-2');
  });

  it('refuses a bad signature with 401 and queues nothing', async () => {
    const before = await queueDepth(sqs, t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '');
    const response = await fetch(`${t.stack.httpUrl}/sms/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-madad-signature': `t=${Math.floor(Date.now() / 1000)},v1=deadbeef`,
      },
      body: JSON.stringify({ from: '+923001234567', to: '8171', text: DEMO_CNIC, messageId: 'it-forged-1' }),
    });
    expect(response.status).toBe(401);
    expect(await queueDepth(sqs, t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '')).toBeLessThanOrEqual(
      before,
    );
    const lookup = await t.staff('/api/v1/registrations?messageId=it-forged-1&from=%2B923001234567', [
      'program-officer',
    ]);
    expect(lookup.status).toBe(404);
  });

  it('records one registration and sends one reply for the same messageId delivered twice', async () => {
    await t.sms({ from: '+923005550002', text: DEMO_CNIC, messageId: 'it-dup-1' });
    await t.sms({ from: '+923005550002', text: DEMO_CNIC, messageId: 'it-dup-1' });
    await waitFor(async () => (await repliesTo('+923005550002')).find(inReplyTo('it-dup-1')));
    // Every copy handled (the queues stayed empty), then count.
    await waitForQuiet(t.stack);
    const replies = await repliesTo('+923005550002');
    expect(replies.filter(inReplyTo('it-dup-1'))).toHaveLength(1);
  });

  it('moves a poison message to the DLQ while the rest of its batch is answered', async () => {
    const queueUrl = t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '';
    const dlqUrl = queueUrl.replace(/registrations$/, 'registrations-dlq');
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"this is":"not a registration"' }),
    );
    await t.sms({ from: '+923005550003', text: 'HELP', messageId: 'it-batchmate-1' });

    const dead = await waitFor(
      async () => {
        const received = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'] }),
        );
        return received.Messages?.find((m) => m.Body === '{"this is":"not a registration"');
      },
      25_000,
      'the poison message in the DLQ',
    );
    // Delivered maxReceiveCount (5) times before SQS gave up on it.
    expect(Number(dead.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(5);
    const reply = await waitFor(async () =>
      (await repliesTo('+923005550003')).find(inReplyTo('it-batchmate-1')),
    );
    expect(reply.to).toBe('+923005550003');
  });
});
