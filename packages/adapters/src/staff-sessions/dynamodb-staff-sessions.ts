import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type SignInTransaction,
  type SignInTransactionStore,
  StaffRoleSchema,
  type StaffSession,
  type StaffSessionStore,
} from '@madad/core';
import * as z from 'zod';
import { tables } from '../resources.js';

// Key formats of the console's sign-in items in the operations table (one item each, read by key).
const sessionKey = (key: string) => ({ pk: `STAFFSESSION#${key}`, sk: 'SESSION' });
const transactionKey = (key: string) => ({ pk: `SIGNIN#${key}`, sk: 'TRANSACTION' });

const SessionItemSchema = z.object({
  sessionKey: z.string(),
  user: z.string(),
  name: z.string().optional(),
  roles: z.array(StaffRoleSchema),
  createdAt: z.string(),
  expiresAt: z.string(),
  idToken: z.string().optional(),
  revokedAt: z.string().optional(),
});

const TransactionItemSchema = z.object({
  transactionKey: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  next: z.string(),
  expiresAt: z.string(),
});

const sessionOf = (item: Record<string, unknown>): StaffSession => SessionItemSchema.parse(item);

/**
 * Console sessions and sign-in transactions in the operations table. DynamoDB's TTL deletes them after
 * their end in the cloud (the embedded dynalite keeps them); the core refuses them past `expiresAt`.
 */
export class DynamoDbStaffSessions implements StaffSessionStore, SignInTransactionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(item: StaffSession | SignInTransaction): Promise<void> {
    const key = 'sessionKey' in item ? sessionKey(item.sessionKey) : transactionKey(item.transactionKey);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key,
          type: 'sessionKey' in item ? 'STAFF_SESSION' : 'SIGN_IN',
          ...item,
          // The table's TTL attribute (resources.ts): DynamoDB deletes the item after its end.
          [tables.operations.timeToLiveAttribute]: Math.ceil(Date.parse(item.expiresAt) / 1000),
        },
        // The keys are hashes of fresh random secrets: an existing item means a bug, never overwrite it.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(key: string): Promise<StaffSession | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: sessionKey(key), ConsistentRead: true }),
    );
    return result.Item ? sessionOf(result.Item) : undefined;
  }

  async revoke(key: string, at: Date): Promise<StaffSession | undefined> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sessionKey(key),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? sessionOf(result.Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async take(key: string): Promise<SignInTransaction | undefined> {
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: transactionKey(key), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes ? TransactionItemSchema.parse(result.Attributes) : undefined;
  }
}
