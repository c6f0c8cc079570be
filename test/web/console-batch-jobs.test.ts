import { runBatchWork } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { FLOOD, webFakes } from './web-fakes.js';

const DISTRICTS = ['Dadu', 'Sanghar'];

/** A campaign over two districts with six enrolled households, each with a living woman payee. */
async function campaignWithSix() {
  const web = webFakes();
  const campaign = await web.addCampaign('active', {
    ...FLOOD,
    areas: DISTRICTS.map((district) => ({ district })),
  });
  for (let i = 1; i <= 6; i++) {
    const householdId = `HH-${i}`;
    web.payments.enrollments.set(`${campaign.campaignId}|${householdId}`, {
      campaignId: campaign.campaignId,
      householdId,
      messageId: `vertical:${householdId}`,
      reference: `REF${i}`,
      cnicHash: `woman-${i}`,
      category: 'TOP_UP',
      amount: 10_000,
      district: DISTRICTS[i % 2] ?? 'Dadu',
      tehsil: 'T',
      ruleSetVersion: campaign.ruleSetVersion,
      channel: 'vertical',
      enrolledAt: '2026-02-02T00:00:00Z',
    });
    web.payments.households.set(householdId, [
      {
        cnicHash: `woman-${i}`,
        cnic: `41303-100000${i}-2`,
        cnicMasked: 'y',
        name: `Zainab ${i}`,
        relation: 'head',
        gender: 'female',
        identityStatus: 'ALIVE',
      },
    ]);
  }
  return { web, campaign };
}

describe("the console's payment batches page", () => {
  it("starts a batch job from the maker's form and shows its progress until every district is done", async () => {
    // Arrange
    const { web, campaign } = await campaignWithSix();
    const maker = await web.cookieFor('pat', ['program-officer']);
    const page = `/console/campaigns/${campaign.campaignId}/payments`;

    // Act
    const started = await web.form(`${page}/jobs`, { maxLines: '2' }, undefined, maker);
    const running = await (await web.request(page, { headers: { cookie: maker } })).text();
    for (const item of web.batchJobs.sent) {
      await runBatchWork({ ...web.payments.deps, batchJobs: web.batchJobs.store }, item);
    }
    const done = await (await web.request(page, { headers: { cookie: maker } })).text();

    // Assert
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe(`${page}?done=job-started`);
    expect(web.batchJobs.sent.map((s) => s.maker.user)).toEqual(['pat', 'pat']);
    expect(running).toMatch(/<span class="tag">running<\/span><\/td><td class="n">0 \/ 2<\/td>/);
    expect(done).toMatch(
      /<span class="tag">done<\/span><\/td><td class="n">2 \/ 2<\/td><td class="n">4<\/td><td class="n">6<\/td>/,
    );
  });

  it('shows the job form to makers only', async () => {
    const { web, campaign } = await campaignWithSix();
    const page = `/console/campaigns/${campaign.campaignId}/payments`;
    const approver = await web.cookieFor('sam', ['approver']);

    const checkerView = await (await web.request(page, { headers: { cookie: approver } })).text();
    const refused = await web.form(`${page}/jobs`, { maxLines: '2' }, undefined, approver);

    expect(checkerView).not.toContain('id="start-batch-job"');
    expect(refused.status).toBe(403);
    expect(web.batchJobs.sent).toHaveLength(0);
  });
});
