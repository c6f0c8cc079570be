import { AsyncLocalStorage } from 'node:async_hooks';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { itemSize, writeUnits } from './item-size.js';

/** The function an SDK call was made for: set around each handler invocation by the bench's stack. */
export const invocationLabel = new AsyncLocalStorage<string>();

/** Calls of one operation by one function on one table or queue, for one kind of item (key prefix). */
export interface CallTally {
  readonly fn: string;
  readonly service: 'dynamodb' | 'sqs';
  readonly operation: string;
  /** Logical table or queue id (`operations`, `registrations`, ...). */
  readonly target: string;
  /** Partition-key prefix of the item (`MSG`, `ENR`, `SMS`, ...), or `-`. */
  readonly kind: string;
  calls: number;
  errors: number;
  /** Items written or read (batch entries, keys, messages received). */
  items: number;
  /** Capacity units DynamoDB (the emulator) reported with `ReturnConsumedCapacity: TOTAL`: base table only. */
  consumedUnits: number;
  /** Write units of global secondary indexes, computed from item sizes (the emulator does not report them). */
  indexWriteUnits: number;
  /** Write units of failed conditional writes, computed from item sizes (AWS charges them, the emulator says nothing). */
  failedWriteUnits: number;
  /** SQS requests as billed: each 64 KiB of payload is one request. */
  billedRequests: number;
  firstAt: number;
  lastAt: number;
}

/** A DynamoDB call as sent (marshalled input), for the raw-database replay. */
export interface RecordedCall {
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly ok: boolean;
}

export interface CounterOptions {
  /** Logical table id of a physical table name. */
  readonly tableId: (tableName: string) => string;
  /** Partition-key attributes of the table's global secondary indexes (projection ALL). */
  readonly indexKeys: (tableName: string) => readonly string[];
  /** Logical queue id of a queue URL. */
  readonly queueId: (queueUrl: string) => string;
}

type Item = Record<string, AttributeValue>;
type Input = Record<string, unknown>;
const WITH_CAPACITY = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'GetItem',
  'BatchGetItem',
  'BatchWriteItem',
  'Query',
  'Scan',
]);
const SQS_CHUNK = 64 * 1024;

/** `MSG/REG`, `PHONE/H`, `SMS`...: the partition key's prefix, and the sort key's when it is a fixed tag. */
const kindOf = (key: Item | undefined) => {
  const pk = key?.pk?.S;
  if (!pk) return '-';
  const tag = key?.sk?.S?.split('#')[0] ?? '';
  return /^[A-Z]+$/.test(tag) ? `${pk.split('#')[0]}/${tag}` : pk.split('#')[0] || '-';
};

/** Counts every AWS SDK call made through the clients it is attached to, by function and operation. */
export class SdkCallCounter {
  private readonly tallies = new Map<string, CallTally>();
  /** Receives each DynamoDB call when set (the replay's capture). */
  recorder: ((call: RecordedCall) => void) | undefined;

  constructor(private readonly options: CounterOptions) {}

  countDynamoDb(client: DynamoDBClient | DynamoDBDocumentClient, defaultLabel: string): void {
    const stack = (client as DynamoDBClient).middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        if (!WITH_CAPACITY.has(operation)) return next(args);
        return next({
          ...args,
          input: { ...(args.input as Input), ReturnConsumedCapacity: 'TOTAL' } as never,
        });
      },
      { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
    );
    stack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        const input = args.input as Input;
        const fn = invocationLabel.getStore() ?? defaultLabel;
        try {
          const result = await next(args);
          this.tallyDynamoDb(
            fn,
            operation,
            input,
            (result.output as unknown as Input).ConsumedCapacity,
            true,
          );
          this.recorder?.({ operation, input, ok: true });
          return result;
        } catch (error) {
          this.tallyDynamoDb(fn, operation, input, undefined, false, error);
          this.recorder?.({ operation, input, ok: false });
          throw error;
        }
      },
      { step: 'build', name: 'benchCallCounter', priority: 'low' },
    );
  }

  countSqs(client: SQSClient, defaultLabel: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        const input = args.input as Input;
        const fn = invocationLabel.getStore() ?? defaultLabel;
        const target = this.options.queueId(String(input.QueueUrl ?? input.QueueName ?? '-'));
        const tally = this.tally(fn, 'sqs', operation, target, '-');
        const entries = input.Entries as { MessageBody?: string }[] | undefined;
        const payload =
          typeof input.MessageBody === 'string'
            ? Buffer.byteLength(input.MessageBody)
            : (entries ?? []).reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody ?? ''), 0);
        tally.calls += 1;
        tally.billedRequests += Math.max(1, Math.ceil(payload / SQS_CHUNK));
        try {
          const result = await next(args);
          const received = (result.output as { Messages?: unknown[] }).Messages;
          tally.items += entries?.length ?? received?.length ?? 1;
          tally.lastAt = Date.now();
          return result;
        } catch (error) {
          tally.errors += 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'benchCallCounter', priority: 'low' },
    );
  }

  snapshot(): CallTally[] {
    return [...this.tallies.values()].map((t) => ({ ...t }));
  }

  reset(): void {
    this.tallies.clear();
  }

  private tally(fn: string, service: CallTally['service'], operation: string, target: string, kind: string) {
    const key = `${fn}|${service}|${operation}|${target}|${kind}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      const now = Date.now();
      tally = {
        fn,
        service,
        operation,
        target,
        kind,
        calls: 0,
        errors: 0,
        items: 0,
        consumedUnits: 0,
        indexWriteUnits: 0,
        failedWriteUnits: 0,
        billedRequests: 0,
        firstAt: now,
        lastAt: now,
      };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private tallyDynamoDb(
    fn: string,
    operation: string,
    input: Input,
    consumed: unknown,
    ok: boolean,
    error?: unknown,
  ): void {
    const { table, kind, items, putItems } = describeDynamoDbCall(operation, input);
    const tally = this.tally(fn, 'dynamodb', operation, this.options.tableId(table), kind);
    tally.calls += 1;
    tally.items += items;
    tally.lastAt = Date.now();
    const capacities = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    let units = 0;
    for (const c of capacities) units += Number((c as { CapacityUnits?: number }).CapacityUnits ?? 0);
    // A Query, Scan or GetItem is billed at least one read of 4 KB, even when it finds nothing (the
    // emulator reports next to nothing for an empty partition): priced as DynamoDB would, not lower.
    if (ok && (operation === 'Query' || operation === 'Scan' || operation === 'GetItem'))
      units = Math.max(units, input.ConsistentRead === true ? 1 : 0.5);
    tally.consumedUnits += units;
    if (ok) {
      const indexKeys = this.options.indexKeys(table);
      for (const item of putItems) {
        const indexes = indexKeys.filter((key) => item[key] !== undefined).length;
        tally.indexWriteUnits += indexes * writeUnits(itemSize(item));
      }
      return;
    }
    tally.errors += 1;
    // A write whose condition fails is still charged on AWS: the item's size for a put, at least 1 unit.
    if ((error as Error)?.name === 'ConditionalCheckFailedException') {
      tally.failedWriteUnits += putItems[0] ? writeUnits(itemSize(putItems[0])) : 1;
    }
  }
}

function operationOf(commandName: string | undefined): string {
  return (commandName ?? 'Unknown').replace(/Command$/, '');
}

/** Table, kind of item, number of items and the items put by one (marshalled) DynamoDB request. */
export function describeDynamoDbCall(
  operation: string,
  input: Input,
): { table: string; kind: string; items: number; putItems: Item[] } {
  const requestItems = input.RequestItems as Record<string, unknown[]> | undefined;
  if (requestItems) {
    const [table = '-', requests = []] = Object.entries(requestItems)[0] ?? [];
    if (operation === 'BatchGetItem') {
      const keys = (requests as unknown as { Keys: Item[] }).Keys ?? [];
      return { table, kind: kindOf(keys[0]), items: keys.length, putItems: [] };
    }
    const writes = requests as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[];
    const putItems = writes.flatMap((w) => (w.PutRequest ? [w.PutRequest.Item] : []));
    const first = writes[0]?.PutRequest?.Item ?? writes[0]?.DeleteRequest?.Key;
    return { table, kind: kindOf(first), items: writes.length, putItems };
  }
  const table = String(input.TableName ?? '-');
  if (operation === 'PutItem') {
    const item = input.Item as Item;
    return { table, kind: kindOf(item), items: 1, putItems: [item] };
  }
  if (operation === 'Query' || operation === 'Scan') {
    const values = (input.ExpressionAttributeValues ?? {}) as Item;
    const index = input.IndexName ? `@${String(input.IndexName)}` : '';
    return {
      table,
      kind: `${kindOf({ pk: values[':pk'] as AttributeValue })}${index}`,
      items: 1,
      putItems: [],
    };
  }
  return { table, kind: kindOf(input.Key as Item | undefined), items: 1, putItems: [] };
}
