import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { ReferenceEntry, ReferenceIndex } from '@madad/core';
import * as z from 'zod';

const NO_CAMPAIGN = '-';

/** What a stored registration record says about the reference its reply carried. */
const RecordSchema = z.object({
  reference: z.string(),
  cnicHash: z.string(),
  channel: z.string(),
  tied: z.boolean().optional(),
  reply: z.object({ text: z.string() }).optional(),
  notice: z.object({ text: z.string() }).optional(),
  decision: z.object({ campaignId: z.string().optional() }).optional(),
});

/**
 * Indexes the references sent before the reference index existed (one per SMS message then): a
 * one-off operator pass, `npx madad references backfill`, the only Scan of the operations table, run
 * outside any request or consumer path. A reference is written only when it was told to the household
 * alone: in the reply to a tied phone, or in the notice to the household's phone when a stranger's
 * SMS was answered without it. A web reference a stranger was shown never leads to the household.
 * Idempotent: a second pass writes the same items.
 */
export async function backfillReferences(
  doc: DynamoDBDocumentClient,
  table: string,
  references: ReferenceIndex,
): Promise<{ scanned: number; written: number }> {
  let scanned = 0;
  let written = 0;
  const pages = paginateScan(
    { client: doc, pageSize: 500 },
    {
      TableName: table,
      FilterExpression: '#type = :registration AND attribute_exists(cnicHash)',
      ProjectionExpression: 'reference, cnicHash, channel, tied, reply, notice, decision.campaignId',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':registration': 'REGISTRATION' },
    },
  );
  for await (const page of pages) {
    scanned += page.ScannedCount ?? 0;
    const entries: ReferenceEntry[] = [];
    for (const item of page.Items ?? []) {
      const record = RecordSchema.safeParse(item);
      if (!record.success) continue;
      const { reference, cnicHash, channel, tied, reply, notice, decision } = record.data;
      const inReply = reply?.text.includes(reference) ?? false;
      const inNotice = notice?.text.includes(reference) ?? false;
      const told = tied === true ? inReply || inNotice : channel === 'sms' && inNotice && !inReply;
      if (told) entries.push({ reference, cnicHash, campaignId: decision?.campaignId ?? NO_CAMPAIGN });
    }
    if (entries.length > 0) await references.put(entries);
    written += entries.length;
  }
  return { scanned, written };
}
