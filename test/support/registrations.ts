import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRegistrationStore, getRuntime } from '@madad/adapters';

/** Every registration record of these phones (an SMS is recorded in its phone's partition). */
export async function registrationsOf(
  phones: readonly string[],
  where?: { doc: DynamoDBDocumentClient; table: string },
): Promise<Record<string, unknown>[]> {
  const store = new DynamoDbRegistrationStore(
    where?.doc ?? getRuntime().doc,
    where?.table ?? getRuntime().config.tables.operations,
  );
  // A few Queries at a time: hundreds at once (the crash test asks about 600 phones) queue behind the
  // SDK's 50 sockets and, on a loaded machine, dynalite drops some ("socket hang up") faster than the
  // SDK's retry quota refills, which failed the crash test about once in twenty full runs.
  const queue = [...new Set(phones)];
  const pages: Record<string, unknown>[][] = [];
  const worker = async () => {
    for (let phone = queue.shift(); phone !== undefined; phone = queue.shift()) {
      pages.push(
        (await store.listByPhone(phone, Number.MAX_SAFE_INTEGER)) as unknown as Record<string, unknown>[],
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return pages.flat();
}

/** The records of these message ids among the phones' records. */
export async function registrationsById(
  phones: readonly string[],
  ids: readonly string[],
  where?: { doc: DynamoDBDocumentClient; table: string },
): Promise<Record<string, unknown>[]> {
  const wanted = new Set(ids);
  return (await registrationsOf(phones, where)).filter((item) => wanted.has(String(item.messageId)));
}
