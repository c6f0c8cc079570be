import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, type QueueId, queues, type RuntimeConfig } from '@madad/adapters';
import { emulatorPidFile, startEmulatorProcess } from '@madad/local/emulator-process';

// The CPU each DynamoDB call costs, on the client (this process, the handlers' document client) and in
// the dynalite child, with nothing else running: the per-call figure the surge multiplies.
//   npx tsx tools/bench/emulator-call-cost.ts [--calls 6000] [--concurrency 100] [--signing placeholder|real]
// `--signing real` builds the client as outside local mode (real SigV4, the cloud path) for an A/B.
// Run the process with `node --max-semi-space-size=N --import tsx` to compare V8's young generation.
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '100' },
    signing: { type: 'string', default: 'placeholder' },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const realSigning = values.signing === 'real';
if (realSigning) {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-only-secret';
}

const dataDir = await mkdtemp(join(tmpdir(), 'madad-call-cost-'));
const dynamodb = await startEmulatorProcess('dynamodb', { dataDir });
const childPid = Number((await readFile(emulatorPidFile(dataDir, 'dynamodb'), 'utf8')).trim());
const noQueues = Object.fromEntries(Object.keys(queues).map((id) => [id, ''])) as Record<QueueId, string>;
const config: RuntimeConfig = {
  stage: realSigning ? 'bench-real-signing' : 'local',
  region: 'us-east-1',
  dynamodbEndpoint: dynamodb.endpoint,
  tables: { registry: 'bench', operations: 'bench' },
  queues: noQueues,
};
const doc = createDocumentClient(config);
await doc.send(
  new CreateTableCommand({
    TableName: 'bench',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  }),
);

// One "registration's worth" of calls in the reconciler's shape: a conditional put, a read, a
// conditional counter update, and a batch read of 10 keys, repeated.
const key = (i: number) => ({ pk: `REG#${i % 2000}`, sk: `MSG#${i}` });
const call = async (i: number): Promise<void> => {
  switch (i % 4) {
    case 0:
      await doc.send(
        new PutCommand({
          TableName: 'bench',
          Item: { ...key(i), status: 'RECEIVED', text: 'REG 35202-1234567-1', at: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return;
    case 1:
      await doc.send(new GetCommand({ TableName: 'bench', Key: key(i - 1) }));
      return;
    case 2:
      await doc.send(
        new UpdateCommand({
          TableName: 'bench',
          Key: { pk: `COUNTER#${i % 16}`, sk: 'C' },
          UpdateExpression: 'ADD #n :one',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return;
    default:
      await doc.send(
        new BatchGetCommand({
          RequestItems: { bench: { Keys: Array.from({ length: 10 }, (_, k) => key(i - 3 - 4 * k)) } },
        }),
      );
  }
};

const ticks = async (pid: number) => {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
};

const runCalls = async (from: number, count: number) => {
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + count) await call(next++);
    }),
  );
};

await runCalls(0, Math.min(2000, calls)); // warm-up: JIT, sockets, LevelDB files
const clientBefore = process.cpuUsage();
const childBefore = await ticks(childPid);
const started = performance.now();
await runCalls(100_000, calls);
const wallMs = performance.now() - started;
const client = process.cpuUsage(clientBefore);
const childMs = ((await ticks(childPid)) - childBefore) * 10;
const clientMs = (client.user + client.system) / 1000;
console.log(
  JSON.stringify({
    signing: realSigning ? 'real' : 'placeholder',
    nodeOptions: [...process.execArgv.filter((arg) => !arg.includes('tsx')), process.env.NODE_OPTIONS ?? '']
      .join(' ')
      .trim(),
    calls,
    concurrency,
    clientCpuMsPerCall: +(clientMs / calls).toFixed(4),
    dynaliteCpuMsPerCall: +(childMs / calls).toFixed(4),
    callsPerSecond: Math.round(calls / (wallMs / 1000)),
  }),
);
doc.destroy();
await dynamodb.stop();
await rm(dataDir, { recursive: true, force: true });
