import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type CampaignLimits,
  type CapShardState,
  type Enrollment,
  type EnrollmentClaims,
  EnrollmentSchema,
  type EnrollmentStore,
  type EnrollPageDeps,
  type EnrollResult,
  enrollmentKey,
  enrollWithinCaps,
  homeShardOf,
} from '@madad/core';
import { operationsKeys } from '../keys.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';
import { recordFromItem } from '../runtime/from-item.js';
import { capShardKey, DynamoDbCapLedger, parseShard } from './dynamodb-cap-ledger.js';

/**
 * Waitlisted enrollments are spread over this many partitions of the byCampaign index (a surge past a
 * small cap must not make one hot partition), and merged in registration order when promoted.
 */
export const WAITLIST_PARTITIONS = 16;

function waitlistPartitionKey(campaignId: string, n: number): string {
  return `WAIT#${campaignId}#${String(n).padStart(2, '0')}`;
}

function waitlistPartition(campaignId: string, householdId: string): string {
  return waitlistPartitionKey(campaignId, homeShardOf(householdId, WAITLIST_PARTITIONS));
}

function strip(item: Record<string, unknown>): Enrollment {
  return recordFromItem(EnrollmentSchema, item, 'enrollment');
}

/**
 * Enrollments in the operations table, indexed by campaign and district for payment batches once
 * enrolled, by campaign for the waitlist when waitlisted; a claim still reserving has no index key.
 */
export class DynamoDbEnrollmentStore implements EnrollmentStore, EnrollmentClaims {
  private readonly caps: DynamoDbCapLedger;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.caps = new DynamoDbCapLedger(doc, table);
  }

  async find(
    pairs: readonly { campaignId: string; householdId: string }[],
  ): Promise<Map<string, Enrollment>> {
    const unique = [...new Map(pairs.map((p) => [enrollmentKey(p.campaignId, p.householdId), p])).values()];
    const items = await batchGetAll(
      this.doc,
      this.table,
      unique.map((p) => operationsKeys.enrollment(p.campaignId, p.householdId)),
    );
    return new Map(
      items.map((item) => {
        const e = strip(item);
        return [enrollmentKey(e.campaignId, e.householdId), e];
      }),
    );
  }

  /** A page's lookup before it reserves: its enrollments and its home cap shard, one consistent batch read. */
  async lookupPage(
    enrollments: readonly Enrollment[],
    homeShard: number,
  ): Promise<{ existing: Map<string, Enrollment>; homeShard?: CapShardState }> {
    const campaignId = enrollments[0]?.campaignId ?? '';
    const shardKey = capShardKey(campaignId, homeShard);
    const items = await batchGetAll(
      this.doc,
      this.table,
      [...enrollments.map((e) => operationsKeys.enrollment(e.campaignId, e.householdId)), shardKey],
      8,
      true,
    );
    const shard = items.find((item) => item.pk === shardKey.pk);
    return {
      existing: new Map(
        items
          .filter((item) => item !== shard)
          .map((item) => {
            const e = strip(item);
            return [enrollmentKey(e.campaignId, e.householdId), e];
          }),
      ),
      ...(shard ? { homeShard: parseShard(shard) } : {}),
    };
  }

  /** What a page of the activation needs to enroll its households together (`enrollPageWithinCaps`). */
  pageDeps(concurrency: number): EnrollPageDeps {
    return { claims: this, caps: this.caps, concurrency };
  }

  /** Claims, reserves within the caps and settles: the flow is the core's `enrollWithinCaps`. */
  enroll(enrollment: Enrollment, limits: CampaignLimits): Promise<EnrollResult> {
    return enrollWithinCaps({ claims: this, caps: this.caps }, enrollment, limits);
  }

  async lookup(
    enrollment: Enrollment,
    homeShard: number,
  ): Promise<{ existing?: Enrollment; homeShard?: CapShardState }> {
    const key = operationsKeys.enrollment(enrollment.campaignId, enrollment.householdId);
    const shardKey = capShardKey(enrollment.campaignId, homeShard);
    let pending: Record<string, unknown>[] = [key, shardKey];
    const found: Record<string, unknown>[] = [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error('Enrollment lookup: keys left unread');
      const result = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[this.table] ?? []));
      pending = (result.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
    const item = found.find((i) => i.pk === key.pk);
    const shard = found.find((i) => i.pk === shardKey.pk);
    return {
      ...(item ? { existing: strip(item) } : {}),
      ...(shard ? { homeShard: parseShard(shard) } : {}),
    };
  }

  async create(
    enrollment: Enrollment,
  ): Promise<{ created: true } | { created: false; existing: Enrollment }> {
    const key = operationsKeys.enrollment(enrollment.campaignId, enrollment.householdId);
    // Enrolled: on the campaign-by-district index payment batches read. Waitlisted: on the waitlist.
    const index =
      enrollment.capState === 'waitlisted'
        ? waitlistPartition(enrollment.campaignId, enrollment.householdId)
        : operationsKeys.enrollmentsByDistrict(enrollment.campaignId, enrollment.district);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            type: 'ENROLLMENT',
            ...enrollment,
            gsi2pk: index,
            gsi2sk: `${enrollment.enrolledAt}#${enrollment.householdId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          // The enrollment that was there comes back with the refusal: no second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item
        ? unmarshall(error.Item)
        : (await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })))
            .Item;
      if (!item) throw error;
      return { created: false, existing: strip(item) };
    }
  }

  async settle(enrollment: Enrollment, state: 'enrolled' | 'waitlisted'): Promise<void> {
    const index =
      state === 'enrolled'
        ? operationsKeys.enrollmentsByDistrict(enrollment.campaignId, enrollment.district)
        : waitlistPartition(enrollment.campaignId, enrollment.householdId);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.enrollment(enrollment.campaignId, enrollment.householdId),
          UpdateExpression: 'SET capState = :state, capShard = :shard, gsi2pk = :g, gsi2sk = :s',
          ConditionExpression: 'capState = :reserving AND claimId = :claim',
          ExpressionAttributeValues: {
            ':state': state,
            ':shard': enrollment.capShard ?? 0,
            ':g': index,
            ':s': `${enrollment.enrolledAt}#${enrollment.householdId}`,
            ':reserving': 'reserving',
            ':claim': enrollment.claimId ?? '',
          },
        }),
      );
    } catch (error) {
      // Settled already (a re-run after a crash past this step): nothing left to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async reclaim(enrollment: Enrollment, claimId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.enrollment(enrollment.campaignId, enrollment.householdId),
          // Stays on the waitlist index until settled, so a promotion re-run after a crash finds it.
          UpdateExpression: 'SET capState = :reserving, claimId = :claim',
          ConditionExpression: 'capState = :waitlisted',
          ExpressionAttributeValues: {
            ':reserving': 'reserving',
            ':claim': claimId,
            ':waitlisted': 'waitlisted',
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async waitlist(campaignId: string, limit: number): Promise<Enrollment[]> {
    const partitions = await Promise.all(
      Array.from({ length: WAITLIST_PARTITIONS }, async (_, n) => {
        const result = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byCampaign',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': waitlistPartitionKey(campaignId, n) },
            Limit: limit,
          }),
        );
        return result.Items ?? [];
      }),
    );
    // Each partition is in registration order; merged, the oldest come first.
    return partitions
      .flat()
      .sort((a, b) => String(a.gsi2sk).localeCompare(String(b.gsi2sk)))
      .slice(0, limit)
      .map(strip);
  }

  async revoke(campaignId: string, householdId: string, messageId: string, _at: string): Promise<boolean> {
    try {
      const deleted = await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: operationsKeys.enrollment(campaignId, householdId),
          ConditionExpression:
            'messageId = :m AND attribute_not_exists(batchId) AND (attribute_not_exists(capState) OR capState <> :reserving)',
          ExpressionAttributeValues: { ':m': messageId, ':reserving': 'reserving' },
          ReturnValues: 'ALL_OLD',
        }),
      );
      // The withdrawn household's reservation goes back to its shard (a crash before this leaves the
      // slot unused: the cap is never exceeded, see docs/enrollment-caps.md).
      const old = deleted.Attributes;
      if (old?.capState === 'enrolled' && typeof old.capShard === 'number')
        await this.caps.release(campaignId, old.capShard, Number(old.amount ?? 0));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
