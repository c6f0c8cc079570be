import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getRuntime } from '@madad/adapters';
import { operationsKeys } from '@madad/core';

/** Every registration record of these phones (an SMS is recorded in its phone's partition). */
export async function registrationsOf(
  phones: readonly string[],
  where?: { doc: DynamoDBDocumentClient; table: string },
): Promise<Record<string, unknown>[]> {
  const doc = where?.doc ?? getRuntime().doc;
  const table = where?.table ?? getRuntime().config.tables.operations;
  const pages = await Promise.all(
    [...new Set(phones)].map(async (phone) => {
      const items: Record<string, unknown>[] = [];
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
            ExpressionAttributeValues: {
              ':pk': operationsKeys.phoneMessages(phone),
              ':msg': operationsKeys.phoneMessagePrefix,
            },
            ConsistentRead: true,
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        items.push(...(page.Items ?? []));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
      return items;
    }),
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
