import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { issueStaffToken } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { afterAll } from 'vitest';
import { type ChildStack, startChildStack, stopChildStack } from './child-stack.js';

export interface CrashableStack {
  /** Starts the stack in a child process, or restarts it on the same data folder after a kill. */
  start(env?: Record<string, string>): Promise<ChildStack>;
  /** Resolves when the running stack exits: take it before the call that reaches the crash point. */
  exited(): Promise<unknown>;
  /** A document client on the running stack's DynamoDB (the previous one is closed). */
  doc(): DynamoDBDocumentClient;
}

/**
 * A stack that a test kills at a crash point (`MADAD_CRASH_AT`) and restarts on the same data; it is
 * stopped and its folder removed after the file's tests.
 */
export function crashableStack(prefix: string): CrashableStack {
  let dataDir = '';
  let stack: ChildStack | undefined;
  let client: DynamoDBClient | undefined;
  afterAll(async () => {
    client?.destroy();
    if (stack) await stopChildStack(stack);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return {
    async start(env = {}) {
      if (!dataDir) dataDir = await mkdtemp(join(tmpdir(), prefix));
      stack = await startChildStack(dataDir, env);
      return stack;
    },
    exited() {
      const running = stack;
      return new Promise((resolve) => running?.process.once('exit', resolve));
    },
    doc() {
      client?.destroy();
      client = new DynamoDBClient({
        endpoint: stack?.env.MADAD_DYNAMODB_ENDPOINT,
        region: stack?.env.AWS_REGION,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      return DynamoDBDocumentClient.from(client);
    },
  };
}

/** A staff request to the stack as `who`, with a token signed by the stack's key. */
export async function callAsStaff(
  s: ChildStack,
  path: string,
  who: { user: string; roles: StaffRole[] },
  init: RequestInit = {},
): Promise<Response> {
  const token = await issueStaffToken(s.env.MADAD_JWT_SECRET ?? '', who);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${s.httpUrl}${path}`, { ...init, headers });
}

/** GET `path` as `user`, or POST `body` as JSON when there is one. */
export function staffJson(s: ChildStack, path: string, roles: StaffRole[], user: string, body?: unknown) {
  return callAsStaff(
    s,
    path,
    { user, roles },
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
  );
}
