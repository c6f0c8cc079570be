import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ReferenceEntry, ReferenceIndex } from '@madad/core';
import * as z from 'zod';
import { batchPutAll } from '../runtime/dynamodb-batch.js';

/** A reference's item in the operations table: its own partition, so a lookup is one GetItem. */
export const referenceKey = (reference: string) => ({ pk: `REF#${reference}`, sk: 'REF' });

const EntrySchema = z.object({
  reference: z.string(),
  cnicHash: z.string(),
  campaignId: z.string(),
});

/**
 * Whose each reference is: one small item per reference told to a household (its first in a
 * campaign, or one learnt from its household), so the status page finds SMS and top-up references
 * as it finds a web registration by its own record. A plain put: the same entry twice is one item.
 */
export class DynamoDbReferenceIndex implements ReferenceIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** A batch's entries in `BatchWriteItem`s of 25 (each reference once: a batch may tell one twice). */
  async put(entries: readonly ReferenceEntry[]): Promise<void> {
    const unique = new Map(entries.map((entry) => [entry.reference, entry]));
    await batchPutAll(
      this.doc,
      this.table,
      [...unique.values()].map((entry) => ({
        ...referenceKey(entry.reference),
        type: 'REFERENCE',
        ...entry,
      })),
    );
  }

  async get(reference: string): Promise<ReferenceEntry | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: referenceKey(reference) }),
    );
    if (!result.Item) return undefined;
    const { reference: ref, cnicHash, campaignId } = EntrySchema.parse(result.Item);
    return { reference: ref, cnicHash, campaignId };
  }
}
