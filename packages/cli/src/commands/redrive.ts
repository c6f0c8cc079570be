import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { type QueueId, queueEnvName, queues } from '@madad/adapters';
import { type CommandInput, oneOf, wholeNumber } from '../command.js';
import type { redriveOptions } from '../declarations/redrive.js';
import { useRunningStackEnv } from '../stack-env.js';

export type RedriveMethod = 'auto' | 'move-task' | 'copy';

export interface RedriveResult {
  readonly method: 'move-task' | 'copy';
  readonly moved: number;
  readonly deadLetterQueueUrl: string;
}

const queueIds = Object.keys(queues) as QueueId[];

/**
 * `madad redrive <queue>`: moves the messages of `<queue>`'s dead-letter queue back onto it, once the
 * cause is fixed. Uses SQS's own message move task where the endpoint has it (AWS), otherwise
 * (the local emulator) receives, re-sends and deletes in batches of ten. Finds the local stack through
 * its data folder; for AWS set `MADAD_STAGE=cloud`, `AWS_REGION` and `MADAD_QUEUE_<ID>_URL`.
 */
export async function redriveCommand({
  values,
  positionals,
}: CommandInput<typeof redriveOptions>): Promise<number> {
  const id = oneOf(positionals[0] ?? '', queueIds, 'QUEUE') as QueueId;
  const method = oneOf(values.method, ['auto', 'move-task', 'copy'] as const, '--method');
  const max = values.max === undefined ? undefined : wholeNumber(values.max, '--max');
  await useRunningStackEnv();
  const queueUrl = process.env[queueEnvName(id)];
  if (!queueUrl) {
    console.error(
      `No URL for the ${id} queue: start the local stack (npm start), or point at a deployed one ` +
        `with 'madad stack --stage dev' (or set ${queueEnvName(id)}).`,
    );
    return 1;
  }
  const sqs = new SQSClient({
    region: process.env.AWS_REGION ?? regionOf(queueUrl),
    ...(process.env.MADAD_SQS_ENDPOINT ? { endpoint: process.env.MADAD_SQS_ENDPOINT } : {}),
    maxAttempts: 5,
  });
  try {
    const result = await redriveQueue(sqs, queueUrl, { method, ...(max ? { max } : {}) });
    if (values.json) console.log(JSON.stringify({ ...result, queueUrl }));
    else
      console.log(
        `Redrove ${result.moved} message(s) from ${result.deadLetterQueueUrl} to ${queueUrl} (${result.method})`,
      );
    return 0;
  } finally {
    sqs.destroy();
  }
}

/** Moves the messages of a queue's dead-letter queue (from its redrive policy) back onto the queue. */
export async function redriveQueue(
  sqs: SQSClient,
  queueUrl: string,
  options: { method?: RedriveMethod; max?: number; pollMs?: number } = {},
): Promise<RedriveResult> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
  );
  const queueArn = attributes.Attributes?.QueueArn;
  const policy = attributes.Attributes?.RedrivePolicy;
  const deadLetterArn = policy
    ? (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
    : undefined;
  if (!queueArn || !deadLetterArn)
    throw new Error(`${queueUrl} has no dead-letter queue in its redrive policy`);
  const [, , , , owner, name] = deadLetterArn.split(':');
  const { QueueUrl: deadLetterQueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name, ...(owner ? { QueueOwnerAWSAccountId: owner } : {}) }),
  );
  if (!deadLetterQueueUrl) throw new Error(`No URL for the dead-letter queue ${deadLetterArn}`);

  const method = options.method ?? 'auto';
  if (method !== 'copy' && options.max === undefined) {
    try {
      const moved = await moveWithTask(sqs, deadLetterArn, queueArn, options.pollMs ?? 2000);
      return { method: 'move-task', moved, deadLetterQueueUrl };
    } catch (error) {
      if (method === 'move-task' || !isUnsupported(error)) throw error;
    }
  }
  const moved = await copyMessages(
    sqs,
    deadLetterQueueUrl,
    queueUrl,
    options.max ?? Number.POSITIVE_INFINITY,
  );
  return { method: 'copy', moved, deadLetterQueueUrl };
}

/** SQS's server-side redrive: asynchronous, so this waits for the task to finish. */
async function moveWithTask(sqs: SQSClient, sourceArn: string, destinationArn: string, pollMs: number) {
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
  );
  for (;;) {
    const { Results } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
    );
    const task = Results?.find((t) => !TaskHandle || t.TaskHandle === TaskHandle) ?? Results?.[0];
    if (task?.Status === 'COMPLETED') return task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task?.Status === 'FAILED' || task?.Status === 'CANCELLED') {
      throw new Error(`Message move task ${task.Status}: ${task.FailureReason ?? 'no reason given'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Receive, re-send, then delete only what was re-sent: a crash midway duplicates, never loses. */
async function copyMessages(sqs: SQSClient, from: string, to: string, max: number): Promise<number> {
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: from,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return moved;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: Messages.map((message, i) => ({
          Id: String(i),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        })),
      }),
    );
    const done = (sent.Successful ?? []).map((entry) => Messages[Number(entry.Id)]);
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: from,
          Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message?.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    if ((sent.Failed ?? []).length > 0) {
      throw new Error(
        `SQS refused ${sent.Failed?.length} message(s) (${sent.Failed?.[0]?.Code}); ${moved} moved`,
      );
    }
  }
  return moved;
}

/** The endpoint does not implement message move tasks (the local emulator answers so). */
function isUnsupported(error: unknown): boolean {
  const { name = '', message = '' } = error as { name?: string; message?: string };
  return /Unsupported|InvalidAction|NotImplemented|UnknownOperation|not supported|not implemented/i.test(
    `${name} ${message}`,
  );
}

function regionOf(queueUrl: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\//.exec(queueUrl)?.[1];
}
