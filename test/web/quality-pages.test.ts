import { createApp } from '@madad/api';
import type { BackCheckReport, RegistryHealthReport } from '@madad/core';
import { describe, expect, it } from 'vitest';
import type { QualityReads } from '../../packages/api/src/routes/quality.js';
import { webFakes } from './web-fakes.js';

const HEALTH: RegistryHealthReport = {
  generatedAt: '2026-12-07T09:00:00.000Z',
  households: 3000,
  members: 17_412,
  completeness: [
    { field: 'phones', level: 'household', filled: 2712, total: 3000 },
    { field: 'birthYear', level: 'member', filled: 17_412, total: 17_412 },
  ],
  staleSurveys: { olderThanYears: 4, cutoff: '2022-12-07', households: 1190, examples: ['HH-1'] },
  sharedPhones: { threshold: 5, phones: 3, households: 17, top: [{ phone: '+92300****111', households: 7 }] },
  membersInSeveralHouseholds: { people: 2, households: 4, examples: [['HH-2', 'HH-3']] },
  deceasedHeads: { households: 1, examples: ['HH-9'] },
};

const rate = (errors: number, checked: number) => ({
  checked,
  errors,
  rate: errors / checked,
  lower: 0,
  upper: 0.2,
});
const REPORT: BackCheckReport = {
  sampleId: 'BC-0123456789',
  seed: 'walk-r1',
  by: 'district',
  confidence: 0.95,
  generatedAt: '2026-12-07T10:00:00.000Z',
  visited: 40,
  sampled: 40,
  fields: [
    {
      field: 'headBirthYear',
      overall: rate(4, 40),
      strata: [{ stratum: 'LAHORE', population: 600, ...rate(4, 40) }],
    },
  ],
  allFields: rate(4, 240),
  outliers: [{ kind: 'enumerator', unit: 'LAH-E3', ...rate(4, 12), lower: 0.1 }],
};

function appWithQuality(quality?: QualityReads) {
  const web = webFakes();
  const app = createApp({ ...web.deps, ...(quality ? { quality } : {}) });
  // Console pages read the session cookie, the JSON API a bearer token: the same signed staff token.
  const get = async (path: string, user: string, roles: Parameters<typeof web.cookieFor>[1]) => {
    const cookie = await web.cookieFor(user, roles);
    const token = cookie.slice(cookie.indexOf('=') + 1);
    return app.request(path, { headers: { cookie, authorization: `Bearer ${token}` } });
  };
  return { get };
}

const stored: QualityReads = {
  healthReport: async () => HEALTH,
  listSamples: async () => [
    {
      sampleId: 'BC-0123456789',
      drawnAt: '2026-12-07T09:30:00.000Z',
      seed: 'walk-r1',
      by: 'district',
      size: 40,
      population: 3000,
    },
  ],
  sampleReport: async (id) => (id === REPORT.sampleId ? REPORT : undefined),
};

describe('the registry quality page', () => {
  it('shows the stored health report and the samples to a programme officer, in Pakistan time', async () => {
    const { get } = appWithQuality(stored);

    const response = await get('/console/quality', 'pat', ['program-officer']);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('1190</strong> households due for an update');
    expect(html).toContain('Measured 7 Dec 2026');
    expect(html).toMatch(/data-field="household.phones">.*90\.4%/s);
    expect(html).toContain('href="/console/quality/samples/BC-0123456789"');
    expect(html).toContain('href="/console/quality">Quality</a>');
  });

  it("shows a back-check's error rates with their intervals and the enumerator out of line", async () => {
    const { get } = appWithQuality(stored);

    const html = await (await get('/console/quality/samples/BC-0123456789', 'olga', ['auditor'])).text();

    expect(html).toMatch(/data-field="headBirthYear">.*10\.0% \(0\.0% to 20\.0%\)/s);
    expect(html).toContain('data-outlier="enumerator:LAH-E3"');
  });

  it('says how to make a report when there is none, and refuses the emergency cell', async () => {
    const { get } = appWithQuality({ ...stored, healthReport: async () => undefined });

    const empty = await (await get('/console/quality', 'pat', ['program-officer'])).text();
    const cell = await get('/console/quality', 'amina', ['emergency-cell']);

    expect(empty).toContain('npx madad quality');
    expect(cell.status).toBe(403);
  });
});

describe('GET /api/v1/quality/...', () => {
  it('answers the stored reports as JSON, and 404 for a sample without results or a malformed id', async () => {
    const { get } = appWithQuality(stored);

    const health = await get('/api/v1/quality/health', 'sam', ['approver']);
    const report = await get('/api/v1/quality/samples/BC-0123456789/report', 'sam', ['approver']);
    const missing = await get('/api/v1/quality/samples/BC-AAAAAAAAAA/report', 'sam', ['approver']);
    const malformed = await get('/api/v1/quality/samples/..%2F..%2Fx/report', 'sam', ['approver']);

    expect(health.status).toBe(200);
    expect(await health.json()).toEqual(HEALTH);
    expect(await report.json()).toEqual(REPORT);
    expect(missing.status).toBe(404);
    expect(malformed.status).toBe(404);
  });
});
