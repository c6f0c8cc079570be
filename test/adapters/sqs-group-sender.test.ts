import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  type SendMessageBatchCommandOutput,
  SendMessageCommand,
  type SendMessageCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SQS_BATCH_LIMITS, SqsGroupSender } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const sqsMock = mockClient(SQSClient);
const QUEUE = 'https://sqs.ap-south-1.amazonaws.com/123456789012/test-registrations';

afterEach(() => {
  sqsMock.reset();
});

function newSender(): SqsGroupSender {
  return new SqsGroupSender(new SQSClient({ region: 'ap-south-1' }), QUEUE);
}

/** Plain sends stay in flight until `release` (so that later sends gather), then go through at once. */
function holdPlainSends() {
  let held: (() => void)[] | undefined = [];
  sqsMock.on(SendMessageCommand).callsFake(
    () =>
      new Promise<Partial<SendMessageCommandOutput>>((resolve) => {
        const answer = () => resolve({ MessageId: 'plain' });
        if (held) held.push(answer);
        else answer();
      }),
  );
  return {
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
  };
}

/** Every batch entry accepted, except those `fail` picks. */
function answerBatches(
  fail: (body: string, attempt: number) => { SenderFault: boolean } | undefined = () => undefined,
) {
  const attempts = new Map<string, number>();
  sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    const output: Partial<SendMessageBatchCommandOutput> = { Successful: [], Failed: [] };
    for (const entry of input.Entries ?? []) {
      const body = entry.MessageBody ?? '';
      const attempt = (attempts.get(body) ?? 0) + 1;
      attempts.set(body, attempt);
      const failure = fail(body, attempt);
      if (failure) output.Failed?.push({ Id: entry.Id, Code: 'InternalError', ...failure });
      else output.Successful?.push({ Id: entry.Id, MessageId: `m-${body}`, MD5OfMessageBody: '' });
    }
    return Promise.resolve(output);
  });
}

const batches = () => sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
const bodiesOf = (batch: SendMessageBatchCommandInput | undefined) =>
  (batch?.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? 'null'));
const settle = (promises: Promise<void>[]) => Promise.allSettled(promises);

describe('SqsGroupSender', () => {
  it('sends a lone message at once as a plain SendMessage', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    await newSender().send({ messageId: 'a-1', text: 'مدد' });

    const sent = sqsMock.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MessageBody: '{"messageId":"a-1","text":"مدد"}',
    });
    expect(batches()).toHaveLength(0);
  });

  it('gathers the messages that arrive while a send is in flight into one SendMessageBatch', async () => {
    const plain = holdPlainSends();
    answerBatches();
    const sender = newSender();

    const first = sender.send({ n: 0 });
    const others = [1, 2, 3, 4].map((n) => sender.send({ n }));
    await Promise.resolve();
    expect(batches()).toHaveLength(0);
    plain.release();
    await Promise.all([first, ...others]);

    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(batches()).toHaveLength(1);
    const [batch] = batches();
    expect(batch?.QueueUrl).toBe(QUEUE);
    expect(bodiesOf(batch)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    const ids = (batch?.Entries ?? []).map((entry) => entry.Id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resolves a caller only once its own entry is accepted', async () => {
    const plain = holdPlainSends();
    answerBatches();
    const sender = newSender();
    let settled = false;

    void sender.send({ n: 0 });
    const waiting = sender.send({ n: 1 }).then(() => {
      settled = true;
    });
    // Every pending callback and promise job runs first: nothing but the release settles the caller.
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    plain.release();
    await waiting;

    expect(settled).toBe(true);
  });

  it('rejects only the callers whose entries SQS refused, after one retry of those not at fault', async () => {
    const plain = holdPlainSends();
    answerBatches((body, attempt) => {
      const { n } = JSON.parse(body) as { n: number };
      if (n === 2) return { SenderFault: true };
      if (n === 3 && attempt === 1) return { SenderFault: false };
      if (n === 4) return { SenderFault: false };
      return undefined;
    });
    const sender = newSender();

    const results = settle([0, 1, 2, 3, 4, 5].map((n) => sender.send({ n })));
    plain.release();
    const outcomes = (await results).map((r) => r.status);

    expect(outcomes).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const [firstTry, retry] = batches();
    expect(bodiesOf(firstTry)).toHaveLength(5);
    // The sender's own fault is not retried; the entries SQS failed are, once, and alone.
    expect(bodiesOf(retry)).toEqual([{ n: 3 }, { n: 4 }]);
    expect(batches()).toHaveLength(2);
  });

  it('rejects every caller of a batch whose request failed, and keeps sending afterwards', async () => {
    const plain = holdPlainSends();
    sqsMock.on(SendMessageBatchCommand).rejectsOnce(new Error('socket hang up'));
    const sender = newSender();

    const results = settle([0, 1, 2].map((n) => sender.send({ n })));
    plain.release();
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);

    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'later' });
    await expect(sender.send({ n: 3 })).resolves.toBeUndefined();
  });

  it('sends more than ten concurrent messages as several batches of at most ten', async () => {
    const plain = holdPlainSends();
    answerBatches();
    const sender = newSender();

    const sends = Array.from({ length: 26 }, (_, n) => sender.send({ n }));
    // Full batches do not wait for the send in flight.
    await Promise.resolve();
    expect(batches().map((batch) => batch.Entries?.length)).toEqual([10, 10]);
    plain.release();
    await Promise.all(sends);

    expect(batches().map((batch) => batch.Entries?.length)).toEqual([10, 10, 5]);
    const queued = batches().flatMap(bodiesOf);
    expect(queued).toEqual(Array.from({ length: 25 }, (_, i) => ({ n: i + 1 })));
  });

  it('keeps each batch under the 256 KiB limit', async () => {
    const plain = holdPlainSends();
    answerBatches();
    const sender = newSender();
    const text = 'x'.repeat(100 * 1024);

    const sends = Array.from({ length: 6 }, (_, n) => sender.send({ n, text }));
    plain.release();
    await Promise.all(sends);

    const sizes = batches().map((batch) =>
      (batch.Entries ?? []).reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0),
    );
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(SQS_BATCH_LIMITS.bytes);
    const plainBodies = sqsMock
      .commandCalls(SendMessageCommand)
      .map((call) => JSON.parse(call.args[0].input.MessageBody ?? 'null'));
    const queued = [...plainBodies, ...batches().flatMap(bodiesOf)].map((body) => body.n);
    expect(queued.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('sends at once again, without waiting, when nothing is in flight any more', async () => {
    const plain = holdPlainSends();
    answerBatches();
    const sender = newSender();
    const burst = [0, 1, 2].map((n) => sender.send({ n }));
    plain.release();
    await Promise.all(burst);

    const lone = sender.send({ n: 3 });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(2);
    await lone;
    expect(batches()).toHaveLength(1);
  });
});
