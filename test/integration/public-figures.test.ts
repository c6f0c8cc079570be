import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { declareLahoreCampaign } from '../support/stack-fixtures.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ seed: true });
}, 60_000);

afterAll(async () => {
  await t.stop();
});

describe('small cells on the public campaign page, on the embedded stack', () => {
  it('after one SMS from the only registrant of Lahore City, the page names no tehsil and shows no count under 5', async () => {
    // Arrange: a campaign over Lahore without vertical expansion, so the SMS is its only decision.
    const campaignId = await declareLahoreCampaign(t, 'Lahore small cells');

    // Act: one SMS; wait until the staff's live figures count it in Lahore City.
    const sent = await t.sms({ from: '+923001234567', text: '35202-1234567-2', messageId: 'small-cells-1' });
    expect(sent.status).toBe(200);
    const live = await waitFor(
      async () => {
        const stats = (await (
          await t.staff(`/api/v1/campaigns/${campaignId}/stats`, ['auditor'])
        ).json()) as {
          byTehsil: Record<string, Record<string, Record<string, number>>>;
        };
        return stats.byTehsil.Lahore?.['Lahore City'];
      },
      30_000,
      'the live counters of Lahore City',
    );
    const page = await fetch(`${t.stack.httpUrl}/campaigns/${campaignId}`);
    const html = await page.text();

    // Assert: staff see the live count; the public page does not name the area nor give a count.
    expect(Object.values(live).reduce((a, b) => a + b, 0)).toBe(1);
    expect(page.status).toBe(200);
    expect(html).not.toContain('Lahore City');
    expect(html).not.toContain('id="by-area"');
    expect(html).toContain(
      '<b id="total-registered"><span data-suppressed="fewer-than-5">fewer than 5</span></b>',
    );
    expect(html).toMatch(
      /Figures as of <span id="as-of" dir="ltr">\d{1,2} \w{3} \d{4}, \d{2}:00 PKT<\/span>/,
    );
  });
});
