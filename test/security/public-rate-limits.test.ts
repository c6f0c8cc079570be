import { parseRegistration, type RegistrationMessage, tallyPhones } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { webFakes } from '../web/web-fakes.js';

/**
 * Issue 14, finding 3: the JSON twins of the web forms had no rate limit, and web registrations were
 * not counted in a phone's flood tally. One limiter now counts every public route, HTML and JSON.
 */
const REGISTRATION = { lang: 'en', cnic: '35202-1234567-2', district: 'Lahore', tehsil: 'Model Town' };
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const guessPhone = (i: number) => `0300${String(1_000_000 + i)}`;

describe('one limiter for the public routes (finding 3)', () => {
  it('cuts off CNIC-and-phone guesses on POST /api/v1/status at 60 from one address, as the form does', async () => {
    const web = webFakes();
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) {
      const response = await web.request(
        '/api/v1/status',
        json({ cnic: REGISTRATION.cnic, phone: guessPhone(i) }),
      );
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s !== 429)).toHaveLength(60);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
  });

  it('counts the status form and its JSON twin against the same window', async () => {
    const web = webFakes();
    for (let i = 0; i < 30; i++) await web.form('/status', { cnic: REGISTRATION.cnic, phone: guessPhone(i) });
    const statuses: number[] = [];
    for (let i = 30; i < 60; i++) {
      statuses.push(
        (await web.request('/api/v1/status', json({ cnic: REGISTRATION.cnic, phone: guessPhone(i) }))).status,
      );
    }
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const form = await web.form('/status', { cnic: REGISTRATION.cnic, phone: guessPhone(99) });
    expect(form.status).toBe(429);
    const api = await web.request('/api/v1/status', json({ cnic: REGISTRATION.cnic, phone: guessPhone(98) }));
    expect(api.status).toBe(429);
    expect(await api.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('cuts off many CNICs tried against one phone, from any address', async () => {
    const web = webFakes();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const cnic = `35202-${String(1_000_000 + i)}-1`;
      statuses.push(
        (await web.request('/api/v1/status', json({ cnic, phone: '03001234567' }), `198.51.100.${i}`)).status,
      );
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('takes 5 registrations for one phone on POST /api/v1/registrations, form and JSON together', async () => {
    const web = webFakes();
    const phone = '0300 7654321';
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++)
      statuses.push((await web.form('/register', { ...REGISTRATION, phone }, `192.0.2.${i}`)).status);
    for (let i = 2; i < 8; i++) {
      statuses.push(
        (await web.request('/api/v1/registrations', json({ ...REGISTRATION, phone }), `192.0.2.${i}`)).status,
      );
    }
    expect(statuses).toEqual([303, 303, 202, 202, 202, 429, 429, 429]);
    expect(web.queued).toHaveLength(5);
  });

  it('limits reference lookups per address on the page and the JSON route alike', async () => {
    const web = webFakes();
    for (let i = 0; i < 30; i++) await web.request(`/status?reference=W${String(1_000_000 + i)}`);
    for (let i = 30; i < 60; i++) await web.request(`/api/v1/registrations/W${String(1_000_000 + i)}`);
    expect((await web.request('/api/v1/registrations/W2000000')).status).toBe(429);
    expect((await web.request('/status?reference=W2000001')).status).toBe(429);
    expect((await web.request('/api/v1/registrations/W2000002', {}, '203.0.113.200')).status).not.toBe(429);
  });

  it("counts web registrations in the phone's flood tally, as SMS", async () => {
    const web = webFakes();
    for (let i = 0; i < 3; i++) {
      await web.request(
        '/api/v1/registrations',
        json({ ...REGISTRATION, phone: '0300 5550001' }),
        `192.0.2.${i}`,
      );
    }
    const items = web.queued.map((m: RegistrationMessage) => parseRegistration('pepper', m));
    expect(items).toHaveLength(3);

    const { messageRank } = tallyPhones(items, new Map());

    expect([...messageRank.values()].sort()).toEqual([1, 2, 3]);
  });
});
