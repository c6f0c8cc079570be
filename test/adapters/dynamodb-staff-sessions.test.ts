import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStaffSessions } from '@madad/adapters';
import type { StaffSession } from '@madad/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const ddbMock = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbStaffSessions(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  'ops',
);
const SESSION: StaffSession = {
  sessionKey: 'a'.repeat(64),
  user: 'pat',
  roles: ['program-officer'],
  createdAt: '2026-12-07T08:00:00.000Z',
  expiresAt: '2026-12-07T16:00:00.000Z',
};

afterEach(() => {
  ddbMock.reset();
});

describe('DynamoDbStaffSessions', () => {
  it('writes a new session once, keyed by the hash, with the table’s expiry attribute at its end', async () => {
    ddbMock.on(PutCommand).resolves({});

    await store.put(SESSION);

    const input = ddbMock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.Item).toMatchObject({
      pk: `STAFFSESSION#${SESSION.sessionKey}`,
      sk: 'SESSION',
      user: 'pat',
      expiresAtEpoch: Date.parse(SESSION.expiresAt) / 1000,
    });
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('revokes a session by keeping it with its revocation time, and finds none to revoke for an unknown key', async () => {
    ddbMock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { ...SESSION, revokedAt: '2026-12-07T09:00:00.000Z' } })
      .rejects(new ConditionalCheckFailedException({ message: 'no item', $metadata: {} }));

    const revoked = await store.revoke(SESSION.sessionKey, new Date('2026-12-07T09:00:00Z'));
    const unknown = await store.revoke('b'.repeat(64), new Date('2026-12-07T09:00:00Z'));

    expect(revoked?.revokedAt).toBe('2026-12-07T09:00:00.000Z');
    expect(ddbMock.commandCalls(UpdateCommand)[0]?.args[0].input.UpdateExpression).toBe(
      'SET revokedAt = if_not_exists(revokedAt, :at)',
    );
    expect(unknown).toBeUndefined();
  });

  it('takes a sign-in transaction by deleting it, so a second take finds nothing', async () => {
    const transaction = {
      transactionKey: 'c'.repeat(64),
      state: 's',
      nonce: 'n',
      codeVerifier: 'v'.repeat(43),
      next: '/console/review',
      expiresAt: '2026-12-07T08:10:00.000Z',
    };
    ddbMock
      .on(DeleteCommand)
      .resolvesOnce({ Attributes: { pk: 'x', sk: 'y', ...transaction } })
      .resolves({});

    const first = await store.take(transaction.transactionKey);
    const second = await store.take(transaction.transactionKey);

    expect(first).toEqual(transaction);
    expect(second).toBeUndefined();
    expect(ddbMock.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: `SIGNIN#${transaction.transactionKey}`, sk: 'TRANSACTION' },
      ReturnValues: 'ALL_OLD',
    });
  });
});
