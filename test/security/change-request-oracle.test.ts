import { formatCnic, hashCnic, maskCnic } from '@madad/core';
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiDeps, AppEnv } from '../../packages/api/src/deps.js';
import { mapError } from '../../packages/api/src/errors.js';
import { changeRequestRoutes } from '../../packages/api/src/routes/change-requests.js';
import { InMemoryRateLimiter } from '../../packages/api/src/web/rate-limit.js';
import { FAKE_PEPPER, memoryChangeRequests } from '../support/change-request-fakes.js';

/** Issue 14, finding 6: POST /api/v1/change-requests told anyone whether a phone is on a household. */
const HEAD = '3520212345671';
const HOUSEHOLD_PHONE = '+923211234567';
const change = { type: 'new-phone', phone: '03459998877' };

let fake: ReturnType<typeof memoryChangeRequests>;
let app: Hono<AppEnv>;

function appWith(rateLimiter?: InMemoryRateLimiter): Hono<AppEnv> {
  const households: ApiDeps['households'] = {
    householdIdOf: async (cnicHash) => fake.persons.get(cnicHash),
    get: async (householdId) => fake.households.get(householdId)?.household as never,
    listProvisional: async () => [],
  };
  const deps: Partial<ApiDeps> = {
    clock: fake.deps.clock,
    cnicPepper: async () => FAKE_PEPPER,
    households,
    changeRequests: fake.deps,
    audit: fake.deps.audit as ApiDeps['audit'],
    ...(rateLimiter ? { rateLimiter } : {}),
  };
  const routes = new Hono<AppEnv>();
  routes.onError(mapError);
  routes.use('*', async (c, next) => {
    c.set('requestId', 'test');
    await next();
  });
  routes.route('/', changeRequestRoutes(deps as ApiDeps).app);
  return routes;
}

const ask = (phone: string, cnic = HEAD, ip = '203.0.113.9') =>
  app.request(
    '/api/v1/change-requests',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cnic, phone, change }),
    },
    { requestContext: { http: { sourceIp: ip } } },
  );

beforeEach(() => {
  fake = memoryChangeRequests();
  fake.addHousehold(
    'HH-1',
    [
      {
        cnic: formatCnic(HEAD),
        cnicMasked: maskCnic(HEAD),
        cnicHash: hashCnic(FAKE_PEPPER, HEAD),
        name: 'Head',
        relation: 'head',
        gender: 'male',
      },
    ],
    [HOUSEHOLD_PHONE],
  );
  app = appWith();
});

describe('POST /api/v1/change-requests (finding 6: no oracle)', () => {
  it('answers a phone on the household and a stranger’s phone with the same status and body', async () => {
    const member = await ask('03211234567');
    const stranger = await ask('03009999999');
    const unknownCnic = await ask('03009999999', '3520299999991');

    expect([member.status, stranger.status, unknownCnic.status]).toEqual([202, 202, 202]);
    const bodies = await Promise.all([member.text(), stranger.text(), unknownCnic.text()]);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).not.toMatch(/CR-/);
  });

  it('stores a request only from a phone on the household', async () => {
    await ask('03009999999');
    await ask('03009999998', '3520299999991');
    expect(fake.requests.size).toBe(0);

    await ask('03211234567');
    expect([...fake.requests.values()]).toEqual([
      expect.objectContaining({ householdId: 'HH-1', requestedBy: HOUSEHOLD_PHONE, status: 'SUBMITTED' }),
    ]);
  });

  it('is rate-limited per phone and per address, with the same limiter as the other public routes', async () => {
    app = appWith(
      new InMemoryRateLimiter({
        ip: { limit: 4, windowSeconds: 600 },
        lookup: { limit: 2, windowSeconds: 3600 },
      }),
    );
    // One phone tried with many CNICs: cut off after two, from any address.
    expect((await ask('03009999999', HEAD, '198.51.100.1')).status).toBe(202);
    expect((await ask('03009999999', '3520299999991', '198.51.100.2')).status).toBe(202);
    const third = await ask('03009999999', '3520299999992', '198.51.100.3');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // One address trying many phones: cut off after four attempts.
    for (let i = 0; i < 4; i++) await ask(`0300111000${i}`, HEAD, '198.51.100.9');
    expect((await ask('03001110009', HEAD, '198.51.100.9')).status).toBe(429);
  });
});
