import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Rectification,
  type RectificationStatus,
  type RectificationStore,
  ROSTER_FIELDS,
} from '@madad/core';
import * as z from 'zod';
import { transitionStatus } from '../../runtime/status-transition.js';
import { rectificationKeys } from './rectification-keys.js';

const STATUSES = ['OPEN', 'PROPOSED', 'APPLYING', 'ACCEPTED', 'KEPT', 'FIELD_VISIT'] as const;
const value = z.union([z.string(), z.number(), z.boolean()]);
const optional = z.string().optional();

const StoredRectificationSchema = z.object({
  rectificationId: z.string(),
  householdId: z.string(),
  cnicHash: z.string(),
  cnicMasked: z.string(),
  field: z.enum(ROSTER_FIELDS),
  survey: value.nullable(),
  authority: value,
  district: z.string(),
  tehsil: z.string(),
  source: z.string(),
  status: z.enum(STATUSES),
  foundAt: z.string(),
  runId: z.string(),
  proposedBy: optional,
  proposedRole: optional,
  proposedAt: optional,
  decidedBy: optional,
  decidedRole: optional,
  decidedAt: optional,
  reason: optional,
});

const toRectification = (item: Record<string, unknown>): Rectification =>
  StoredRectificationSchema.parse(item);

/** Rectifications in the registry table; every status change is a conditional update of one item. */
export class DynamoDbRectificationStore implements RectificationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async open(item: Rectification): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...rectificationKeys.item(item.householdId, item.rectificationId),
            type: 'RECTIFICATION',
            ...item,
            gsi1pk: rectificationKeys.queue(item.status, item.district),
            gsi1sk: `${item.foundAt}#${item.householdId}#${item.rectificationId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(householdId: string, rectificationId: string): Promise<Rectification | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: rectificationKeys.item(householdId, rectificationId),
        ConsistentRead: true,
      }),
    );
    return Item ? toRectification(Item) : undefined;
  }

  async transition(
    householdId: string,
    rectificationId: string,
    from: readonly RectificationStatus[],
    to: Partial<Rectification> & { readonly status: RectificationStatus },
    unset: readonly (keyof Rectification)[] = [],
  ): Promise<boolean> {
    // The queue partition follows the status; the district is read from the item itself.
    const current = await this.get(householdId, rectificationId);
    if (!current) return false;
    return transitionStatus(this.doc, {
      table: this.table,
      key: rectificationKeys.item(householdId, rectificationId),
      from,
      set: { ...to, gsi1pk: rectificationKeys.queue(to.status, current.district) },
      unset,
      require: { district: current.district },
    });
  }

  async list(status: RectificationStatus, district: string, limit: number): Promise<Rectification[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byDistrict',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': rectificationKeys.queue(status, district) },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(toRectification);
  }
}
