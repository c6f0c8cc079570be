import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { itemSize } from './item-size.js';
import type { RecordedCall } from './sdk-call-counter.js';

type Item = Record<string, AttributeValue>;
type Input = Record<string, unknown>;

/** One captured DynamoDB call, kept small: a put keeps its keys and index keys, and pads to the same size. */
interface ReplayCall {
  readonly operation: string;
  readonly write: boolean;
  readonly input: Input;
  /** For puts: bytes of padding that bring the slim item back to the original item's size. */
  readonly pads?: readonly number[];
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];
const PAD = 'pad';
// Replayed writes go to fresh keys (and index partitions), so conditions hold as they did the first time.
const fresh = (value: AttributeValue | undefined): AttributeValue | undefined =>
  value?.S !== undefined ? { S: `RAW#${value.S}` } : value;

function slimItem(item: Item, moveKeys: boolean): { item: Item; pad: number } {
  const slim: Item = {};
  for (const name of KEY_ATTRIBUTES) {
    const value = item[name];
    if (value) slim[name] = (moveKeys && name.endsWith('pk') ? fresh(value) : value) as AttributeValue;
  }
  const pad = Math.max(0, itemSize(item) - itemSize(slim) - PAD.length);
  return { item: slim, pad };
}

/**
 * Captures DynamoDB calls as sent, then replays the same number and kind of calls straight to the
 * database at a given concurrency: the reference for "how fast is the database alone". Writes that
 * succeeded are replayed on fresh keys (so conditional puts succeed again) with items of the same size
 * and the same index keys; failed conditional writes are replayed on their original keys (and fail
 * again); reads are replayed as they were.
 */
export class CallCapture {
  private calls: ReplayCall[] = [];

  record(call: RecordedCall): void {
    const input = call.input as Input;
    const write = WRITES.has(call.operation);
    if (!write) {
      this.calls.push({ operation: call.operation, write, input });
      return;
    }
    if (call.operation === 'PutItem') {
      const { item, pad } = slimItem(input.Item as Item, call.ok);
      this.calls.push({ operation: call.operation, write, input: { ...input, Item: item }, pads: [pad] });
    } else if (call.operation === 'BatchWriteItem') {
      const pads: number[] = [];
      const requestItems = Object.fromEntries(
        Object.entries(input.RequestItems as Record<string, { PutRequest?: { Item: Item } }[]>).map(
          ([table, requests]) => [
            table,
            requests.map((request) => {
              if (!request.PutRequest) return request;
              const { item, pad } = slimItem(request.PutRequest.Item, true);
              pads.push(pad);
              return { PutRequest: { Item: item } };
            }),
          ],
        ),
      );
      this.calls.push({
        operation: call.operation,
        write,
        input: { ...input, RequestItems: requestItems },
        pads,
      });
    } else {
      const key = input.Key as Item;
      const moved = call.ok ? { ...key, pk: fresh(key.pk) as AttributeValue } : key;
      this.calls.push({ operation: call.operation, write, input: { ...input, Key: moved } });
    }
  }

  /** The calls captured so far, and forgets them. */
  take(): ReplayCall[] {
    const calls = this.calls;
    this.calls = [];
    return calls;
  }
}

export interface ReplayResult {
  readonly calls: number;
  readonly errors: number;
  readonly seconds: number;
}

/** Sends `calls` (writes, or reads) with `concurrency` workers taking them in the order captured. */
export async function replayCalls(
  client: DynamoDBClient | DynamoDBDocumentClient,
  calls: readonly ReplayCall[],
  which: 'writes' | 'reads',
  concurrency: number,
): Promise<ReplayResult> {
  const selected = calls.filter((call) => call.write === (which === 'writes'));
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < selected.length; i = next++) {
      const call = selected[i];
      if (!call) break;
      try {
        await (client as DynamoDBClient).send(commandFor(call) as never);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { calls: selected.length, errors, seconds: (performance.now() - started) / 1000 };
}

function padded(item: Item, pad: number | undefined): Item {
  return pad ? { ...item, [PAD]: { S: 'x'.repeat(pad) } } : item;
}

function commandFor(call: ReplayCall) {
  const input = call.input as never;
  switch (call.operation) {
    case 'PutItem': {
      const put = call.input as { Item: Item };
      return new PutItemCommand({
        ...(call.input as object),
        Item: padded(put.Item, call.pads?.[0]),
      } as never);
    }
    case 'BatchWriteItem': {
      let n = 0;
      const requestItems = Object.fromEntries(
        Object.entries(call.input.RequestItems as Record<string, { PutRequest?: { Item: Item } }[]>).map(
          ([table, requests]) => [
            table,
            requests.map((r) =>
              r.PutRequest ? { PutRequest: { Item: padded(r.PutRequest.Item, call.pads?.[n++]) } } : r,
            ),
          ],
        ),
      );
      return new BatchWriteItemCommand({ ...(call.input as object), RequestItems: requestItems } as never);
    }
    case 'UpdateItem':
      return new UpdateItemCommand(input);
    case 'DeleteItem':
      return new DeleteItemCommand(input);
    case 'GetItem':
      return new GetItemCommand(input);
    case 'BatchGetItem':
      return new BatchGetItemCommand(input);
    case 'Query':
      return new QueryCommand(input);
    default:
      throw new Error(`The replay does not know ${call.operation}`);
  }
}
