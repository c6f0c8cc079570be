import {
  type PaymentBatch,
  type PaymentFileStore,
  type PaymentLine,
  paymentFileKey,
  renderInstructionsCsv,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, type WebFakes, webFakes } from './web-fakes.js';

/** The bucket in memory: what was written, in how many chunks, and links that name their lifetime. */
function memoryFiles() {
  const objects = new Map<string, { text: string; chunks: number }>();
  const files: PaymentFileStore = {
    write: async (key, chunks) => {
      let text = '';
      let count = 0;
      for await (const chunk of chunks) {
        text += chunk;
        count++;
      }
      objects.set(key, { text, chunks: count });
    },
    exists: async (key) => objects.has(key),
    presign: async (key, { seconds }) => `https://files.example/${key}?X-Amz-Expires=${seconds}`,
  };
  return { files, objects };
}

async function approvedBatch(web: WebFakes): Promise<{ batch: PaymentBatch; line: PaymentLine }> {
  const campaign = await web.addCampaign('active');
  const batch: PaymentBatch = {
    batchId: 'B-0000F11E',
    campaignId: campaign.campaignId,
    status: 'approved',
    lineCount: 1,
    total: 10000,
    maker: 'maker-1',
    approvedBy: 'checker-1',
    createdAt: NOW.toISOString(),
    approvedAt: NOW.toISOString(),
  };
  const line: PaymentLine = {
    batchId: batch.batchId,
    paymentReference: 'P-AAAABBBBCCCCDDDD',
    campaignId: campaign.campaignId,
    householdId: 'HH-1',
    attempt: 1,
    category: 'TOP_UP',
    amount: 10000,
    district: 'Lahore',
    payeeCnic: '35202-1234567-2',
    payeeCnicMasked: '35202-*****67-2',
    payeeName: 'Zainab Bibi',
    payeeCnicHash: 'h1',
  };
  web.payments.batches.set(batch.batchId, batch);
  await web.payments.deps.batches.putLines([line]);
  return { batch, line };
}

function world() {
  const store = memoryFiles();
  let web: WebFakes | undefined;
  const lines = {
    async *linePages(batchId: string) {
      yield (await web?.payments.deps.batches.lines(batchId)) ?? [];
    },
  };
  web = webFakes({ paymentFiles: { files: store.files, lines } });
  return { web, store };
}

describe('payment files in storage, from the console and the API', () => {
  it('writes the file from the batch page and hands each download out as a short-lived link, in the ledger', async () => {
    // Arrange
    const { web, store } = world();
    const { batch, line } = await approvedBatch(web);
    const cookie = await web.cookieFor('pat', ['program-officer']);
    const page = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie } })
    ).text();
    expect(page).toContain('id="write-file"');

    // Act
    const written = await web.form(`/console/payment-batches/${batch.batchId}/file`, {}, undefined, cookie);
    const first = await web.request(`/console/payment-batches/${batch.batchId}/file`, {
      headers: { cookie },
    });
    const second = await web.request(`/console/payment-batches/${batch.batchId}/file`, {
      headers: { cookie },
    });

    // Assert
    expect(written.status).toBe(303);
    expect(written.headers.get('location')).toBe(
      `/console/payment-batches/${batch.batchId}?done=file-written`,
    );
    const key = paymentFileKey(batch);
    expect(store.objects.get(key)?.text).toBe(renderInstructionsCsv([line]));
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`https://files.example/${key}?X-Amz-Expires=300`);
    expect(second.status).toBe(303);
    const actions = web.payments.audit.map((e) => [e.action, e.actor]);
    expect(actions).toEqual([
      ['payment-batch.export', 'pat'],
      ['payment-batch.download', 'pat'],
      ['payment-batch.download', 'pat'],
    ]);
  });

  it('gives the API a link as JSON for the file roles only', async () => {
    const { web } = world();
    const { batch } = await approvedBatch(web);
    const bearer = async (user: string, role: 'approver' | 'auditor') =>
      `Bearer ${(await web.cookieFor(user, [role])).split('=')[1] ?? ''}`;

    const made = await web.request(`/api/v1/payment-batches/${batch.batchId}/file`, {
      method: 'POST',
      headers: { authorization: await bearer('sam', 'approver') },
    });
    const link = await web.request(`/api/v1/payment-batches/${batch.batchId}/file`, {
      headers: { authorization: await bearer('sam', 'approver') },
    });
    const refused = await web.request(`/api/v1/payment-batches/${batch.batchId}/file`, {
      headers: { authorization: await bearer('olga', 'auditor') },
    });

    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ lines: 1, total: 10000 });
    expect(link.status).toBe(200);
    expect(await link.json()).toMatchObject({ url: expect.stringContaining('X-Amz-Expires=300') });
    expect(refused.status).toBe(403);
    expect(web.payments.audit.filter((e) => e.action === 'payment-batch.download')).toHaveLength(1);
  });
});
