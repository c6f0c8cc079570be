import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  operationsKeys,
  type PhoneHistory,
  type RecentMessage,
  type RecordResult,
  type RegistrationRecord,
  type RegistrationStore,
} from '@madad/core';
import { flaggedIndexAttributes } from './dynamodb-flagged-decisions.js';

type Item = Record<string, unknown>;

/**
 * Registrations live in the operations table, one item per message: an SMS in its phone's partition
 * (sorted by receipt), a web registration under its own id. The put is conditional, so a redelivered
 * message finds the first record (returned by DynamoDB with the failed condition). Records carry no
 * index keys (a person's standing decision is its own item, beside the person in the registry), except
 * the few listed for staff review.
 */
export class DynamoDbRegistrationStore implements RegistrationStore, PhoneHistory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(registration: RegistrationRecord): Promise<RecordResult> {
    const key = operationsKeys.registration(registration);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            type: 'REGISTRATION',
            ...registration,
            ...(registration.forReview ? flaggedIndexAttributes(registration) : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { fresh: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const existing = (error.Item ? unmarshall(error.Item) : await this.getItem(key)) as
          | RegistrationRecord
          | undefined;
        if (!existing) throw error;
        return { fresh: false, existing };
      }
      throw error;
    }
  }

  /** Each phone's latest messages, newest first: one Query per phone, run concurrently. */
  async recent(phones: readonly string[], limit: number): Promise<Map<string, readonly RecentMessage[]>> {
    const entries = await Promise.all(
      phones.map(async (phone) => {
        const items = await this.queryPhone(phone, limit, 'messageId, receivedAt, cnicHash');
        return [
          phone,
          items.map((item) => ({
            messageId: String(item.messageId),
            receivedAt: String(item.receivedAt),
            ...(typeof item.cnicHash === 'string' ? { cnicHash: item.cnicHash } : {}),
          })),
        ] as const;
      }),
    );
    return new Map(entries);
  }

  async countMessages(phone: string, hour: string, count: number): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.phoneHour(phone, hour),
        UpdateExpression: 'ADD messages :n',
        ExpressionAttributeValues: { ':n': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.messages ?? count);
  }

  /** A phone's latest message records, newest first (what it sent and what it was told). */
  async listByPhone(phone: string, limit: number): Promise<RegistrationRecord[]> {
    return (await this.queryPhone(phone, limit)).map(strip) as unknown as RegistrationRecord[];
  }

  /** A registration by message id: a web registration directly, an SMS through its phone (`from`). */
  async get(messageId: string, from?: string): Promise<Item | undefined> {
    if (messageId.startsWith('web-')) return this.getItem(operationsKeys.webRegistration(messageId));
    if (!from) return undefined;
    return this.getItem(operationsKeys.registration({ messageId, channel: 'sms', from }));
  }

  /**
   * A phone's message records, newest first (by receipt), at most `limit`. Keys hold no time, so the
   * partition is read whole (in pages) and sorted here: a few items for an honest phone.
   */
  private async queryPhone(phone: string, limit: number, projection?: string): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
          ExpressionAttributeValues: {
            ':pk': operationsKeys.phoneMessages(phone),
            ':msg': operationsKeys.phoneMessagePrefix,
          },
          ...(projection ? { ProjectionExpression: projection } : {}),
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor && items.length < limit);
    return items
      .sort((a, b) => String(b.receivedAt ?? '').localeCompare(String(a.receivedAt ?? '')))
      .slice(0, limit);
  }

  private async getItem(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }
}

function strip({ pk: _pk, sk: _sk, type: _t, gsi2pk: _g, gsi2sk: _s, ...rest }: Item): Item {
  return rest;
}
