import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Enrollment, type EnrollmentStore, enrollmentKey, operationsKeys } from '@madad/core';
import { batchGetAll } from './dynamodb-batch.js';

function strip(item: Record<string, unknown>): Enrollment {
  const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, type: _t, ...rest } = item;
  return rest as unknown as Enrollment;
}

/** Enrollments in the operations table, indexed by campaign and district for payment batches. */
export class DynamoDbEnrollmentStore implements EnrollmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(
    pairs: readonly { campaignId: string; householdId: string }[],
  ): Promise<Map<string, Enrollment>> {
    const unique = [...new Map(pairs.map((p) => [enrollmentKey(p.campaignId, p.householdId), p])).values()];
    const items = await batchGetAll(
      this.doc,
      this.table,
      unique.map((p) => operationsKeys.enrollment(p.campaignId, p.householdId)),
    );
    return new Map(
      items.map((item) => {
        const e = strip(item);
        return [enrollmentKey(e.campaignId, e.householdId), e];
      }),
    );
  }

  async enroll(
    enrollment: Enrollment,
  ): Promise<{ created: true } | { created: false; existing: Enrollment }> {
    const key = operationsKeys.enrollment(enrollment.campaignId, enrollment.householdId);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            type: 'ENROLLMENT',
            ...enrollment,
            gsi2pk: operationsKeys.enrollmentsByDistrict(enrollment.campaignId, enrollment.district),
            gsi2sk: `${enrollment.enrolledAt}#${enrollment.householdId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          // The enrollment that was there comes back with the refusal: no second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item
        ? unmarshall(error.Item)
        : (await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })))
            .Item;
      if (!item) throw error;
      return { created: false, existing: strip(item) };
    }
  }

  async revoke(campaignId: string, householdId: string, messageId: string, _at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: operationsKeys.enrollment(campaignId, householdId),
          ConditionExpression: 'messageId = :m AND attribute_not_exists(batchId)',
          ExpressionAttributeValues: { ':m': messageId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
