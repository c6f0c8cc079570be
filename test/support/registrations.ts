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
  const pages = await Promise.all(
    [...new Set(phones)].map(
      async (phone) =>
        (await store.listByPhone(phone, Number.MAX_SAFE_INTEGER)) as unknown as Record<string, unknown>[],
    ),
  );
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
