import { createApp } from '@madad/api';
import { describe, expect, it } from 'vitest';
import { BATCHES_BY_AREA_BUDGET_MS } from '../../packages/api/src/routes/payments.js';
import { FLOOD, NOW, type WebFakes, webFakes } from './web-fakes.js';

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
      cnicHash: `man-${i}`,
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

/** What the route answers: the run's figures and batches, or an error. */
interface Answer {
  readonly campaignId?: string;
  readonly lines?: number;
  readonly total?: number;
  readonly batches: { batchId: string; district: string; lineCount: number }[];
  readonly error: { message: string };
}

async function post(
  web: WebFakes,
  body: unknown,
  roles: Parameters<WebFakes['cookieFor']>[1] = ['program-officer'],
) {
  const token = (await web.cookieFor('maker-ayesha', roles)).split('=')[1] ?? '';
  const response = await web.request('/api/v1/payment-batches/by-area', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

describe('POST /api/v1/payment-batches/by-area', () => {
  it("makes the campaign's batches district by district, at most maxLines each, every household once, each audited", async () => {
    // Arrange: 23 households, 12 in Dadu and 11 in Sanghar.
    const { web, campaign } = await campaignWith(23);

    // Act
    const { status, body } = await post(web, { campaignId: campaign.campaignId, maxLines: 5 });

    // Assert
    expect(status).toBe(201);
    expect(body).toMatchObject({
      campaignId: campaign.campaignId,
      districts: DISTRICTS,
      lines: 23,
      held: 0,
      complete: true,
    });
    expect(body.total).toBe(230_000);
    expect(body.batches).toHaveLength(6); // Dadu 5+5+2, Sanghar 5+5+1
    for (const batch of body.batches) {
      expect(batch).toMatchObject({ status: 'pending', maker: 'maker-ayesha' });
      expect(batch.lineCount).toBeLessThanOrEqual(5);
    }
    const households = [...web.payments.lines.values()].flatMap((lines) =>
      [...lines.values()].map((l) => l.householdId),
    );
    expect(households).toHaveLength(23);
    expect(new Set(households).size).toBe(23);
    const made = web.payments.audit.filter((e) => e.action === 'payment-batch.create');
    expect(made.map((e) => e.subject).sort()).toEqual(
      body.batches.map((b: { batchId: string }) => `payment-batch/${b.batchId}`).sort(),
    );
    expect(new Set(made.map((e) => e.actor))).toEqual(new Set(['maker-ayesha']));
  });

  it('makes batches of the districts named only, and answers 200 with none when nothing is left', async () => {
    // Arrange
    const { web, campaign } = await campaignWith(10);

    // Act
    const dadu = await post(web, { campaignId: campaign.campaignId, districts: ['Dadu'], maxLines: 100 });
    const again = await post(web, { campaignId: campaign.campaignId, districts: ['Dadu'] });

    // Assert
    expect(dadu.status).toBe(201);
    expect(dadu.body.batches.map((b: { district: string }) => b.district)).toEqual(['Dadu']);
    expect(dadu.body.lines).toBe(5);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ batches: [], lines: 0, total: 0 });
  });

  it('refuses unknown fields (a misspelt "district" must not widen the run to every district)', async () => {
    const { web, campaign } = await campaignWith(4);

    const { status, body } = await post(web, { campaignId: campaign.campaignId, district: 'Dadu' });

    expect(status).toBe(400);
    expect(body.error.message).toContain('district');
    expect(web.payments.batches.size).toBe(0);
  });

  it('answers 404 for an unknown campaign and 403 for a role that may not make batches', async () => {
    const { web, campaign } = await campaignWith(4);

    const unknown = await post(web, { campaignId: 'C-NOSUCH' });
    const approver = await post(web, { campaignId: campaign.campaignId }, ['approver']);

    expect(unknown.status).toBe(404);
    expect(approver.status).toBe(403);
    expect(web.payments.batches.size).toBe(0);
  });
});

describe('POST /api/v1/payment-batches/by-area within the time budget', () => {
  it('starts no batch once the budget is spent, answers complete: false, and calling again makes the rest', async () => {
    // Arrange: 20 households, 10 a district, in batches of 5; a clock that moves 2 s each time it is read.
    const { web, campaign } = await campaignWith(20);
    let at = NOW.getTime();
    const tick = () => {
      at += 2000;
      return new Date(at);
    };
    const app = createApp({ ...web.deps, clock: { now: tick } });
    const token = (await web.cookieFor('maker-ayesha', ['program-officer'])).split('=')[1] ?? '';
    const call = async () => {
      const response = await app.request('/api/v1/payment-batches/by-area', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ campaignId: campaign.campaignId, maxLines: 5 }),
      });
      return (await response.json()) as Answer & { complete: boolean };
    };

    // Act: call again while the answer says the run is not complete (at most 20 calls).
    const answers = [await call()];
    while (!answers.at(-1)?.complete && answers.length < 20) answers.push(await call());

    // Assert
    expect(BATCHES_BY_AREA_BUDGET_MS).toBeLessThan(10_000);
    expect(answers[0]?.complete).toBe(false);
    expect(answers[0]?.lines).toBeLessThan(20);
    expect(answers.at(-1)?.complete).toBe(true);
    expect(answers.reduce((sum, a) => sum + (a.lines ?? 0), 0)).toBe(20);
    const households = [...web.payments.lines.values()].flatMap((lines) =>
      [...lines.values()].map((l) => l.householdId),
    );
    expect(new Set(households).size).toBe(20);
    expect(households).toHaveLength(20);
  });
});

describe('the OpenAPI document', () => {
  it('declares batch making by area: its strict body, its answers and the roles that may call it', async () => {
    const web = webFakes();

    const document = (await (await web.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };

    const operation = document.paths['/api/v1/payment-batches/by-area']?.post;
    expect(operation).toBeDefined();
    const text = JSON.stringify(operation);
    expect(text).toContain('program-officer');
    expect(text).not.toContain('"approver"');
    expect(text).toContain('"districts"');
    expect(text).toContain('"additionalProperties":false');
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(
      expect.arrayContaining(['200', '201', '400', '404']),
    );
  });
});
