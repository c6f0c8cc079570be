import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangeRequest, ChangeRequestStatus, ChangeRequestStore } from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../keys.js';
import { transitionStatus } from '../runtime/status-transition.js';

type Item = Record<string, unknown>;

/** Requests by status on the byDistrict index (`gsi1pk`); change requests are rare, one partition a status. */
const changesIndex = (status: string) => `CHANGES#${status}`;
/** Requests stored before maker-checker were `PENDING`: household submissions. */
const LEGACY_SUBMITTED = 'PENDING';
const storedStatuses = (status: ChangeRequestStatus) =>
  status === 'SUBMITTED' ? ['SUBMITTED', LEGACY_SUBMITTED] : [status];

const optional = z.string().optional();
/** A stored request; the change itself was validated when it was made, and is kept as it was. */
const StoredRequestSchema = z.object({
  requestId: z.string(),
  householdId: z.string(),
  change: z.looseObject({ type: z.enum(['new-phone', 'new-address', 'member-born', 'member-deceased']) }),
  note: optional,
  status: z.enum(['SUBMITTED', 'PROPOSED', 'APPLYING', 'APPROVED', 'REJECTED', LEGACY_SUBMITTED]),
  requestedAt: z.string(),
  requestedBy: z.string(),
  channel: z.enum(['household', 'staff']).optional(),
  proposedBy: optional,
  proposedRole: optional,
  proposedAt: optional,
  decidedBy: optional,
  decidedRole: optional,
  decidedAt: optional,
  reason: optional,
});

export function toRequest(item: Item): ChangeRequest {
  const { status, change, ...rest } = StoredRequestSchema.parse(item);
  return {
    ...rest,
    change: change as ChangeRequest['change'],
    status: status === LEGACY_SUBMITTED ? 'SUBMITTED' : status,
  } as ChangeRequest;
}

/** Change requests in the registry table, in their household's partition (`HH#<id>`, `CR#<requestId>`). */
export class DynamoDbChangeRequestStore implements ChangeRequestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(request: ChangeRequest): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...registryKeys.changeRequest(request.householdId, request.requestId),
          type: 'CHANGE_REQUEST',
          ...request,
          gsi1pk: changesIndex(request.status),
          gsi1sk: `${request.requestedAt}#${request.requestId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(householdId: string, requestId: string): Promise<ChangeRequest | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: registryKeys.changeRequest(householdId, requestId),
        ConsistentRead: true,
      }),
    );
    return Item ? toRequest(Item) : undefined;
  }

  async transition(
    householdId: string,
    requestId: string,
    from: readonly ChangeRequestStatus[],
    to: Partial<ChangeRequest> & { readonly status: ChangeRequestStatus },
    unset: readonly (keyof ChangeRequest)[] = [],
  ): Promise<boolean> {
    return transitionStatus(this.doc, {
      table: this.table,
      key: registryKeys.changeRequest(householdId, requestId),
      from: from.flatMap(storedStatuses),
      set: { gsi1pk: changesIndex(to.status), ...to },
      unset,
    });
  }

  async list(status: ChangeRequestStatus, limit: number): Promise<ChangeRequest[]> {
    const items: Item[] = [];
    for (const stored of storedStatuses(status)) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byDistrict',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': changesIndex(stored) },
          Limit: limit,
        }),
      );
      items.push(...(result.Items ?? []));
    }
    return items.slice(0, limit).map(toRequest);
  }
}
