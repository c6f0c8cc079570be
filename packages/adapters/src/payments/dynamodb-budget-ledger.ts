import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BudgetLedger,
  type BudgetLimits,
  type BudgetState,
  EMPTY_BUDGET,
  operationsKeys,
} from '@madad/core';

const COUNTERS = ['reserved', 'households', 'paid', 'paidHouseholds'] as const;

/**
 * One budget item per campaign. A reservation is a single conditional update: the condition
 * `reserved <= cap - amount AND households <= max - n` is the `checkBudget` rule of the core, so
 * two approvers at once can never together go over the cap.
 */
export class DynamoDbBudgetLedger implements BudgetLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reserve(
    campaignId: string,
    limits: BudgetLimits,
    amount: number,
    households: number,
  ): Promise<{ ok: true } | { ok: false; state: BudgetState }> {
    const capLeft = limits.cap - amount;
    const maxLeft = limits.maxHouseholds - households;
    if (capLeft < 0 || maxLeft < 0) return { ok: false, state: await this.read(campaignId) };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.campaignBudget(campaignId),
          // Arithmetic is not allowed in a condition, so the limits are moved to the right-hand side.
          UpdateExpression:
            'SET #r = if_not_exists(#r, :zero) + :amount, #h = if_not_exists(#h, :zero) + :n, #cap = :cap, #max = :max, campaignId = :c, #type = :type',
          ConditionExpression:
            '(attribute_not_exists(#r) OR #r <= :capLeft) AND (attribute_not_exists(#h) OR #h <= :maxLeft)',
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
          },
        }),
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return { ok: false, state: await this.read(campaignId) };
      throw error;
    }
  }

  async adjust(campaignId: string, delta: Partial<BudgetState>): Promise<void> {
    const changes = COUNTERS.filter((name) => (delta[name] ?? 0) !== 0);
    if (changes.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.campaignBudget(campaignId),
        UpdateExpression: `ADD ${changes.map((name) => `#${name} :${name}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(changes.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(changes.map((name) => [`:${name}`, delta[name]])),
      }),
    );
  }

  async read(campaignId: string): Promise<BudgetState> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: operationsKeys.campaignBudget(campaignId),
        ConsistentRead: true,
      }),
    );
    const item = result.Item ?? {};
    return Object.fromEntries(
      COUNTERS.map((name) => [name, Number(item[name] ?? EMPTY_BUDGET[name])]),
    ) as unknown as BudgetState;
  }
}
