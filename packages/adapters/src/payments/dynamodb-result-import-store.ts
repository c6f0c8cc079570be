import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  type PaymentResult,
  PaymentResultSchema,
  RESULT_CHUNK_SIZE,
  type ResultImport,
  type ResultImportStatus,
  type ResultImportStore,
} from '@madad/core';
import * as z from 'zod';
import { operationsKeys } from '../keys.js';
import { batchPutAll } from '../runtime/dynamodb-batch.js';

type Item = Record<string, unknown>;

/** Imports live in their batch's partition, beside its lines: `IMPORT#<id>` and `IMPORT#<id>#C#<n>`. */
const IMPORT_PREFIX = 'IMPORT#';
const headerKey = (batchId: string, importId: string) => ({
  pk: operationsKeys.paymentBatchPartition(batchId),
  sk: `${IMPORT_PREFIX}${importId}`,
});
const chunkKey = (batchId: string, importId: string, n: number) => ({
  pk: operationsKeys.paymentBatchPartition(batchId),
  sk: `${IMPORT_PREFIX}${importId}#C#${String(n).padStart(4, '0')}`,
});

const HeaderSchema = z.object({
  importId: z.string(),
  batchId: z.string(),
  campaignId: z.string(),
  status: z.enum(['staged', 'applying', 'applied']),
  uploadedBy: z.string(),
  uploaderRole: z.string().optional(),
  uploadedAt: z.string(),
  confirmedBy: z.string().optional(),
  confirmerRole: z.string().optional(),
  confirmedAt: z.string().optional(),
  received: z.number(),
  known: z.number(),
  filePaid: z.number(),
  fileFailed: z.number(),
  unknownReferences: z.array(z.string()),
});
const ChunkSchema = z.object({ results: z.array(PaymentResultSchema) });

function toHeader(item: Item): ResultImport {
  const { pk: _pk, sk: _sk, type: _t, ...rest } = item;
  return HeaderSchema.parse(rest);
}

/**
 * Staged result files: a header item and the results in chunks of {@link RESULT_CHUNK_SIZE} (well
 * under DynamoDB's item size). The chunks are written first and the header last, conditionally, so
 * an import is visible only once complete and the same import is created once.
 */
export class DynamoDbResultImportStore implements ResultImportStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async stage(header: ResultImport, results: readonly PaymentResult[]): Promise<'created' | 'exists'> {
    if (await this.get(header.batchId, header.importId)) return 'exists';
    const chunks: Item[] = [];
    for (let i = 0; i * RESULT_CHUNK_SIZE < results.length; i++) {
      chunks.push({
        ...chunkKey(header.batchId, header.importId, i),
        type: 'RESULT_CHUNK',
        results: results.slice(i * RESULT_CHUNK_SIZE, (i + 1) * RESULT_CHUNK_SIZE),
      });
    }
    await batchPutAll(this.doc, this.table, chunks);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...headerKey(header.batchId, header.importId), type: 'RESULT_IMPORT', ...header },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async get(batchId: string, importId: string): Promise<ResultImport | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: headerKey(batchId, importId), ConsistentRead: true }),
    );
    return result.Item ? toHeader(result.Item) : undefined;
  }

  async results(batchId: string, importId: string): Promise<PaymentResult[]> {
    const items = await this.query(batchId, `${IMPORT_PREFIX}${importId}#C#`);
    return items
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .flatMap((item) => ChunkSchema.parse(item).results);
  }

  async transition(
    batchId: string,
    importId: string,
    from: ResultImportStatus,
    to: ResultImport,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...headerKey(batchId, importId), type: 'RESULT_IMPORT', ...to },
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(batchId: string): Promise<ResultImport[]> {
    const items = await this.query(batchId, IMPORT_PREFIX);
    return items.filter((item) => item.type === 'RESULT_IMPORT').map(toHeader);
  }

  private async query(batchId: string, prefix: string): Promise<Item[]> {
    const items: Item[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': operationsKeys.paymentBatchPartition(batchId),
          ':prefix': prefix,
        },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }
}
