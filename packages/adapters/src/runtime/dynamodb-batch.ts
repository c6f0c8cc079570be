import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = { readonly [name: string]: unknown };
type Item = Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** BatchGetItem in chunks of 100, retrying unprocessed keys with jittered backoff. */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  maxAttempts = 8,
  consistent = false,
): Promise<Item[]> {
  const found: Item[] = [];
  await Promise.all(
    chunk(keys, 100).map(async (part) => {
      let pending: Key[] = part;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= maxAttempts)
          throw new Error(`BatchGet on ${table}: ${pending.length} keys unprocessed`);
        if (attempt > 0) await sleep(backoff(attempt));
        const result = await doc.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } },
          }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
      }
    }),
  );
  return found;
}

/** BatchWriteItem (puts) in chunks of 25, retrying unprocessed items with jittered backoff. */
export async function batchPutAll(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly Item[],
  maxAttempts = 10,
): Promise<void> {
  for (const part of chunk(items, 25)) {
    let pending = part.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= maxAttempts)
        throw new Error(`BatchWrite on ${table}: ${pending.length} items unprocessed`);
      if (attempt > 0) await sleep(backoff(attempt));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}

/** Maps `items` through `task`, at most `limit` at once, results in input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
