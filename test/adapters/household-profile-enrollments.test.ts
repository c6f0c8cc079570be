import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CorruptItemError, DynamoDbHouseholdProfileReads } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const ddbMock = mockClient(DynamoDBDocumentClient);
const reads = new DynamoDbHouseholdProfileReads(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  'registry',
  'ops',
);

const stored = {
  pk: 'ENR#C-1',
  sk: 'HH#H-1',
  gsi2pk: 'PAY#C-1#Jacobabad',
  gsi2sk: 'H-1',
  type: 'ENROLLMENT',
  campaignId: 'C-1',
  householdId: 'H-1',
  messageId: 'vertical:C-1:H-1',
  reference: 'MD-7Q2K9',
  cnicHash: 'hash-1',
  category: 'TOP_UP',
  amount: 7000,
  district: 'Jacobabad',
  tehsil: 'Thul',
  ruleSetVersion: 'v1',
  channel: 'vertical',
  enrolledAt: '2026-12-07T10:00:00.000Z',
  capState: 'enrolled',
  batchId: 'B-1',
  paymentState: 'paid',
  paidReference: 'BANK-1',
  paidAt: '2026-12-07T12:00:00.000Z',
};

afterEach(() => {
  ddbMock.reset();
});

describe("the household profile's enrollments", () => {
  it('reads an enrollment through the core schema, payment fields kept and item keys dropped', async () => {
    ddbMock.on(BatchGetCommand).resolves({ Responses: { ops: [stored] } });

    const [enrollment] = await reads.enrollments('H-1', ['C-1']);

    expect(enrollment).toMatchObject({ householdId: 'H-1', paymentState: 'paid', paidAt: stored.paidAt });
    expect(enrollment).not.toHaveProperty('pk');
    expect(enrollment).not.toHaveProperty('gsi2pk');
  });

  it('refuses a corrupt enrollment by name instead of showing a wrong amount', async () => {
    ddbMock.on(BatchGetCommand).resolves({ Responses: { ops: [{ ...stored, amount: '7000' }] } });

    await expect(reads.enrollments('H-1', ['C-1'])).rejects.toBeInstanceOf(CorruptItemError);
  });
});
