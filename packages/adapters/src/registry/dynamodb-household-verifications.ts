import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  decisionStatuses,
  type HouseholdVerification,
  type ReasonCode,
  VERIFICATION_METHODS,
  VERIFICATION_OUTCOMES,
  type VerifiableHousehold,
  type VerificationStore,
  type VerifiedArea,
} from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../keys.js';
import { DynamoDbHouseholdChanges } from './dynamodb-household-changes.js';

const VerificationSchema = z.object({
  status: z.enum(['PROPOSED', 'COMPLETING', 'DONE']),
  outcome: z.enum(VERIFICATION_OUTCOMES),
  area: z.object({ province: z.string(), district: z.string(), tehsil: z.string() }),
  method: z.enum(VERIFICATION_METHODS),
  note: z.string(),
  reason: z.string().optional(),
  reasonCode: z.string().optional(),
  campaignId: z.string().optional(),
  ruleSetVersion: z.string().optional(),
  amount: z.number().optional(),
  proposedBy: z.string(),
  proposedRole: z.string(),
  proposedAt: z.string(),
  confirmedBy: z.string().optional(),
  confirmedRole: z.string().optional(),
  confirmedAt: z.string().optional(),
  result: z
    .object({
      status: z.enum(decisionStatuses),
      reference: z.string(),
      notice: z.object({ to: z.string(), text: z.string(), id: z.string() }).optional(),
    })
    .optional(),
});

/** The stored verification as the core types it (the reason code is one the flow chose). */
export function parseVerification(value: unknown): HouseholdVerification {
  const { reasonCode, ...rest } = VerificationSchema.parse(value);
  return { ...rest, ...(reasonCode ? { reasonCode: reasonCode as ReasonCode } : {}) };
}

const HouseholdSchema = z.looseObject({
  householdId: z.string(),
  status: z.string().optional(),
  phones: z.array(z.string()).optional(),
  pmtScore: z.number().optional(),
  members: z.array(z.looseObject({ cnicHash: z.string(), cnic: z.string().optional() })),
  verification: z.unknown().optional(),
});

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
 * The verification of provisional households, on the household item itself (`verification`): each
 * state change one conditional UpdateItem, so two officers acting at once give one outcome.
 */
export class DynamoDbHouseholdVerifications implements VerificationStore {
  private readonly views: DynamoDbHouseholdChanges;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.views = new DynamoDbHouseholdChanges(doc, table);
  }

  async read(householdId: string): Promise<VerifiableHousehold | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: registryKeys.household(householdId),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const item = HouseholdSchema.parse(result.Item);
    return {
      householdId: item.householdId,
      status: item.status === 'provisional' ? 'provisional' : 'active',
      phones: item.phones ?? [],
      pmtScore: item.pmtScore ?? 100,
      members: item.members.map((m) => ({ cnicHash: m.cnicHash, ...(m.cnic ? { cnic: m.cnic } : {}) })),
      ...(item.verification ? { verification: parseVerification(item.verification) } : {}),
    };
  }

  claim(
    householdId: string,
    from: 'NONE' | 'PROPOSED',
    next: HouseholdVerification,
    proposedAt?: string,
  ): Promise<boolean> {
    const condition =
      from === 'NONE'
        ? 'attribute_exists(pk) AND attribute_not_exists(verification) AND #status = :provisional'
        : 'verification.#status = :proposed AND verification.proposedAt = :proposedAt';
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: registryKeys.household(householdId),
          UpdateExpression: 'SET verification = :next',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':next': next,
            ...(from === 'NONE'
              ? { ':provisional': 'provisional' }
              : { ':proposed': 'PROPOSED', ':proposedAt': proposedAt ?? '' }),
          },
        }),
      ),
    );
  }

  release(householdId: string, proposedAt: string): Promise<boolean> {
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: registryKeys.household(householdId),
          UpdateExpression: 'REMOVE verification',
          ConditionExpression: 'verification.#status = :proposed AND verification.proposedAt = :proposedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':proposed': 'PROPOSED', ':proposedAt': proposedAt },
        }),
      ),
    );
  }

  async complete(
    householdId: string,
    area: VerifiedArea,
    result: NonNullable<HouseholdVerification['result']>,
  ): Promise<boolean> {
    const current = await this.read(householdId);
    if (!current || current.verification?.status === 'DONE') return false;
    const score = current.pmtScore;
    // An active registry household from now on, in its area's indexes (out of the provisional queue).
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: registryKeys.household(householdId),
          UpdateExpression:
            'SET province = :p, district = :d, tehsil = :t, #status = :active, verification.#status = :done, ' +
            'verification.#result = :result, gsi1pk = :g1, gsi1sk = :s',
          ConditionExpression: 'verification.#status = :completing',
          ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
          ExpressionAttributeValues: {
            ':p': area.province,
            ':d': area.district,
            ':t': area.tehsil,
            ':active': 'active',
            ':done': 'DONE',
            ':completing': 'COMPLETING',
            ':result': result,
            ':g1': registryKeys.districtIndex(area.district),
            ':s': registryKeys.scoreSortKey(score, householdId),
          },
        }),
      ),
    );
  }

  refreshViews(householdId: string): Promise<void> {
    return this.views.refreshViews(householdId);
  }
}
