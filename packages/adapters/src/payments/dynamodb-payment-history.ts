import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LastPayment, PaymentHistory } from '@madad/core';
import * as z from 'zod';
import { batchGetAll } from '../runtime/dynamodb-batch.js';

/** One item per household paid at least once: `HHPAID#<householdId>`, whichever campaign paid it. */
const lastPaidKey = (householdId: string) => ({ pk: `HHPAID#${householdId}`, sk: 'LAST' });

const LastPaidSchema = z.object({
  householdId: z.string(),
  payeeCnicHash: z.string(),
  paymentReference: z.string(),
  paidAt: z.string(),
});

/** The last payment of each household, so a batch's checker sees payees changed since then. */
export class DynamoDbPaymentHistory implements PaymentHistory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async lastPaid(householdIds: readonly string[]): Promise<Map<string, LastPayment>> {
    const items = await batchGetAll(this.doc, this.table, [...new Set(householdIds)].map(lastPaidKey));
    return new Map(
      items.map((item) => {
        const { householdId, ...payment } = LastPaidSchema.parse(item);
        return [householdId, payment];
      }),
    );
  }

  async recordPaid(householdId: string, payment: LastPayment): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...lastPaidKey(householdId), type: 'LAST_PAID', householdId, ...payment },
          ConditionExpression: 'attribute_not_exists(pk) OR paidAt <= :at',
          ExpressionAttributeValues: { ':at': payment.paidAt },
        }),
      );
    } catch (error) {
      // A newer payment is recorded already: it stays.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
