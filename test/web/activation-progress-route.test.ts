import type { ActivationPageRecord, ActivationProgressStore } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { webFakes } from './web-fakes.js';

function memoryProgress(records: ActivationPageRecord[]): ActivationProgressStore {
  return { recordPage: async (_id, page) => void records.push(page), pages: async () => [...records] };
}

const page = (item: number, pageNo: number, households: number, last: boolean): ActivationPageRecord => ({
  item,
  items: 2,
  page: pageNo,
  households,
  last,
  at: `2026-03-01T10:00:0${item + pageNo}Z`,
});

describe('GET /api/v1/campaigns/:id/activation', () => {
  it("sums the activation's page records: items done of planned, pages and households read", async () => {
    // Arrange: item 0 finished in two pages, item 1 has read one page and has more to come.
    const web = webFakes({
      activationProgress: memoryProgress([
        page(0, 0, 100, false),
        page(0, 1, 40, true),
        page(1, 0, 100, false),
      ]),
    });
    const campaign = await web.addCampaign('active');
    const token = (await web.cookieFor('amina', ['emergency-cell'])).split('=')[1] ?? '';

    // Act
    const response = await web.request(`/api/v1/campaigns/${campaign.campaignId}/activation`, {
      headers: { authorization: `Bearer ${token}` },
    });

    // Assert
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      campaignId: campaign.campaignId,
      items: 2,
      itemsDone: 1,
      pages: 3,
      households: 240,
      done: false,
      startedAt: '2026-03-01T10:00:00Z',
      lastPageAt: '2026-03-01T10:00:01Z',
    });
  });

  it('answers 404 for a campaign that does not exist', async () => {
    const web = webFakes({ activationProgress: memoryProgress([]) });
    const token = (await web.cookieFor('amina', ['emergency-cell'])).split('=')[1] ?? '';

    const response = await web.request('/api/v1/campaigns/C-NOSUCH/activation', {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(404);
  });
});
