import { type ApiDeps, createApp } from '@madad/api';
import type { RegistrationMessage } from '@madad/core';
import { CampaignInputSchema } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { unknownFields } from '../../packages/api/src/json-body.js';

/**
 * Staff bodies are checked for unknown fields before anything runs: these deps answer every staff
 * token as admin and enqueue public registrations; any other port is never reached by a refusal.
 */
function appWith(queued: RegistrationMessage[] = []) {
  const given: Partial<ApiDeps> = {
    verifyToken: async () => ({ user: 'u-admin', roles: ['admin'] }),
    enqueueRegistration: async (message) => {
      queued.push(message);
    },
    clock: { now: () => new Date('2026-12-07T10:00:00Z') },
  };
  const deps = new Proxy(given, {
    get: (target, name) => target[name as keyof ApiDeps],
  }) as ApiDeps;
  return createApp(deps);
}

const campaign = {
  name: 'Jacobabad floods 2026',
  nameUr: 'جیکب آباد سیلاب ۲۰۲۶',
  shockType: 'flood',
  areas: [{ district: 'Jacobabad', tehsil: 'Thul' }],
  opensAt: '2026-12-01T00:00:00+05:00',
  closesAt: '2027-01-31T00:00:00+05:00',
  rules: {
    pmtThreshold: 32,
    exclusionFilters: [],
    amounts: { topUp: 5000, newBeneficiary: 12000 },
  },
  budgetCap: 1_000_000_000,
  maxHouseholds: 100_000,
};

async function post(path: string, body: unknown, method = 'POST') {
  const response = await appWith().request(path, {
    method,
    headers: { authorization: 'Bearer staff', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      error: { code: string; message: string; details?: { path: string; message: string }[] };
    },
  };
}

describe('strict staff inputs', () => {
  it('refuses a campaign whose area says "tehsil" (not "tehsils"), naming the field, instead of covering the whole district', async () => {
    const { status, body } = await post('/api/v1/campaigns', campaign);

    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain('tehsil');
    expect(body.error.details).toEqual([{ path: 'areas.0.tehsil', message: expect.any(String) }]);
  });

  it.each([
    [
      'a payment batch',
      '/api/v1/payment-batches',
      { campaignId: 'C-FLOOD', maxLines: 10, tehsil: 'Thul' },
      'tehsil',
    ],
    [
      'an appeal resolution',
      '/api/v1/appeals/A1234567/resolve',
      { outcome: 'UPHELD', reason: 'Checked the survey', amount: 9000 },
      'amount',
    ],
    [
      'a change request filed by staff',
      '/api/v1/households/HH-1/change-requests',
      { change: { type: 'new-phone', phone: '03001234567' }, notes: 'misspelt note' },
      'notes',
    ],
    [
      'a household verification',
      '/api/v1/households/HH-1/verification',
      {
        province: 'Sindh',
        district: 'Jacobabad',
        tehsil: 'Thul',
        method: 'DESK_VISIT',
        note: 'Visited the house',
        outcome: 'ELIGIBLE',
        approvedBy: 'someone-else',
      },
      'approvedBy',
    ],
    [
      'a change-request approval',
      '/api/v1/change-requests/HH-1/CR-0000ABCD/approve',
      { reason: 'ok ok', force: true },
      'force',
    ],
    [
      'a change inside a staff change request',
      '/api/v1/households/HH-1/change-requests',
      { change: { type: 'new-phone', phone: '03001234567', verified: true } },
      'change.verified',
    ],
    [
      'a rules change',
      '/api/v1/campaigns/C-FLOOD/rules',
      { pmtThreshold: 30, threshold: 40 },
      'threshold',
      'PATCH',
    ],
  ])(
    'refuses unknown fields on %s with a 400 naming them',
    async (_what, path, request, field, method = 'POST') => {
      const { status, body } = await post(path, request, method);

      expect(status).toBe(400);
      expect(body.error.message).toContain(field.split('.').at(-1));
      expect(body.error.details?.map((d) => d.path)).toContain(field);
    },
  );

  it('names prototype keys as unknown fields (never walks into Object.prototype)', () => {
    const fields = unknownFields(
      CampaignInputSchema,
      JSON.parse('{"__proto__":{"x":1},"constructor":{"prototype":{}}}'),
    );

    expect(fields.sort()).toEqual(['__proto__', 'constructor']);
  });

  it('names every unknown field, at any depth', () => {
    const fields = unknownFields(CampaignInputSchema, {
      ...campaign,
      budget: 5,
      rules: { ...campaign.rules, amounts: { topUp: 1, newBeneficiary: 2, bonus: 3 } },
    });

    expect(fields.sort()).toEqual(['areas.0.tehsil', 'budget', 'rules.amounts.bonus']);
  });
});

describe('tolerant public inputs', () => {
  it('accepts a web registration carrying a field the form does not know (dropped, not refused)', async () => {
    const queued: RegistrationMessage[] = [];

    const response = await appWith(queued).request('/api/v1/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cnic: '35202-1234567-1',
        phone: '03001234567',
        district: 'Lahore',
        tehsil: 'Lahore City',
        utm_source: 'radio',
      }),
    });

    expect(response.status).toBe(202);
    expect(queued).toHaveLength(1);
    expect(JSON.stringify(queued[0])).not.toContain('utm_source');
  });
});
