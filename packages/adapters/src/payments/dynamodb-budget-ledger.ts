import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BatchSettlement,
  type BudgetLedger,
  type BudgetLimits,
  type BudgetState,
  EMPTY_BUDGET,
} from '@madad/core';
import * as z from 'zod';
import { operationsKeys } from '../keys.js';
import { fromItem } from '../runtime/from-item.js';

const COUNTERS = [
  'reserved',
  'households',
  'paid',
  'paidHouseholds',
  'duplicates',
  'duplicateAmount',
] as const;

const SettlementSchema = z.object({
  v: z.number(),
  paid: z.number(),
  paidHouseholds: z.number(),
  released: z.number(),
  releasedHouseholds: z.number(),
  duplicates: z.number(),
  duplicateAmount: z.number(),
});

/**
 * The budget item: its counters (empty until first moved), the batch ids it has reserved, and each settled
 * batch's contribution with its version.
 */
const BudgetItemSchema = z.object({
  reserved: z.number().default(EMPTY_BUDGET.reserved),
  households: z.number().default(EMPTY_BUDGET.households),
  paid: z.number().default(EMPTY_BUDGET.paid),
  paidHouseholds: z.number().default(EMPTY_BUDGET.paidHouseholds),
  duplicates: z.number().default(EMPTY_BUDGET.duplicates),
  duplicateAmount: z.number().default(EMPTY_BUDGET.duplicateAmount),
  reservedBatches: z.set(z.string()).optional(),
  settled: z.record(z.string(), SettlementSchema).optional(),
});

const conditional = async (write: Promise<unknown>) => {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * One budget item per campaign. A reservation is a single conditional update: the condition
 * `reserved <= cap - amount AND households <= max - n` is the `checkBudget` rule of the core, so
 * two approvers at once can never together go over the cap, and `NOT contains(reservedBatches, b)`
 * in the same write makes it idempotent per batch. A batch's settlement (what its lines paid and
 * released) is kept in the item's `settled` map with a version; replacing it moves the counters by
 * the difference in the same conditional write, so re-deriving it after a crash counts nothing twice.
 * The item grows by about 150 bytes a batch: some 2,500 batches of up to 5,000 lines fit a campaign.
 */
export class DynamoDbBudgetLedger implements BudgetLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reserveBatch(
    campaignId: string,
    batchId: string,
    limits: BudgetLimits,
    amount: number,
    households: number,
  ): Promise<{ ok: true } | { ok: false; state: BudgetState }> {
    if (await this.hasReserved(campaignId, batchId)) return { ok: true };
    const capLeft = limits.cap - amount;
    const maxLeft = limits.maxHouseholds - households;
    if (capLeft < 0 || maxLeft < 0) return { ok: false, state: await this.read(campaignId) };
    const reserved = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.campaignBudget(campaignId),
          // Arithmetic is not allowed in a condition, so the limits are moved to the right-hand side.
          UpdateExpression:
            'SET #r = if_not_exists(#r, :zero) + :amount, #h = if_not_exists(#h, :zero) + :n, #cap = :cap, #max = :max, campaignId = :c, #type = :type, settled = if_not_exists(settled, :empty) ADD reservedBatches :batch',
          ConditionExpression:
            '(attribute_not_exists(reservedBatches) OR NOT contains(reservedBatches, :b)) AND (attribute_not_exists(#r) OR #r <= :capLeft) AND (attribute_not_exists(#h) OR #h <= :maxLeft)',
          ExpressionAttributeNames: {
            '#r': 'reserved',
            '#h': 'households',
            '#cap': 'cap',
            '#max': 'maxHouseholds',
            '#type': 'type',
          },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':amount': amount,
            ':n': households,
            ':cap': limits.cap,
            ':max': limits.maxHouseholds,
            ':capLeft': capLeft,
            ':maxLeft': maxLeft,
            ':c': campaignId,
            ':type': 'BUDGET',
            ':empty': {},
            ':batch': new Set([batchId]),
            ':b': batchId,
          },
        }),
      ),
    );
    if (reserved || (await this.hasReserved(campaignId, batchId))) return { ok: true };
    return { ok: false, state: await this.read(campaignId) };
  }

  async settlement(campaignId: string, batchId: string) {
    const item = fromItem(BudgetItemSchema, (await this.get(campaignId)) ?? {}, 'campaign budget');
    const entry = item.settled?.[batchId];
    if (!entry) return { version: 0 };
    const { v, ...totals } = entry;
    return { version: v, totals };
  }

  async settle(campaignId: string, batchId: string, version: number, totals: BatchSettlement) {
    // A budget item from before settlements were kept gets its (empty) map first.
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.campaignBudget(campaignId),
        UpdateExpression: 'SET settled = if_not_exists(settled, :empty)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
    const before = await this.settlement(campaignId, batchId);
    if (before.version !== version) return false;
    const old = before.totals ?? {
      paid: 0,
      paidHouseholds: 0,
      released: 0,
      releasedHouseholds: 0,
      duplicates: 0,
      duplicateAmount: 0,
    };
    const delta: Record<(typeof COUNTERS)[number], number> = {
      reserved: -(totals.released - old.released),
      households: -(totals.releasedHouseholds - old.releasedHouseholds),
      paid: totals.paid - old.paid,
      paidHouseholds: totals.paidHouseholds - old.paidHouseholds,
      duplicates: totals.duplicates - old.duplicates,
      duplicateAmount: totals.duplicateAmount - old.duplicateAmount,
    };
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.campaignBudget(campaignId),
          UpdateExpression: `SET settled.#b = :entry, ${COUNTERS.map((c) => `#${c} = if_not_exists(#${c}, :zero) + :${c}`).join(', ')}`,
          ConditionExpression: version === 0 ? 'attribute_not_exists(settled.#b)' : 'settled.#b.v = :v',
          ExpressionAttributeNames: {
            '#b': batchId,
            ...Object.fromEntries(COUNTERS.map((c) => [`#${c}`, c])),
          },
          ExpressionAttributeValues: {
            ':entry': { ...totals, v: version + 1 },
            ':zero': 0,
            ...(version === 0 ? {} : { ':v': version }),
            ...Object.fromEntries(COUNTERS.map((c) => [`:${c}`, delta[c]])),
          },
        }),
      ),
    );
  }

  async read(campaignId: string): Promise<BudgetState> {
    const { reserved, households, paid, paidHouseholds, duplicates, duplicateAmount } = fromItem(
      BudgetItemSchema,
      (await this.get(campaignId)) ?? {},
      'campaign budget',
    );
    return { reserved, households, paid, paidHouseholds, duplicates, duplicateAmount };
  }

  private async hasReserved(campaignId: string, batchId: string): Promise<boolean> {
    const item = fromItem(BudgetItemSchema, (await this.get(campaignId)) ?? {}, 'campaign budget');
    return item.reservedBatches?.has(batchId) ?? false;
  }

  private async get(campaignId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: operationsKeys.campaignBudget(campaignId),
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }
}
