import { spawnSync } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../packages/local/src/stack.js';
import { findRunningStack, stackStatePath } from '../../packages/local/src/state.js';
import { createTempDataDir } from './temp-dir.js';

describe('startLocalStack', () => {
  let dataDir: Awaited<ReturnType<typeof createTempDataDir>>;
  let stack: LocalStack;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = await createTempDataDir();
    stack = await startLocalStack({
      dataDir: dataDir.path,
      port: 0,
      seed: false,
      pollerWaitTimeSeconds: 1,
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await stack.stop();
    await dataDir.remove();
  });

  it('binds the HTTP bridge, dynalite, fauxqs and s3rver to 127.0.0.1 only', () => {
    expect(stack.addresses.http.address).toBe('127.0.0.1');
    expect(stack.addresses.dynamodb?.address).toBe('127.0.0.1');
    expect(stack.addresses.sqs?.address).toBe('127.0.0.1');
    expect(stack.addresses.s3?.address).toBe('127.0.0.1');
  });

  it('gives the handlers their environment before importing them', () => {
    expect(process.env).toMatchObject({
      MADAD_STAGE: 'local',
      MADAD_DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
      MADAD_SQS_ENDPOINT: stack.sqsEndpoint,
      MADAD_S3_ENDPOINT: stack.s3Endpoint,
      MADAD_BUCKET_FILES: 'madad-local-files',
      MADAD_TABLE_REGISTRY: 'madad-local-registry',
      MADAD_QUEUE_REGISTRATIONS_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
      MADAD_SMS_WEBHOOK_SECRET: 'local-dev-secret',
    });
  });

  it('serves the real API handler', async () => {
    const response = await fetch(`${stack.httpUrl}/health`);

    expect(response.status).toBe(200);
  });

  it('publishes stack.json for the CLI', async () => {
    const state = await findRunningStack(dataDir.path);

    expect(state).toEqual({
      pid: process.pid,
      dynamodbEndpoint: stack.dynamodbEndpoint,
      sqsEndpoint: stack.sqsEndpoint,
      httpUrl: stack.httpUrl,
      region: stack.region,
      env: stack.env,
      startedAt: expect.any(String),
    });
  });

  it('removes stack.json on stop', async () => {
    await stack.stop();

    await expect(access(stackStatePath(dataDir.path))).rejects.toThrow();
    expect(await findRunningStack(dataDir.path)).toBeUndefined();
  });
});

describe('findRunningStack', () => {
  it('ignores a stack.json left by a process that is gone', async () => {
    const dataDir = await createTempDataDir();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(stackStatePath(dataDir.path), JSON.stringify({ pid: deadPid, sqsEndpoint: 'x' }));

    expect(await findRunningStack(dataDir.path)).toBeUndefined();
    await dataDir.remove();
  });

  it('makes a second stack on the same data folder refuse to start', async () => {
    const dataDir = await createTempDataDir();
    await writeFile(
      stackStatePath(dataDir.path),
      JSON.stringify({ pid: process.ppid, sqsEndpoint: 'x', httpUrl: 'http://127.0.0.1:3000' }),
    );

    await expect(startLocalStack({ dataDir: dataDir.path, port: 0 })).rejects.toThrow(/already using/);
    await dataDir.remove();
  });
});
