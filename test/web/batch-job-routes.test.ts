import { runBatchWork } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { FLOOD, type WebFakes, webFakes } from './web-fakes.js';

const DISTRICTS = ['Dadu', 'Sanghar'];

/** A campaign over two districts with `n` enrolled households, each with a living woman payee. */
async function campaignWith(n: number) {
  const web = webFakes();
  const campaign = await web.addCampaign('active', {
    ...FLOOD,
    areas: DISTRICTS.map((district) => ({ district })),
  });
  for (let i = 1; i <= n; i++) {
    const householdId = `HH-${String(i).padStart(4, '0')}`;
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

async function call(
  web: WebFakes,
  path: string,
  roles: Parameters<WebFakes['cookieFor']>[1],
  body?: unknown,
) {
  const token = (await web.cookieFor('maker-ayesha', roles)).split('=')[1] ?? '';
  const response = await web.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/v1/payment-batch-jobs', () => {
  it('queues one work item a district and answers the job, whose progress GET then follows to done', async () => {
    // Arrange: 23 households, 12 in Dadu and 11 in Sanghar.
    const { web, campaign } = await campaignWith(23);

    // Act
    const started = await call(web, '/api/v1/payment-batch-jobs', ['program-officer'], {
      campaignId: campaign.campaignId,
      maxLines: 5,
    });
    const jobId = String(started.body.jobId);
    for (const item of web.batchJobs.sent) {
      await runBatchWork({ ...web.payments.deps, batchJobs: web.batchJobs.store }, item);
    }
    const read = await call(web, `/api/v1/payment-batch-jobs/${jobId}`, ['approver']);
    const listed = await call(web, `/api/v1/payment-batch-jobs?campaignId=${campaign.campaignId}`, [
      'auditor',
    ]);

    // Assert
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: 'running',
      requestedBy: 'maker-ayesha',
      areas: { done: 0, total: 2 },
    });
    expect(web.batchJobs.sent.map((s) => s.district)).toEqual(DISTRICTS);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'done',
      areas: { done: 2, total: 2 },
      batches: 6,
      lines: 23,
      total: 230_000,
    });
    expect(listed.body.items).toEqual([read.body]);
    const batches = [...web.payments.batches.values()];
    expect(batches.every((b) => b.status === 'pending' && b.maker === 'maker-ayesha')).toBe(true);
  });

  it('refuses an approver (a checker never makes batches) and unknown fields', async () => {
    const { web, campaign } = await campaignWith(4);

    const checker = await call(web, '/api/v1/payment-batch-jobs', ['approver'], {
      campaignId: campaign.campaignId,
    });
    const misspelt = await call(web, '/api/v1/payment-batch-jobs', ['program-officer'], {
      campaignId: campaign.campaignId,
      distrct: 'Dadu',
    });

    expect(checker.status).toBe(403);
    expect(misspelt.status).toBe(400);
    expect(web.batchJobs.sent).toHaveLength(0);
  });

  it('answers 404 for a job that does not exist or an id of the wrong shape', async () => {
    const { web } = await campaignWith(1);

    expect((await call(web, '/api/v1/payment-batch-jobs/BJ-0000ABCD', ['approver'])).status).toBe(404);
    expect((await call(web, '/api/v1/payment-batch-jobs/nope', ['approver'])).status).toBe(404);
  });
});
