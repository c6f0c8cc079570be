import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AuditAnchors,
  type AuditEntry,
  AuditEntrySchema,
  type AuditInput,
  AuditInputSchema,
  type AuditLog,
  type Clock,
  chainAuditEntry,
  crashPoint,
  signAuditAnchor,
  systemClock,
} from '@madad/core';
import * as z from 'zod';
import { operationsKeys } from '../keys.js';
import { fromItem } from '../runtime/from-item.js';

type Item = Record<string, unknown>;
type Head = Pick<AuditEntry, 'seq' | 'hash'>;

/** The intent of an append by actionId: written first, so a re-run finishes the same append. */
const intentKey = (actionId: string) => ({ pk: `AUDIT#ACTION#${actionId}`, sk: 'INTENT' });

const HeadSchema = z.object({ seq: z.number().int().min(0), hash: z.string() });
const IntentSchema = z.object({
  input: AuditInputSchema,
  at: z.string(),
  /** The head when the intent was written: the entry, if already chained, comes after it. */
  after: HeadSchema.optional(),
  /** Set once the entry is chained: the append is complete. */
  seq: z.number().int().min(1).optional(),
});
/** An intent as written (the caller's input) or as read back (the same fields, checked). */
interface Intent {
  readonly input: AuditInput;
  readonly at: string;
  readonly after?: Head;
  readonly seq?: number;
}

function strip(item: Item): AuditEntry {
  const { pk: _pk, sk: _sk, type: _t, ...rest } = fromItem(AuditEntrySchema, item, 'audit entry');
  return rest;
}

const MAX_ATTEMPTS = 20;

export interface DynamoDbAuditLogOptions {
  /** The MAC secret of the chain (see `loadAuditKey`). */
  readonly key: () => Promise<string>;
  /** Where a signed checkpoint of the head goes after every append (outside this table). */
  readonly anchors: AuditAnchors;
  readonly clock?: Clock;
}

/**
 * The audit ledger, chained with HMAC-SHA256 under a key the table does not hold, each append followed
 * by a signed anchor of its entry outside the table. Appending is a conditional put of entry `seq` (one
 * writer takes a seq) then a conditional move of the head, a hint for the next append. An append with
 * an `actionId` first writes an intent item (the input and its time) and closes it with the entry's seq:
 * a re-run after a crash between those writes finds the intent and either returns the entry (closed) or
 * looks for it after the head the intent recorded and chains it only if it is not there.
 */
export class DynamoDbAuditLog implements AuditLog {
  private readonly clock: Clock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: DynamoDbAuditLogOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async append(input: AuditInput): Promise<AuditEntry> {
    const secret = await this.options.key();
    const { actionId } = input;
    let entry: AuditEntry;
    if (actionId) {
      const intent = await this.openIntent(actionId, input);
      const done = intent.seq === undefined ? undefined : await this.entryAt(intent.seq);
      entry = done ?? (await this.chain(intent.after, intent.input, intent.at, secret));
      await this.moveHead(entry);
      crashPoint('audit.after-entry');
      if (!done) await this.closeIntent(actionId, entry.seq);
    } else {
      entry = await this.chain(await this.head(), input, this.clock.now().toISOString(), secret);
      await this.moveHead(entry);
    }
    crashPoint('audit.before-anchor');
    await this.options.anchors.record(signAuditAnchor(entry, this.clock.now().toISOString(), secret));
    return entry;
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
    return result.Item ? HeadSchema.parse({ seq: result.Item.seq, hash: result.Item.hash }) : undefined;
  }

  /** The intent of `actionId`: the one written now, or the first append's (its input and time). */
  private async openIntent(actionId: string, input: AuditInput): Promise<Intent> {
    const after = await this.head();
    const intent: Intent = {
      input,
      at: this.clock.now().toISOString(),
      ...(after ? { after } : {}),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...intentKey(actionId), type: 'AUDIT_INTENT', ...intent },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      crashPoint('audit.after-intent');
      return intent;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const found = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: intentKey(actionId), ConsistentRead: true }),
    );
    return fromItem(IntentSchema, found.Item ?? {}, 'audit intent');
  }

  private async closeIntent(actionId: string, seq: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: intentKey(actionId),
        UpdateExpression: 'SET #seq = :seq',
        ExpressionAttributeNames: { '#seq': 'seq' },
        ExpressionAttributeValues: { ':seq': seq },
      }),
    );
  }

  /**
   * Chains `input` after `previous`. A taken seq sends the writer along the chain to its end; on the
   * way, an entry with the same actionId is this append's own, already chained (a re-run, or a racer
   * with the same action), and is returned instead of a second one.
   */
  private async chain(
    previous: Head | undefined,
    input: AuditInput,
    at: string,
    secret: string,
  ): Promise<AuditEntry> {
    let link = previous;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = chainAuditEntry(link, input, at, secret);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...operationsKeys.auditEntry(entry.seq), type: 'AUDIT', ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return entry;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const walked = await this.walk(entry.seq, input.actionId);
      if (walked.own) return walked.own;
      link = walked.last ?? link;
    }
    throw new Error(`Audit append gave up after ${MAX_ATTEMPTS} contended attempts`);
  }

  /** Follows the chain from `seq` to its last entry, stopping early at an entry of `actionId`. */
  private async walk(seq: number, actionId?: string): Promise<{ own?: AuditEntry; last?: Head }> {
    let last: Head | undefined;
    for (let next = seq; ; next++) {
      const entry = await this.entryAt(next);
      if (!entry) break;
      if (actionId && entry.actionId === actionId) return { own: entry };
      last = { seq: entry.seq, hash: entry.hash };
    }
    if (last) await this.moveHead(last);
    return last ? { last } : {};
  }

  private async entryAt(seq: number): Promise<AuditEntry | undefined> {
    const found = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: operationsKeys.auditEntry(seq), ConsistentRead: true }),
    );
    return found.Item ? strip(found.Item) : undefined;
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
