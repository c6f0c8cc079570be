import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Decision, maskPhone, type RegistrationRecord } from '@madad/core';
import { operationsKeys } from '../keys.js';

/** Decisions staff should look at: a phone over its limit, or a CNIC the ID authority does not confirm. */
export const FLAGGED_STATUSES = ['RATE_LIMITED', 'IDENTITY_MISMATCH'] as const;
export type FlaggedStatus = (typeof FLAGGED_STATUSES)[number];
const FLAGGED_SHARDS = 8;

/** A flagged case as the review queue shows it: no CNIC, the phone masked. */
export interface FlaggedCase {
  readonly messageId: string;
  readonly reference: string;
  readonly channel: string;
  readonly phoneMasked: string;
  readonly status: FlaggedStatus;
  readonly reasons: readonly string[];
  readonly decidedAt: string;
  /** Whose CNIC the message named (the console links the case to their household's profile). */
  readonly cnicHash?: string;
}

const isFlagged = (status: string): status is FlaggedStatus =>
  (FLAGGED_STATUSES as readonly string[]).includes(status);

const shardOf = (messageId: string) =>
  (createHash('sha1').update(messageId).digest()[0] ?? 0) % FLAGGED_SHARDS;

/**
 * The byCampaign index attributes that list a flagged registration for review. Only for decisions
 * outside a campaign (flags are decided before any area rule); a campaign's decisions use that index
 * for their own listing.
 */
export function flaggedIndexAttributes(registration: RegistrationRecord): Record<string, string> {
  const decision = registration.decision;
  if (!decision || decision.campaignId || !isFlagged(decision.status)) return {};
  return {
    gsi2pk: operationsKeys.flaggedDecisions(decision.status, shardOf(registration.messageId)),
    gsi2sk: `${decision.decidedAt}#${registration.messageId}`,
  };
}

/** Reads the review queue's flagged cases, newest first, from every shard of the index. */
export class DynamoDbFlaggedDecisions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(status: FlaggedStatus, limit: number): Promise<FlaggedCase[]> {
    const pages = await Promise.all(
      Array.from({ length: FLAGGED_SHARDS }, (_, shard) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byCampaign',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': operationsKeys.flaggedDecisions(status, shard) },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((page) => page.Items ?? [])
      .sort((a, b) => String(b.gsi2sk).localeCompare(String(a.gsi2sk)))
      .slice(0, limit)
      .map((item) => {
        const decision = item.decision as Decision;
        return {
          messageId: String(item.messageId),
          reference: String(item.reference),
          channel: String(item.channel),
          phoneMasked: maskPhone(String(item.from)),
          status,
          reasons: decision.reasons,
          decidedAt: decision.decidedAt,
          ...(typeof item.cnicHash === 'string' ? { cnicHash: item.cnicHash } : {}),
        };
      });
  }
}
