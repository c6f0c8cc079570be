import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorPidFile, startEmulatorProcess } from '../../packages/local/src/emulator-process.js';
import { createTempDataDir } from './temp-dir.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const dirs: Awaited<ReturnType<typeof createTempDataDir>>[] = [];

afterAll(async () => {
  for (const dir of dirs) await dir.remove();
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pidIn = async (dataDir: string, kind: 'dynamodb' | 'sqs') =>
  Number((await readFile(emulatorPidFile(dataDir, kind), 'utf8')).trim());

describe('startEmulatorProcess', () => {
  it('serves dynalite from a child process on loopback and keeps its data across a stop and a restart', async () => {
    const dir = await createTempDataDir();
    dirs.push(dir);
    const first = await startEmulatorProcess('dynamodb', { dataDir: dir.path });
    const client = new DynamoDBClient({ endpoint: first.endpoint, region: 'us-east-1', credentials });
    await client.send(
      new CreateTableCommand({
        TableName: 'kept',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'kept' } } }));
    const childPid = await pidIn(dir.path, 'dynamodb');
    client.destroy();

    await first.stop();
    const second = await startEmulatorProcess('dynamodb', { dataDir: dir.path });
    const again = new DynamoDBClient({ endpoint: second.endpoint, region: 'us-east-1', credentials });
    const read = await again.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'kept' } } }));
    again.destroy();
    await second.stop();

    expect(first.address.address).toBe('127.0.0.1');
    expect(childPid).not.toBe(process.pid);
    expect(isAlive(childPid)).toBe(false);
    expect(read.Item).toEqual({ pk: { S: 'kept' } });
  });

  it('serves fauxqs from a child process', async () => {
    const dir = await createTempDataDir();
    dirs.push(dir);
    const sqs = await startEmulatorProcess('sqs', { dataDir: dir.path, region: 'us-east-1' });
    const client = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials });

    await client.send(new CreateQueueCommand({ QueueName: 'q' }));
    const listed = await client.send(new ListQueuesCommand({}));
    client.destroy();
    await sqs.stop();

    expect(listed.QueueUrls?.some((url) => url.endsWith('/q'))).toBe(true);
  });
});

describe('an emulator child whose stack was killed', () => {
  it('exits when its parent dies by SIGKILL, so a restarted stack takes the data folder and finds its data', async () => {
    const dir = await createTempDataDir();
    dirs.push(dir);
    // A stand-in for the stack: a process that starts the emulator child, writes an item, and is killed.
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PARENT_SCRIPT, EMULATOR_PROCESS, dir.path],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    parent.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitUntil(() => output.includes('written'), 'the parent wrote its item');
    const child = await pidIn(dir.path, 'dynamodb');
    const childWasAlive = isAlive(child);

    parent.kill('SIGKILL');
    await waitUntil(() => !isAlive(child), 'the orphaned emulator exited');
    const restarted = await startEmulatorProcess('dynamodb', { dataDir: dir.path });
    const client = new DynamoDBClient({ endpoint: restarted.endpoint, region: 'us-east-1', credentials });
    const read = await client.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'kept' } } }));
    client.destroy();
    await restarted.stop();

    expect(childWasAlive).toBe(true);
    expect(child).not.toBe(parent.pid);
    expect(read.Item).toEqual({ pk: { S: 'kept' } });
  }, 120_000);
});

const EMULATOR_PROCESS = fileURLToPath(
  new URL('../../packages/local/src/emulator-process.ts', import.meta.url),
);

const PARENT_SCRIPT = `
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const [modulePath, dataDir] = process.argv.slice(1);
const { startEmulatorProcess } = await import(modulePath);
const emulator = await startEmulatorProcess('dynamodb', { dataDir });
const client = new DynamoDBClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
await client.send(new CreateTableCommand({ TableName: 'kept', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
await client.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'kept' } } }));
console.log('written');
setInterval(() => {}, 1000);
`;
