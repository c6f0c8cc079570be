import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fresh copy of a captured event under `events/`, so tests can change it without leaking. */
export function loadEvent<T>(relativePath: string): T {
  const path = fileURLToPath(new URL(`../../events/${relativePath}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'madad-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-south-1:123456789012:function:madad-test',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/madad-test',
  logStreamName: '2026/11/25/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
