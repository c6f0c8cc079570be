import { batchPutAll, getRuntime, identityItem, loadSecrets } from '@madad/adapters';
import { DEMO_CNIC } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitAndFind } from '../support/change-requests.js';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  // The identity authority knows the newcomer; the registry does not.
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  await batchPutAll(doc, config.tables.registry, [
    identityItem(cnicPepper, {
      cnic: '3740576543218',
      name: 'Rukhsana',
      gender: 'female',
      birthYear: 1990,
      status: 'ALIVE',
      simPhones: ['03337654321'],
    }),
  ]);
});

afterAll(async () => {
  await t.stop();
});

const post = (path: string, body: unknown) =>
  fetch(`${t.stack.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('web registration and dynamic inclusion', () => {
  it('turns an unknown CNIC registered on the web into a provisional household pending verification', async () => {
    const response = await post('/api/v1/registrations', {
      cnic: '37405-7654321-8',
      phone: '0333 7654321',
      district: 'rawalpindi',
      tehsil: 'Murree',
      lang: 'en',
      household: { size: 7, children: 4, assets: ['livestock'] },
    });
    expect(response.status).toBe(202);
    const { reference } = (await response.json()) as { reference: string };
    expect(reference).toMatch(/^W[0-9A-Z]{7}$/);

    const status = await waitFor(async () => {
      const r = (await (await fetch(`${t.stack.httpUrl}/api/v1/registrations/${reference}`)).json()) as {
        status: string;
      };
      return r.status === 'QUEUED' || r.status === 'RECEIVED' ? undefined : r;
    });
    expect(status).toMatchObject({ status: 'PENDING_VERIFICATION', reasons: ['NOT_IN_REGISTRY'] });

    const list = await t.staff('/api/v1/households?status=provisional', ['program-officer']);
    const { items } = (await list.json()) as {
      items: { district: string; tehsil: string; answers?: unknown; status: string }[];
    };
    // The review queue masks CNICs: a raw read is opening the household, which the ledger records.
    expect(JSON.stringify(items)).not.toContain('37405-7654321-8');
    expect(items).toContainEqual(
      expect.objectContaining({
        district: 'Rawalpindi',
        tehsil: 'Murree',
        status: 'provisional',
        answers: { size: 7, children: 4, assets: ['livestock'] },
      }),
    );

    const byPhone = await post('/api/v1/status', { cnic: '3740576543218', phone: '+923337654321' });
    expect(((await byPhone.json()) as { status: string }).status).toBe('PENDING_VERIFICATION');
    const wrongPhone = await post('/api/v1/status', { cnic: '3740576543218', phone: '+923330000000' });
    expect(wrongPhone.status).toBe(404);
  });

  it('refuses a web registration field by field, saying what is wrong with each', async () => {
    const response = await post('/api/v1/registrations', {
      cnic: '12345',
      phone: 'abc',
      district: 'Atlantis',
      tehsil: 'x',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: Record<string, string> } };
    expect(Object.keys(body.error.details).sort()).toEqual(['cnic', 'district', 'phone']);
  });

  it('shows raw CNICs to a program officer and masked ones to an approver', async () => {
    const officer = await t.staff('/api/v1/households/DEMO-0001', ['program-officer']);
    const approver = await t.staff('/api/v1/households/DEMO-0001', ['approver']);
    const cnics = async (r: Response) =>
      ((await r.json()) as { members: { cnic: string }[] }).members.map((m) => m.cnic);
    expect(await cnics(officer)).toContain('35202-1234567-2');
    const masked = await cnics(approver);
    expect(masked.join()).not.toContain('1234567');
    expect((await t.staff('/api/v1/households/DEMO-0001', [])).status).toBe(403);
  });

  it('applies a change request only once one program officer proposes it and another approves it', async () => {
    const listSubmitted = () => t.staff('/api/v1/change-requests?status=SUBMITTED', ['program-officer']);
    // A phone not on the household gets the same answer as one on it, and nothing is stored.
    const stranger = await post('/api/v1/change-requests', {
      cnic: DEMO_CNIC,
      phone: '03009999999',
      change: { type: 'new-phone', phone: '03451112233' },
    });
    expect(stranger.status).toBe(202);
    expect(await stranger.json()).toMatchObject({ status: 'RECEIVED' });
    const requestId = await submitAndFind(listSubmitted, 'DEMO-0001', () =>
      post('/api/v1/change-requests', {
        cnic: DEMO_CNIC,
        phone: '03001234567',
        change: { type: 'new-phone', phone: '03451112233' },
      }),
    );
    const phones = async () =>
      (
        (await (await t.staff('/api/v1/households/DEMO-0001', ['program-officer'])).json()) as {
          phones: string[];
        }
      ).phones;
    expect(await phones()).not.toContain('+923451112233');

    const submitted = (await (
      await t.staff('/api/v1/change-requests?status=SUBMITTED', ['program-officer'])
    ).json()) as {
      items: { requestId: string }[];
    };
    expect(submitted.items.map((i) => i.requestId)).toContain(requestId);
    // Maker-checker: one officer proposes the household's request, another approves it.
    const proposed = await t.staff(
      `/api/v1/change-requests/DEMO-0001/${requestId}/propose`,
      ['program-officer'],
      { method: 'POST', body: JSON.stringify({}), user: 'omar' },
    );
    expect(proposed.status).toBe(200);

    const approved = await t.staff(
      `/api/v1/change-requests/DEMO-0001/${requestId}/approve`,
      ['program-officer'],
      {
        method: 'POST',
        body: JSON.stringify({ reason: 'Checked the SIM owner with the caller' }),
        user: 'olivia',
      },
    );
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'APPROVED', decidedBy: 'olivia' });
    expect(await phones()).toContain('+923451112233');

    const again = await t.staff(
      `/api/v1/change-requests/DEMO-0001/${requestId}/reject`,
      ['program-officer'],
      {
        method: 'POST',
        body: JSON.stringify({ reason: 'too late' }),
      },
    );
    expect(again.status).toBe(409);
  });
});
