import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CapPool, CapShardState, PageCapLedger, PageHold, ShardLimits } from '@madad/core';
import * as z from 'zod';

/** A campaign's cap shard: each its own partition, so reservations spread over items and partitions. */
export function capShardKey(campaignId: string, shard: number) {
  return { pk: `CAP#${campaignId}#${String(shard).padStart(2, '0')}`, sk: 'CAP' };
}

const ShardItemSchema = z.object({
  shard: z.number().int(),
  maxHouseholds: z.number(),
  budget: z.number(),
  revision: z.number().int(),
  remainingHouseholds: z.number(),
  remainingBudget: z.number(),
  heldHouseholds: z.number().default(0),
  heldBudget: z.number().default(0),
  households: z.number(),
  committed: z.number(),
  lastHolder: z.string().optional(),
});

/** A page's unsettled reservation: one attribute per page holder, removed when the page settles. */
const HOLD_PREFIX = 'hold#';
const HoldSchema = z.object({ households: z.number().int(), amount: z.number(), digest: z.string() });

/** Validates a stored cap shard. */
export function parseShard(item: Record<string, unknown>): CapShardState {
  const { lastHolder, ...rest } = ShardItemSchema.parse(item);
  const holds = Object.entries(item)
    .filter(([name]) => name.startsWith(HOLD_PREFIX))
    .map(([name, value]) => [name.slice(HOLD_PREFIX.length), HoldSchema.parse(value)] as const);
  return {
    ...rest,
    ...(lastHolder === undefined ? {} : { lastHolder }),
    ...(holds.length > 0 ? { holds: Object.fromEntries(holds) } : {}),
  };
}

function isConditionFailure(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException;
}

/**
 * Cap counters in the operations table. A shard holds what is left of its slice of the household
 * maximum and the budget; a reservation is one conditional ADD (`remaining >= what is taken`), so
 * concurrent reservations on one shard can never take more than it holds.
 */
export class DynamoDbCapLedger implements PageCapLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reservePage(
    campaignId: string,
    shard: number,
    holder: string,
    hold: PageHold,
    init: ShardLimits,
  ): Promise<boolean> {
    return this.takeFromShard(campaignId, shard, init, {
      TableName: this.table,
      Key: capShardKey(campaignId, shard),
      UpdateExpression:
        'ADD remainingHouseholds :minusK, remainingBudget :minusAmount, households :k, committed :amount SET #hold = :hold',
      ConditionExpression:
        'remainingHouseholds >= :k AND remainingBudget >= :amount AND attribute_not_exists(#hold)',
      ExpressionAttributeNames: { '#hold': `${HOLD_PREFIX}${holder}` },
      ExpressionAttributeValues: {
        ':k': hold.households,
        ':minusK': -hold.households,
        ':amount': hold.amount,
        ':minusAmount': -hold.amount,
        ':hold': hold,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  }

  async settlePage(
    campaignId: string,
    shard: number,
    holder: string,
    unused: { readonly households: number; readonly amount: number },
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: capShardKey(campaignId, shard),
          UpdateExpression:
            'ADD remainingHouseholds :h, remainingBudget :b, households :minusH, committed :minusB REMOVE #hold',
          ConditionExpression: 'attribute_exists(#hold)',
          ExpressionAttributeNames: { '#hold': `${HOLD_PREFIX}${holder}` },
          ExpressionAttributeValues: {
            ':h': unused.households,
            ':b': unused.amount,
            ':minusH': -unused.households,
            ':minusB': -unused.amount,
          },
        }),
      );
    } catch (error) {
      // Settled already (a redelivery after a crash past this step): nothing to give back twice.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async reserve(
    campaignId: string,
    shard: number,
    amount: number,
    holder: string,
    init: ShardLimits,
    pool: CapPool = 'open',
  ): Promise<boolean> {
    const [households, budget] =
      pool === 'held' ? ['heldHouseholds', 'heldBudget'] : ['remainingHouseholds', 'remainingBudget'];
    return this.takeFromShard(campaignId, shard, init, {
      TableName: this.table,
      Key: capShardKey(campaignId, shard),
      UpdateExpression: `ADD ${households} :minusOne, ${budget} :minusAmount, households :one, committed :amount SET lastHolder = :holder`,
      ConditionExpression: `${households} >= :one AND ${budget} >= :amount`,
      ExpressionAttributeValues: {
        ':one': 1,
        ':minusOne': -1,
        ':amount': amount,
        ':minusAmount': -amount,
        ':holder': holder,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  }

  /**
   * One conditional update that takes from a shard: true when it landed, false when the shard had no
   * room. The shard existed at the check when the refusal carries it (AWS returns it): no room.
   * Without it (the embedded DynamoDB returns none, or the shard was absent), the shard is created
   * unless it exists and the update tried once more: a shard a concurrent consumer created after our
   * attempt may well have room.
   */
  private async takeFromShard(
    campaignId: string,
    shard: number,
    init: ShardLimits,
    update: UpdateCommandInput,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.doc.send(new UpdateCommand(update));
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (error.Item !== undefined) return false;
        await this.create(campaignId, shard, init);
      }
    }
    return false;
  }

  async release(campaignId: string, shard: number, amount: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: capShardKey(campaignId, shard),
        UpdateExpression:
          'ADD remainingHouseholds :one, remainingBudget :amount, households :minusOne, committed :minusAmount REMOVE lastHolder',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1, ':minusOne': -1, ':amount': amount, ':minusAmount': -amount },
      }),
    );
  }

  async releaseHeld(campaignId: string, shard: number, expected: CapShardState): Promise<boolean> {
    if (expected.heldHouseholds === 0 && expected.heldBudget === 0) return true;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: capShardKey(campaignId, shard),
          UpdateExpression:
            'ADD remainingHouseholds :h, remainingBudget :b, heldHouseholds :minusH, heldBudget :minusB',
          ConditionExpression: 'heldHouseholds = :h AND heldBudget = :b',
          ExpressionAttributeValues: {
            ':h': expected.heldHouseholds,
            ':b': expected.heldBudget,
            ':minusH': -expected.heldHouseholds,
            ':minusB': -expected.heldBudget,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async read(campaignId: string, shards: number): Promise<(CapShardState | undefined)[]> {
    const keys = Array.from({ length: shards }, (_, shard) => capShardKey(campaignId, shard));
    const found = new Map<string, CapShardState>();
    let pending: Record<string, unknown>[] = keys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error(`Cap shards of ${campaignId}: ${pending.length} keys unread`);
      const result = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of result.Responses?.[this.table] ?? []) found.set(String(item.pk), parseShard(item));
      pending = (result.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
    return keys.map((key) => found.get(key.pk));
  }

  async setLimits(
    campaignId: string,
    shard: number,
    next: ShardLimits,
    expected: CapShardState | undefined,
  ): Promise<boolean> {
    if (!expected) return this.create(campaignId, shard, next);
    const households = next.maxHouseholds - expected.maxHouseholds;
    const budget = next.budget - expected.budget;
    const update =
      households >= 0 && budget >= 0
        ? {
            // A raise holds all the shard's free room for the waitlist until the promotion has run:
            // moved atomically, so a registration either reserved before it or waits behind it.
            UpdateExpression:
              'SET maxHouseholds = :max, budget = :budget, revision = :next, heldHouseholds = remainingHouseholds + :hh, heldBudget = remainingBudget + :hb, remainingHouseholds = :zero, remainingBudget = :zero',
            ConditionExpression: 'revision = :expected AND heldHouseholds = :eh AND heldBudget = :eb',
            ExpressionAttributeValues: {
              ':hh': expected.heldHouseholds + households,
              ':hb': expected.heldBudget + budget,
              ':eh': expected.heldHouseholds,
              ':eb': expected.heldBudget,
              ':zero': 0,
            },
          }
        : {
            // A lowering (or a mixed change) takes only open room: what was committed is never undone.
            UpdateExpression:
              'SET maxHouseholds = :max, budget = :budget, revision = :next ADD remainingHouseholds :dh, remainingBudget :db',
            ConditionExpression:
              'revision = :expected AND remainingHouseholds >= :needH AND remainingBudget >= :needB',
            ExpressionAttributeValues: {
              ':dh': households,
              ':db': budget,
              ':needH': Math.max(0, -households),
              ':needB': Math.max(0, -budget),
            },
          };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: capShardKey(campaignId, shard),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: update.ConditionExpression,
          ExpressionAttributeValues: {
            ':max': next.maxHouseholds,
            ':budget': next.budget,
            ':next': next.revision,
            ':expected': expected.revision,
            ...update.ExpressionAttributeValues,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async create(campaignId: string, shard: number, limits: ShardLimits): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...capShardKey(campaignId, shard),
            type: 'CAP_SHARD',
            campaignId,
            shard,
            ...limits,
            remainingHouseholds: limits.maxHouseholds,
            remainingBudget: limits.budget,
            heldHouseholds: 0,
            heldBudget: 0,
            households: 0,
            committed: 0,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
