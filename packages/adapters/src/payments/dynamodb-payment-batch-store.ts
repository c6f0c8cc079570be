import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BatchStatus, LineOutcome, PaymentBatch, PaymentBatchStore, PaymentLine } from '@madad/core';
import { operationsKeys } from '../keys.js';
import { batchGetAll, batchPutAll } from '../runtime/dynamodb-batch.js';

type Item = Record<string, unknown>;

function strip<T>(item: Item): T {
  const { pk: _pk, sk: _sk, type: _t, gsi2pk: _g, gsi2sk: _s, ...rest } = item;
  return rest as T;
}

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Payment batches in the operations table: a header item and one item per line in the batch's
 * partition; the header is also on the byCampaign index so a campaign's batches can be listed.
 */
export class DynamoDbPaymentBatchStore implements PaymentBatchStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private headerItem(batch: PaymentBatch): Item {
    return {
      ...operationsKeys.paymentBatch(batch.batchId),
      type: 'PAYMENT_BATCH',
      ...batch,
      gsi2pk: operationsKeys.paymentBatchesByCampaign(batch.campaignId),
      gsi2sk: `${batch.createdAt}#${batch.batchId}`,
    };
  }

  async create(batch: PaymentBatch): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: this.headerItem(batch),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async putLines(lines: readonly PaymentLine[]): Promise<void> {
    await batchPutAll(
      this.doc,
      this.table,
      lines.map((line) => ({
        ...operationsKeys.paymentLine(line.batchId, line.paymentReference),
        type: 'PAYMENT_LINE',
        ...line,
      })),
    );
  }

  async get(batchId: string): Promise<PaymentBatch | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: operationsKeys.paymentBatch(batchId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? strip<PaymentBatch>(result.Item) : undefined;
  }

  async lines(batchId: string): Promise<PaymentLine[]> {
    return (
      await this.queryAll({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :line)',
        ExpressionAttributeValues: {
          ':pk': operationsKeys.paymentBatchPartition(batchId),
          ':line': operationsKeys.paymentLinePrefix,
        },
        ConsistentRead: true,
      })
    ).map((item) => strip<PaymentLine>(item));
  }

  /** The lines a page at a time, in key order (payment-reference order), for files of any size. */
  async *linePages(batchId: string, pageSize: number): AsyncIterable<PaymentLine[]> {
    const pages = paginateQuery(
      { client: this.doc, pageSize },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :line)',
        ExpressionAttributeValues: {
          ':pk': operationsKeys.paymentBatchPartition(batchId),
          ':line': operationsKeys.paymentLinePrefix,
        },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      const lines = (page.Items ?? []).map((item) => strip<PaymentLine>(item));
      if (lines.length > 0) yield lines;
    }
  }

  async linesByReference(batchId: string, references: readonly string[]): Promise<Map<string, PaymentLine>> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      [...new Set(references)].map((ref) => operationsKeys.paymentLine(batchId, ref)),
    );
    return new Map(items.map((item) => [String(item.paymentReference), strip<PaymentLine>(item)]));
  }

  async transition(batchId: string, from: BatchStatus, to: PaymentBatch): Promise<boolean> {
    return conditional(
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: this.headerItem({ ...to, batchId }),
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from },
        }),
      ),
    );
  }

  async listByCampaign(campaignId: string): Promise<PaymentBatch[]> {
    return (
      await this.queryAll({
        TableName: this.table,
        IndexName: 'byCampaign',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.paymentBatchesByCampaign(campaignId) },
      })
    ).map((item) => strip<PaymentBatch>(item));
  }

  async recordOutcome(
    line: PaymentLine,
    expected: LineOutcome | undefined,
    next: { outcome: LineOutcome; reason?: string; paidAt?: string; importId: string; uploadedBy: string },
  ): Promise<boolean> {
    const sets = [
      'outcome = :outcome',
      'outcomeAt = :now',
      'outcomeImportId = :importId',
      'outcomeUploadedBy = :uploadedBy',
    ];
    const values: Item = {
      ':outcome': next.outcome,
      ':now': new Date().toISOString(),
      ':importId': next.importId,
      ':uploadedBy': next.uploadedBy,
    };
    if (next.reason) {
      sets.push('outcomeReason = :reason');
      values[':reason'] = next.reason;
    }
    if (next.paidAt) {
      sets.push('paidAt = :paidAt');
      values[':paidAt'] = next.paidAt;
    }
    if (expected) values[':expected'] = expected;
    // A FAILED turned PAID keeps no failure reason: the final line is the same whatever the order.
    const remove = next.reason ? '' : ' REMOVE outcomeReason';
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.paymentLine(line.batchId, line.paymentReference),
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression: expected
            ? 'attribute_exists(pk) AND outcome = :expected'
            : 'attribute_exists(pk) AND attribute_not_exists(outcome)',
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async settleLine(line: PaymentLine, outcome: LineOutcome, duplicateOf?: string): Promise<boolean> {
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.paymentLine(line.batchId, line.paymentReference),
          UpdateExpression: duplicateOf
            ? 'SET settledOutcome = :o, duplicateOf = :d'
            : 'SET settledOutcome = :o REMOVE duplicateOf',
          ConditionExpression: 'outcome = :o',
          ExpressionAttributeValues: { ':o': outcome, ...(duplicateOf ? { ':d': duplicateOf } : {}) },
        }),
      ),
    );
  }

  async confirmFailure(
    line: PaymentLine,
    confirmation: { by: string; at: string; id: string },
  ): Promise<boolean> {
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.paymentLine(line.batchId, line.paymentReference),
          UpdateExpression:
            'SET failureConfirmedBy = :by, failureConfirmedAt = :at, failureConfirmationId = :id',
          ConditionExpression: 'outcome = :failed AND attribute_not_exists(failureConfirmedBy)',
          ExpressionAttributeValues: {
            ':by': confirmation.by,
            ':at': confirmation.at,
            ':id': confirmation.id,
            ':failed': 'FAILED',
          },
        }),
      ),
    );
  }

  async completeFailureConfirmation(line: PaymentLine): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.paymentLine(line.batchId, line.paymentReference),
        UpdateExpression: 'SET failureConfirmationDone = :done',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':done': true },
      }),
    );
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of paginateQuery({ client: this.doc }, input)) items.push(...(page.Items ?? []));
    return items;
  }
}
