import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AuditEntry,
  type AuditInput,
  type AuditLog,
  type Clock,
  chainAuditEntry,
  operationsKeys,
  systemClock,
} from '@madad/core';

type Item = Record<string, unknown>;
type Head = Pick<AuditEntry, 'seq' | 'hash'>;

function strip(item: Item): AuditEntry {
  const { pk: _pk, sk: _sk, type: _t, ...rest } = item;
  return rest as unknown as AuditEntry;
}

const MAX_ATTEMPTS = 20;

/**
 * The hash-chained audit ledger. Appending is a conditional put of entry `seq` (only one writer can
 * take a seq) followed by a conditional move of the head item; a writer that finds its seq taken
 * follows the chain forward from the head and tries the next one. The head is only a hint for
 * appends, and the last known link for `verifyChain`, which then also catches a deleted tail.
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(input: AuditInput): Promise<AuditEntry> {
    let previous = await this.head();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = chainAuditEntry(previous, input, this.clock.now().toISOString());
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...operationsKeys.auditEntry(entry.seq), type: 'AUDIT', ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        previous = await this.lastFrom(entry.seq);
        continue;
      }
      await this.moveHead(entry);
      return entry;
    }
    throw new Error(`Audit append gave up after ${MAX_ATTEMPTS} contended attempts`);
  }

  async list(from: number, limit: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': operationsKeys.auditPartition,
            ':from': operationsKeys.auditEntry(Math.max(1, from)).sk,
            ':to': `${operationsKeys.auditEntryPrefix}~`,
          },
          ConsistentRead: true,
          Limit: limit - entries.length,
          ExclusiveStartKey: start,
        }),
      );
      entries.push(...(page.Items ?? []).map(strip));
      start = page.LastEvaluatedKey;
    } while (start && entries.length < limit);
    return entries;
  }

  /** The last link the ledger recorded (undefined before the first entry). */
  async head(): Promise<Head | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: operationsKeys.auditHead, ConsistentRead: true }),
    );
    return result.Item ? { seq: Number(result.Item.seq), hash: String(result.Item.hash) } : undefined;
  }

  /** Follows the chain from the entry that took `seq` to the last one, moving a lagging head on. */
  private async lastFrom(seq: number): Promise<Head | undefined> {
    let last: Head | undefined;
    for (let next = seq; ; next++) {
      const found = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: operationsKeys.auditEntry(next), ConsistentRead: true }),
      );
      if (!found.Item) break;
      const entry = strip(found.Item);
      last = { seq: entry.seq, hash: entry.hash };
    }
    if (!last) return this.head();
    await this.moveHead(last);
    return last;
  }

  private async moveHead(entry: Head): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.auditHead,
          UpdateExpression: 'SET #seq = :seq, #hash = :hash, #type = :type',
          ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
          ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#type': 'type' },
          ExpressionAttributeValues: { ':seq': entry.seq, ':hash': entry.hash, ':type': 'AUDIT_HEAD' },
        }),
      );
    } catch (error) {
      // Another writer already moved the head past this entry: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
