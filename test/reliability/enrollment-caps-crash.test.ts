import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { capShardKey, DynamoDbCampaignStore, issueStaffToken, operationsKeys } from '@madad/adapters';
import { type HouseholdImport, signWebhook } from '@madad/core';
import { describe, expect, it } from 'vitest';
import type { ChildStack } from '../support/child-stack.js';
import { crashableStack } from '../support/crash-stack.js';
import { waitFor } from '../support/local-stack.js';
import { seedRegistry, stackCampaign } from '../support/stack-fixtures.js';

const CAMPAIGN = 'C-CAPCRASH';
const CAP = 3;
const HOUSEHOLDS = 6;
const QUICK_REDELIVERY = { MADAD_VISIBILITY_TIMEOUT_SECONDS: '2' };
const crash = crashableStack('madad-cap-crash-');
let stack: ChildStack | undefined;

const cnicOf = (n: number) => `42201${String(n).padStart(7, '0')}2`;
const phoneOf = (n: number) => `+92301${String(2_000_000 + n)}`;

function household(n: number): HouseholdImport {
  return {
    householdId: `HH-CAPCRASH-${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 10,
    surveyedAt: '2024-05-01',
    programmes: [],
    members: [
      {
        cnic: cnicOf(n),
        name: `Nasreen ${n}`,
        gender: 'female',
        birthYear: 1982,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
    phones: [phoneOf(n)],
    source: 'survey',
  };
}

async function seed(s: ChildStack, doc: DynamoDBDocumentClient) {
  const pepper = s.env.MADAD_CNIC_PEPPER ?? '';
  const campaign = stackCampaign(
    CAMPAIGN,
    {
      name: 'Capped crash floods',
      closesAt: '2036-06-01T00:00:00.000Z',
      budgetCap: 1_000_000,
      maxHouseholds: CAP,
      capShards: 1,
    },
    { topUp: 6000, newBeneficiary: 12000 },
  );
  await new DynamoDbCampaignStore(doc, s.env.MADAD_TABLE_OPERATIONS ?? '').save(campaign, 0);
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => household(i + 1));
  await seedRegistry(doc, s.env.MADAD_TABLE_REGISTRY ?? '', pepper, households);
}

async function sms(s: ChildStack, n: number): Promise<Response> {
  const body = JSON.stringify({ from: phoneOf(n), to: '8171', text: cnicOf(n), messageId: `capcrash-${n}` });
  const secret = s.env.MADAD_SMS_WEBHOOK_SECRET ?? '';
  return fetch(`${s.httpUrl}/sms/inbound`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-madad-signature': signWebhook(secret, Math.floor(Date.now() / 1000), body),
    },
    body,
  });
}

async function decisionOf(s: ChildStack, n: number): Promise<string | undefined> {
  const token = await issueStaffToken(s.env.MADAD_JWT_SECRET ?? '', {
    user: 'officer-sana',
    roles: ['program-officer'],
  });
  const r = await fetch(
    `${s.httpUrl}/api/v1/registrations?messageId=capcrash-${n}&from=${encodeURIComponent(phoneOf(n))}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (r.status !== 200) return undefined;
  return ((await r.json()) as { decision?: { status: string } }).decision?.status;
}

describe('caps at enrollment across a SIGKILL of the embedded stack', () => {
  it('ends, after a kill between a reservation and its enrollment and a restart, never over the cap and nothing half-done', async () => {
    // Arrange: a maximum of three; the stack dies at the first reservation it makes.
    stack = await crash.start({ ...QUICK_REDELIVERY, MADAD_CRASH_AT: 'enroll.after-reserve' });
    await seed(stack, crash.doc());
    const exited = crash.exited();

    // Act: six households register; the reconciler is killed; the stack restarts and the queue redelivers.
    for (let n = 1; n <= HOUSEHOLDS; n++) expect((await sms(stack, n)).status).toBe(200);
    await exited;
    stack = await crash.start(QUICK_REDELIVERY);
    const restarted = stack;
    const decided = await waitFor(
      async () => {
        const all = await Promise.all(
          Array.from({ length: HOUSEHOLDS }, (_, i) => decisionOf(restarted, i + 1)),
        );
        return all.every((d) => d !== undefined) ? all : undefined;
      },
      60_000,
      'every registration decided after the restart',
    );

    // Assert
    const doc = crash.doc();
    const table = stack.env.MADAD_TABLE_OPERATIONS;
    const items = await Promise.all(
      Array.from(
        { length: HOUSEHOLDS },
        async (_, i) =>
          (
            await doc.send(
              new GetCommand({
                TableName: table,
                Key: operationsKeys.enrollment(CAMPAIGN, `HH-CAPCRASH-${i + 1}`),
                ConsistentRead: true,
              }),
            )
          ).Item,
      ),
    );
    const shard = (
      await doc.send(
        new GetCommand({ TableName: table, Key: capShardKey(CAMPAIGN, 0), ConsistentRead: true }),
      )
    ).Item;
    const enrolled = items.filter((e) => e?.capState === 'enrolled').length;
    const waitlisted = items.filter((e) => e?.capState === 'waitlisted').length;
    expect(enrolled + waitlisted).toBe(HOUSEHOLDS);
    // Reservations the kill cut off from their enrollment stay counted: the shard is full, the cap
    // never exceeded, and the last one made before the kill is recognised by the restarted stack.
    expect(enrolled).toBeLessThanOrEqual(CAP);
    expect(enrolled).toBeGreaterThanOrEqual(1);
    expect(shard?.households).toBe(CAP);
    expect(decided.filter((d) => d === 'ELIGIBLE')).toHaveLength(enrolled);
    expect(decided.filter((d) => d === 'WAITLISTED')).toHaveLength(waitlisted);
  }, 180_000);
});
