import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { issueStaffToken } from '@madad/adapters';
import { type StaffRole, signWebhook } from '@madad/core';
import { type LocalStack, startLocalStack } from '@madad/local';

export interface TestStack {
  readonly stack: LocalStack;
  /** POSTs a correctly signed inbound SMS; returns the HTTP status and JSON body. */
  sms(message: { from: string; text: string; messageId: string }): Promise<{ status: number; body: unknown }>;
  /** GET/POST as a staff member with the given roles. */
  staff(path: string, roles: StaffRole[], init?: RequestInit & { user?: string }): Promise<Response>;
  stop(): Promise<void>;
}

/** One embedded stack per test file (handlers bind their config once per process). */
export async function startTestStack(
  options: { seed?: boolean; visibilityTimeoutSeconds?: number; log?: (line: string) => void } = {},
): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'madad-it-'));
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    seed: options.seed ?? true,
    pollerWaitTimeSeconds: 1,
    // Browser tests not yet switched to the OIDC sign-in (test/browser/oidc-sign-in.ts) paste tokens.
    consoleTokenSignIn: true,
    log: options.log ?? (() => undefined),
    ...(options.visibilityTimeoutSeconds
      ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
      : {}),
  });
  const secrets = {
    webhook: stack.env.MADAD_SMS_WEBHOOK_SECRET ?? '',
    jwt: stack.env.MADAD_JWT_SECRET ?? '',
  };
  return {
    stack,
    async sms(message) {
      const body = JSON.stringify({ ...message, to: '8171' });
      const response = await fetch(`${stack.httpUrl}/sms/inbound`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-madad-signature': signWebhook(secrets.webhook, Math.floor(Date.now() / 1000), body),
        },
        body,
      });
      return { status: response.status, body: await response.json() };
    },
    async staff(path, roles, init = {}) {
      const token = await issueStaffToken(secrets.jwt, {
        user: init.user ?? `tester-${roles.join('-')}`,
        roles,
      });
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${stack.httpUrl}${path}`, { ...init, headers });
    },
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** An SQS client for a test stack's emulator. */
export function stackSqsClient(stack: LocalStack): SQSClient {
  return new SQSClient({
    endpoint: stack.sqsEndpoint,
    region: stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** Messages in a queue, visible and in flight. */
export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/**
 * Waits until every work queue of the stack (DLQs aside) has been empty, visible and in flight, on
 * `quietReads` reads in a row: every message sent before the call has then been handled, so a test can
 * count what happened (one reply, not two) without sleeping a fixed time.
 */
export async function waitForQuiet(
  stack: LocalStack,
  options: { timeoutMs?: number; quietReads?: number } = {},
): Promise<void> {
  const queues = Object.entries(stack.env).filter(
    ([name, url]) => /^MADAD_QUEUE_\w+_URL$/.test(name) && url && !/-dlq$/i.test(url),
  ) as [string, string][];
  const sqs = stackSqsClient(stack);
  const quietReads = options.quietReads ?? 3;
  let quiet = 0;
  let busy: string[] = [];
  try {
    await waitFor(
      async () => {
        const depths = await Promise.all(queues.map(([, url]) => queueDepth(sqs, url)));
        busy = queues.flatMap(([name], i) => (depths[i] === 0 ? [] : [`${name}: ${depths[i]}`]));
        quiet = busy.length === 0 ? quiet + 1 : 0;
        return quiet >= quietReads ? true : undefined;
      },
      options.timeoutMs ?? 60_000,
      'every work queue to be empty',
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; still busy: ${busy.join(', ')}`);
  } finally {
    sqs.destroy();
  }
}
