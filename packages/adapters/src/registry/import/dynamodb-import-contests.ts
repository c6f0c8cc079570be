import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type ClaimTag, formatClaimTag } from './member-claims.js';

const importPk = (importId: string) => `IMPORT#${importId}`;
const position = (t: ClaimTag) => `${String(t.chunk).padStart(6, '0')}#${String(t.line).padStart(9, '0')}`;

/** A household that met another household's claim of the same import: the finisher decides it. */
export const ContestSchema = z.object({
  tag: z.string(),
  chunk: z.number().int().nonnegative(),
  line: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
  raw: z.string(),
  /** The validated household (JSON), so the finisher writes what the chunk would have written. */
  value: z.string(),
});
export type Contest = z.infer<typeof ContestSchema>;

/** A line the finisher refused: a contested household, or an earlier-written one it evicted. */
export const ResolvedRejectSchema = z.object({
  chunk: z.number().int().nonnegative(),
  line: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
  reason: z.string(),
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  input: z.string(),
  /** Evicted (it had been counted imported by its chunk): which household, under which claim. */
  evicted: z.union([z.literal(false), z.object({ householdId: z.string(), claim: z.string() })]),
});
export type ResolvedReject = z.infer<typeof ResolvedRejectSchema>;

/**
 * The contests of parallel imports and the finisher's refusals, beside the job in the operations
 * table (`IMPORT#<id>` / `CONTEST#<chunk>#<line>`, `REFUSED#<chunk>#<line>`), in file order.
 */
export class DynamoDbImportContests {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records a contest (a redelivered chunk records the same item again). */
  async contest(tag: ClaimTag, input: { raw: string; value: unknown }): Promise<void> {
    const item: Contest = {
      tag: formatClaimTag(tag),
      chunk: tag.chunk,
      line: tag.line,
      offset: tag.offset,
      raw: input.raw,
      value: JSON.stringify(input.value),
    };
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: importPk(tag.importId), sk: `CONTEST#${position(tag)}`, ...item },
      }),
    );
  }

  async contests(importId: string): Promise<Contest[]> {
    return (await this.query(importId, 'CONTEST#')).map((item) => ContestSchema.parse(item));
  }

  /** Records a refusal by the finisher (once a line: the same refusal again on a re-run). */
  async refuse(importId: string, reject: ResolvedReject): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: importPk(importId), sk: `REFUSED#${position({ importId, ...reject })}`, ...reject },
      }),
    );
  }

  async refusals(importId: string): Promise<ResolvedReject[]> {
    return (await this.query(importId, 'REFUSED#')).map((item) => ResolvedRejectSchema.parse(item));
  }

  private async query(importId: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': importPk(importId), ':prefix': prefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }
}
