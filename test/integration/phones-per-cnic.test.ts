import { DynamoDbCnicPhones, getRuntime } from '@madad/adapters';
import { DEMO_CNIC } from '@madad/local';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { registrationsById } from '../support/registrations.js';

/**
 * Issue 14, finding 4, on the embedded stack: one CNIC registered from eight phones at once, each in
 * its own reconciler batch; exactly `phonesPerCnic` are decided and the rest flagged for review.
 */
const PHONES_PER_CNIC = 5;
const PHONES = 8;
/** The seeded CNICs the ID authority knows (decided within the campaign), one a repetition. */
const CNICS = [DEMO_CNIC, '4210112345673'];
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let t: TestStack;
let handler: Handler;

beforeAll(async () => {
  t = await startTestStack();
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Phones per CNIC floods',
      nameUr: 'سیلاب',
      shockType: 'flood',
      areas: [{ district: 'Lahore' }, { district: 'Karachi Central' }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: {
        pmtThreshold: 100,
        exclusionFilters: [],
        amounts: { topUp: 6000, newBeneficiary: 12000 },
        regularProgramme: 'NO-SUCH-PROGRAMME',
      },
      budgetCap: 1_000_000,
      maxHouseholds: 100,
      limits: { cnicsPerPhone: 5, phonesPerCnic: PHONES_PER_CNIC },
    }),
  });
  expect(created.status).toBe(201);
  const { campaignId } = (await created.json()) as { campaignId: string };
  const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(activated.status).toBe(200);
  // Imported once the stack has set the environment: the handler binds its clients at load.
  ({ handler } = (await import('../../functions/reconciler/handler.js')) as unknown as { handler: Handler });
}, 60_000);

afterAll(async () => {
  await t.stop();
});

function sqsRecord(from: string, text: string, messageId: string): SQSRecord {
  const at = new Date().toISOString();
  return {
    messageId: `sqs-${messageId}`,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify({
      from,
      to: '8171',
      text,
      messageId,
      receivedAt: at,
      channel: 'sms',
      acceptedAt: at,
    }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.parse(at)),
      SenderId: 'AROAEXAMPLE:madad-test-api',
      ApproximateFirstReceiveTimestamp: String(Date.parse(at)),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-south-1:123456789012:madad-test-registrations',
    awsRegion: 'ap-south-1',
  };
}

describe('limits.phonesPerCnic under concurrency', () => {
  it('decides exactly phonesPerCnic of one CNIC’s phones and flags the rest for review, every time', async () => {
    for (const [rep, cnic] of CNICS.entries()) {
      const phones = Array.from({ length: PHONES }, (_, i) => `+92333${rep}${String(100_000 + i)}`);
      const ids = phones.map((_, i) => `ppc-${rep}-${i}`);

      const results = await Promise.all(
        phones.map((phone, i) => handler({ Records: [sqsRecord(phone, cnic, ids[i] ?? '')] }, lambdaContext)),
      );

      for (const result of results) expect(result.batchItemFailures).toEqual([]);
      const recorded = await registrationsById(phones, ids);
      expect(recorded).toHaveLength(PHONES);
      const limited = recorded.filter((r) =>
        ((r.decision as { reasons?: string[] } | undefined)?.reasons ?? []).includes('CNIC_PHONES_LIMITED'),
      );
      expect(limited, `CNIC ${rep}`).toHaveLength(PHONES - PHONES_PER_CNIC);
      for (const r of limited) {
        expect(r.forReview).toBe(true);
        // Told so, whoever's phone it is: the flag is about the sender, not the household's outcome.
        // A bare CNIC is answered in Roman Urdu: "amla jaiza lega" is "staff will review it".
        expect((r.reply as { text?: string } | undefined)?.text).toContain('amla jaiza lega');
      }
    }
  }, 120_000);

  it('gives concurrent new phones distinct places and a known phone its own place again, 20 times', async () => {
    const { config, doc } = getRuntime();
    const store = new DynamoDbCnicPhones(doc, config.tables.operations);
    for (let rep = 0; rep < 20; rep++) {
      const phones = Array.from(
        { length: 12 },
        (_, i) => `+92344${String(rep).padStart(2, '0')}${String(10_000 + i)}`,
      );

      const places = await Promise.all(phones.map((p) => store.rankPhone(`h-${rep}`, 'C-EXACT', p)));
      const again = await Promise.all(phones.map((p) => store.rankPhone(`h-${rep}`, 'C-EXACT', p)));

      expect(
        [...places].sort((a, b) => a - b),
        `repetition ${rep}`,
      ).toEqual(phones.map((_, i) => i + 1));
      expect(again).toEqual(places);
    }
  }, 60_000);
});
