import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { signWebhook } from '@madad/core';
import { listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildStack, killChildStack, startChildStack, stopChildStack } from '../support/child-stack.js';
import { registrationsById } from '../support/registrations.js';

const MESSAGES = 1500;
const KILL_AFTER = 600;
let dataDir = '';
let stack: ChildStack | undefined;

afterAll(async () => {
  if (stack) await stopChildStack(stack);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const phoneOf = (i: number) => `+92301${String(1000000 + i).padStart(7, '0')}`;

async function sendSms(s: ChildStack, i: number): Promise<boolean> {
  const texts = ['3520212345672', 'HELP', `STATUS 35202-1234567-2`, '42101-1234567-3', 'junk message'];
  const body = JSON.stringify({
    from: phoneOf(i),
    to: '8171',
    text: texts[i % texts.length],
    messageId: `crash-${i}`,
  });
  const signature = signWebhook(s.env.MADAD_SMS_WEBHOOK_SECRET ?? '', Math.floor(Date.now() / 1000), body);
  try {
    const response = await fetch(`${s.httpUrl}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-madad-signature': signature },
      body,
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

describe('a SIGKILL in the middle of a surge', () => {
  it('ends, after a restart, with exactly one registration and one reply for every message that got a 200', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'madad-crash-'));
    // Retries back off from 4 s, so the replies the killed stack left in flight keep attempts for after
    // the restart.
    const env = { MADAD_VISIBILITY_TIMEOUT_SECONDS: '3', MADAD_RETRY_BASE_SECONDS: '4' };
    stack = await startChildStack(dataDir, env);
    const accepted: number[] = [];
    let next = 0;
    let killed: Promise<void> | undefined;
    const worker = async () => {
      while (next < MESSAGES) {
        const i = next++;
        if (i === KILL_AFTER && stack) killed = killChildStack(stack);
        if (await sendSms(stack as ChildStack, i)) accepted.push(i);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await killed;
    expect(accepted.length).toBeGreaterThanOrEqual(KILL_AFTER - 16);
    expect(accepted.length).toBeLessThan(MESSAGES);

    stack = await startChildStack(dataDir, env);
    const client = new DynamoDBClient({
      endpoint: stack.env.MADAD_DYNAMODB_ENDPOINT,
      region: stack.env.AWS_REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // The restarted stack is busy draining the backlog: a dropped connection is retried, not fatal.
      maxAttempts: 8,
    });
    const doc = DynamoDBDocumentClient.from(client);
    const operations = stack.env.MADAD_TABLE_OPERATIONS ?? '';
    // Replies counted at the SMS gateway, whose delivery log outlived the SIGKILL in the data folder.
    const restarted = stack;
    const repliesTo = (i: number) => listSmsGatewayDeliveries(restarted.env, phoneOf(i));

    const deadline = Date.now() + 120_000;
    let missing: number[] = accepted;
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const found = await registrationsById(
        missing.map(phoneOf),
        missing.map((i) => `crash-${i}`),
        { doc, table: operations },
      );
      const recorded = new Set(found.map((item) => String(item.messageId)));
      const stillMissing: number[] = [];
      for (const i of missing) {
        const replies = recorded.has(`crash-${i}`) ? await repliesTo(i) : [];
        if (replies.length === 0) stillMissing.push(i);
      }
      missing = stillMissing;
    }
    const diagnose = await Promise.all(
      missing.map(async (i) => {
        const [registration] = await registrationsById([phoneOf(i)], [`crash-${i}`], {
          doc,
          table: operations,
        });
        const replies = await repliesTo(i);
        return {
          i,
          registered: Boolean(registration),
          command: registration?.command,
          replies: replies.map((r) => r.clientReference),
        };
      }),
    );
    expect(diagnose).toEqual([]);

    // None twice: one registration per message id by construction of the key, and one reply per phone
    // (the gateway accepts a reply's id once, however often the senders before and after the kill sent it).
    const counts = await Promise.all(accepted.map(async (i) => (await repliesTo(i)).length));
    expect(counts.filter((n) => n !== 1)).toEqual([]);
    client.destroy();
  }, 240_000);
});
