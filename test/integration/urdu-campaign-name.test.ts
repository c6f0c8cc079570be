import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { declareLahoreCampaign } from '../support/stack-fixtures.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ seed: true });
});

afterAll(async () => {
  await t?.stop();
});

describe('a campaign’s Urdu name, on the embedded stack', () => {
  it('is stored with the campaign and named by the reconciler in its Urdu reply, never the Latin name', async () => {
    // Arrange: a campaign over Lahore with no vertical expansion, so the SMS is decided by the reconciler.
    const campaignId = await declareLahoreCampaign(t, 'Lahore rains');

    // Act: the demo household writes its CNIC in Urdu digits from its own phone.
    const sent = await t.sms({ from: '+923001234567', text: '۳۵۲۰۲-۱۲۳۴۵۶۷-۲', messageId: 'urdu-name-1' });
    expect(sent.status).toBe(200);
    const reply = await waitFor(
      async () => {
        const response = await t.staff('/api/v1/sms/outbound?to=%2B923001234567', ['auditor']);
        const { items } = (await response.json()) as { items: { text: string }[] };
        return items[0]?.text;
      },
      30_000,
      'the reply to the Urdu registration',
    );
    const stored = (await (await t.staff(`/api/v1/campaigns/${campaignId}`, ['auditor'])).json()) as {
      nameUr?: string;
    };

    // Assert
    expect(stored.nameUr).toBe('لاہور سیلاب');
    expect(reply).toContain('لاہور سیلاب');
    expect(reply).not.toContain('Lahore rains');
  });
});
