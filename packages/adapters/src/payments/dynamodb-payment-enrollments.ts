import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type ClaimResult,
  enrollmentKey,
  type MarkPaidResult,
  type PayableEnrollment,
  PayableEnrollmentSchema,
  type PaymentEnrollments,
  type PaymentState,
} from '@madad/core';
import { operationsKeys } from '../keys.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';
import { recordFromItem } from '../runtime/from-item.js';

type Item = Record<string, unknown>;

function strip(item: Item): PayableEnrollment {
  return recordFromItem(PayableEnrollmentSchema, item, 'enrollment');
}

/**
 * A failed payment may go into another batch once someone other than the uploader confirmed the
 * failure, or once its cool-off (when one is configured) is over.
 */
const RETRYABLE =
  '(paymentState = :failed AND (attribute_exists(failureConfirmedBy) OR (attribute_exists(retryAfter) AND retryAfter <= :now)))';

/**
 * The payment fields of enrollment items (`batchId`, `paymentState`, `paymentAttempt`,
 * `paidReference`). Each write is conditional on the enrollment item alone: that item is the one
 * place that decides whether a household is in an open batch, and whether it was paid.
 */
export class DynamoDbPaymentEnrollments implements PaymentEnrollments {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async unbatched(query: {
    campaignId: string;
    district: string;
    category?: 'TOP_UP' | 'NEW_BENEFICIARY';
    limit: number;
    now: string;
  }): Promise<PayableEnrollment[]> {
    const found: PayableEnrollment[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byCampaign',
          KeyConditionExpression: 'gsi2pk = :pk',
          FilterExpression: [
            `(attribute_not_exists(batchId) OR ${RETRYABLE})`,
            '(attribute_not_exists(paymentHold) OR paymentHold.#until <= :now)',
            'attribute_not_exists(paidReference)',
            ...(query.category ? ['category = :category'] : []),
          ].join(' AND '),
          ExpressionAttributeValues: {
            ':pk': operationsKeys.enrollmentsByDistrict(query.campaignId, query.district),
            ':failed': 'failed',
            ':now': query.now,
            ...(query.category ? { ':category': query.category } : {}),
          },
          ExpressionAttributeNames: { '#until': 'until' },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(page.Items ?? []).map(strip));
      start = page.LastEvaluatedKey;
    } while (start && found.length < query.limit);
    return found.slice(0, query.limit);
  }

  async claimedBy(query: {
    campaignId: string;
    district: string;
    batchId: string;
  }): Promise<PayableEnrollment[]> {
    const found: PayableEnrollment[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        IndexName: 'byCampaign',
        KeyConditionExpression: 'gsi2pk = :pk',
        FilterExpression: 'batchId = :b',
        ExpressionAttributeValues: {
          ':pk': operationsKeys.enrollmentsByDistrict(query.campaignId, query.district),
          ':b': query.batchId,
        },
      },
    );
    for await (const page of pages) found.push(...(page.Items ?? []).map(strip));
    return found;
  }

  async load(
    pairs: readonly { campaignId: string; householdId: string }[],
  ): Promise<Map<string, PayableEnrollment>> {
    const keys = new Map(
      pairs.map((p) => [
        enrollmentKey(p.campaignId, p.householdId),
        operationsKeys.enrollment(p.campaignId, p.householdId),
      ]),
    );
    const items = await batchGetAll(this.doc, this.table, [...keys.values()]);
    return new Map(
      items.map((item) => [enrollmentKey(String(item.campaignId), String(item.householdId)), strip(item)]),
    );
  }

  async claim(campaignId: string, householdId: string, batchId: string, now: string): Promise<ClaimResult> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          ...this.key(campaignId, householdId),
          UpdateExpression:
            'SET batchId = :b, paymentState = :batched, paymentAttempt = if_not_exists(paymentAttempt, :zero) + :one REMOVE failureConfirmedBy, retryAfter, paymentHold',
          // Only a settled enrollment is paid: not one still reserving a cap, nor a waitlisted one.
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(paidReference) AND (attribute_not_exists(capState) OR capState = :enrolled) AND (attribute_not_exists(batchId) OR ${RETRYABLE})`,
          ExpressionAttributeValues: {
            ':b': batchId,
            ':batched': 'batched',
            ':failed': 'failed',
            ':now': now,
            ':enrolled': 'enrolled',
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { claimed: true, attempt: Number(result.Attributes?.paymentAttempt ?? 1) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { claimed: false };
      throw error;
    }
  }

  async release(campaignId: string, householdId: string, batchId: string): Promise<void> {
    await this.conditional({
      ...this.key(campaignId, householdId),
      UpdateExpression: 'REMOVE batchId, paymentState',
      ConditionExpression: 'batchId = :b AND paymentState = :batched',
      ExpressionAttributeValues: { ':b': batchId, ':batched': 'batched' },
    });
  }

  async advance(
    campaignId: string,
    householdId: string,
    batchId: string,
    from: readonly PaymentState[],
    to: PaymentState,
  ): Promise<boolean> {
    const names = from.map((_, i) => `:from${i}`);
    return this.conditional({
      ...this.key(campaignId, householdId),
      UpdateExpression: 'SET paymentState = :to',
      ConditionExpression: `batchId = :b AND paymentState IN (${names.join(', ')})`,
      ExpressionAttributeValues: {
        ':b': batchId,
        ':to': to,
        ...Object.fromEntries(from.map((state, i) => [`:from${i}`, state])),
      },
    });
  }

  async markPaid(
    campaignId: string,
    householdId: string,
    paid: { reference: string; batchId: string; at: string },
  ): Promise<MarkPaidResult> {
    const marked = await this.conditional({
      ...this.key(campaignId, householdId),
      UpdateExpression: 'SET paymentState = :paid, paidReference = :ref, paidBatchId = :b, paidAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(paidReference)',
      ExpressionAttributeValues: {
        ':paid': 'paid',
        ':ref': paid.reference,
        ':b': paid.batchId,
        ':at': paid.at,
      },
    });
    if (marked) return 'marked';
    const current = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: operationsKeys.enrollment(campaignId, householdId),
        ConsistentRead: true,
      }),
    );
    const paidUnder = current.Item?.paidReference;
    if (typeof paidUnder !== 'string')
      throw new Error(`No enrollment ${campaignId}/${householdId} to mark paid`);
    return paidUnder === paid.reference ? 'already' : { paidUnder };
  }

  async markFailed(
    campaignId: string,
    householdId: string,
    batchId: string,
    retryAfter?: string,
  ): Promise<boolean> {
    return this.conditional({
      ...this.key(campaignId, householdId),
      UpdateExpression: retryAfter
        ? 'SET paymentState = :failed, retryAfter = if_not_exists(retryAfter, :after)'
        : 'SET paymentState = :failed',
      ConditionExpression: 'batchId = :b AND attribute_not_exists(paidReference)',
      ExpressionAttributeValues: {
        ':b': batchId,
        ':failed': 'failed',
        ...(retryAfter ? { ':after': retryAfter } : {}),
      },
    });
  }

  async hold(
    campaignId: string,
    householdId: string,
    hold: { reason: string; at: string; until: string },
  ): Promise<void> {
    await this.conditional({
      ...this.key(campaignId, householdId),
      UpdateExpression: 'SET paymentHold = :hold',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(paidReference)',
      ExpressionAttributeValues: { ':hold': hold },
    });
  }

  async confirmFailure(
    campaignId: string,
    householdId: string,
    batchId: string,
    by: string,
  ): Promise<boolean> {
    return this.conditional({
      ...this.key(campaignId, householdId),
      UpdateExpression: 'SET failureConfirmedBy = :by',
      ConditionExpression: 'batchId = :b AND paymentState = :failed AND attribute_not_exists(paidReference)',
      ExpressionAttributeValues: { ':b': batchId, ':failed': 'failed', ':by': by },
    });
  }

  private key(campaignId: string, householdId: string) {
    return { TableName: this.table, Key: operationsKeys.enrollment(campaignId, householdId) };
  }

  private async conditional(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
