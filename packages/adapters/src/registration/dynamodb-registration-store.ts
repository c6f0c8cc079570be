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
  type OutboundSms,
  OutboundSmsSchema,
  type PhoneHistory,
  type PhoneTallyBefore,
  type RecordResult,
  type RegistrationRecord,
  RegistrationRecordSchema,
  type RegistrationStore,
} from '@madad/core';
import * as z from 'zod';
import { operationsKeys } from '../keys.js';
import { fromItem } from '../runtime/from-item.js';
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
            ...compact(registration),
            ...(registration.forReview ? flaggedIndexAttributes(registration) : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { fresh: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const found = error.Item ? unmarshall(error.Item) : await this.getItem(key);
        if (!found) throw error;
        return { fresh: false, existing: expand(found) };
      }
      throw error;
    }
  }

  /**
   * One `UpdateItem` per phone a batch: `ADD` to the hours' counts (`h<YYYY-MM-DDTHH>`, one attribute
   * per hour the phone was active, about 20 bytes: a phone busy every hour for two years stays under
   * the 400 KB item limit) and to the CNICs' set, returning the old values. The set stops growing at
   * `MOST_CNICS` (the condition), far past any campaign's `cnicsPerPhone` (at most 100): then only the
   * hours are added, in a second call that only such a phone makes.
   */
  async tally(
    phone: string,
    hours: Readonly<Record<string, number>>,
    cnics: readonly string[],
  ): Promise<PhoneTallyBefore> {
    const entries = Object.entries(hours);
    const names = Object.fromEntries(entries.map(([hour], i) => [`#h${i}`, `h${hour}`]));
    const counts = Object.fromEntries(entries.map(([, n], i) => [`:n${i}`, n]));
    const add = entries.map((_, i) => `#h${i} :n${i}`).join(', ');
    const update = (withCnics: boolean) =>
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.phoneTally(phone),
        UpdateExpression: withCnics ? `ADD ${add}, cnics :c` : `ADD ${add}`,
        ...(withCnics ? { ConditionExpression: 'attribute_not_exists(cnics) OR size(cnics) < :most' } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...counts,
          ...(withCnics ? { ':c': new Set(cnics), ':most': MOST_CNICS } : {}),
        },
        ReturnValues: withCnics ? 'UPDATED_OLD' : 'ALL_OLD',
      });
    try {
      return tallyOf((await this.doc.send(update(cnics.length > 0))).Attributes, hours);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return tallyOf((await this.doc.send(update(false))).Attributes, hours);
    }
  }

  /** A phone's latest message records, newest first (what it sent and what it was told). */
  async listByPhone(phone: string, limit: number): Promise<RegistrationRecord[]> {
    return (await this.queryPhone(phone, limit)).map(expand);
  }

  /** A registration by message id: a web registration directly, an SMS through its phone (`from`). */
  async get(messageId: string, from?: string): Promise<Item | undefined> {
    const item = messageId.startsWith('web-')
      ? await this.getItem(operationsKeys.webRegistration(messageId))
      : from
        ? await this.getItem(operationsKeys.registration({ messageId, channel: 'sms', from }))
        : undefined;
    return item ? { ...expand(item) } : undefined;
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

/**
 * A record as stored: the reply and notice kept short (`compact`), or whole in records written before
 * compaction; a decision's inputs may be empty.
 */
const StoredRegistrationSchema = RegistrationRecordSchema.extend({
  reply: z.looseObject({ id: z.string(), text: z.string() }).optional(),
  notice: z.looseObject({ id: z.string(), to: z.string(), text: z.string() }).optional(),
});

/**
 * The record as stored, kept under 1 KB (one write unit) for the Urdu replies too: the reply without
 * the fields the record already has (phone, language, reference, message id, acceptance time), and
 * the decision without its inputs, which the person's decision of record keeps (a repeat's are the
 * standing decision's); a duplicate keeps the reference it points at.
 */
function compact(registration: RegistrationRecord): Item {
  const { reply, notice, decision, ...rest } = registration;
  const firstReference = decision?.inputs.firstReference;
  return {
    ...rest,
    ...(decision
      ? { decision: { ...decision, inputs: firstReference === undefined ? {} : { firstReference } } }
      : {}),
    ...(reply ? { reply: { id: reply.id, text: reply.text } } : {}),
    ...(notice ? { notice: { id: notice.id, to: notice.to, text: notice.text } } : {}),
  };
}

/** The record as the core knows it: the reply rebuilt exactly as it was queued (`composeReply`). */
function expand(item: Item): RegistrationRecord {
  const {
    pk: _pk,
    sk: _sk,
    type: _t,
    gsi2pk: _g,
    gsi2sk: _s,
    reply: stored,
    notice,
    ...record
  } = fromItem(StoredRegistrationSchema, item, 'registration');
  const withNotice: RegistrationRecord = notice
    ? {
        ...record,
        notice: {
          id: notice.id,
          to: notice.to,
          text: notice.text,
          lang: record.lang,
          reference: record.reference,
          createdAt: record.acceptedAt,
        },
      }
    : record;
  if (!stored) return withNotice;
  // Records written before compaction hold the whole reply.
  const whole = OutboundSmsSchema.safeParse(stored);
  if (whole.success) return { ...withNotice, reply: whole.data };
  const reply: OutboundSms = {
    id: stored.id,
    to: record.from,
    text: stored.text,
    lang: record.lang,
    inReplyTo: record.messageId,
    reference: record.reference,
    createdAt: record.acceptedAt,
  };
  return { ...withNotice, reply };
}

/** The CNICs' set of a phone's tally stops growing here: far past any `cnicsPerPhone` (at most 100). */
export const MOST_CNICS = 200;

const TallySchema = z.looseObject({ cnics: z.set(z.string()).optional() });

/** What a phone's tally held before: the counts of the batch's hours (0 when new), and its CNICs. */
function tallyOf(attributes: Item | undefined, hours: Readonly<Record<string, number>>): PhoneTallyBefore {
  const old = fromItem(TallySchema, attributes ?? {}, 'phone tally');
  return {
    hours: Object.fromEntries(
      Object.keys(hours).map((hour) => [hour, z.number().catch(0).parse(old[`h${hour}`])]),
    ),
    cnics: [...(old.cnics ?? [])],
  };
}
