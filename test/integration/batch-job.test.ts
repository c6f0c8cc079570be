import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbCampaignStore, getRuntime, issueStaffToken, loadSecrets } from '@madad/adapters';
import type { HouseholdImport, StaffRole } from '@madad/core';
import { type LocalStack, startLocalStack } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollVertically, seedRegistry, stackCampaign } from '../support/stack-fixtures.js';

const CAMPAIGN = 'C-BATCHJOB1';
const AMOUNT = 10_000;
const DEADLINE_MS = 120_000;

let dataDir: string;
let stack: LocalStack;
let jwtSecret: string;

/** A household with a woman spouse (the payee), in Dadu (odd) or Sanghar (even). */
function household(n: number): HouseholdImport {
  const digits = String(n).padStart(7, '0');
  const member = (cnic: string, name: string, gender: 'male' | 'female', relation: 'head' | 'spouse') => ({
    cnic,
    name,
    gender,
    birthYear: 1980,
    relation,
    maritalStatus: 'married' as const,
    disabled: false,
  });
  return {
    householdId: `HH-JOB-${n}`,
    province: 'Sindh',
    district: n % 2 ? 'Dadu' : 'Sanghar',
    tehsil: 'Johi',
    pmtScore: 12,
    surveyedAt: '2024-05-01',
    programmes: ['KAFAALAT'],
    members: [
      member(`41303${digits}1`, `Rashid ${n}`, 'male', 'head'),
      member(`41303${digits}2`, `Nasreen ${n}`, 'female', 'spouse'),
    ],
    phones: ['03001234567'],
    source: 'survey',
  };
}

async function call(path: string, who: { user: string; roles: StaffRole[] }, body?: unknown) {
  const token = await issueStaffToken(jwtSecret, who);
  return fetch(`${stack.httpUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const maker = { user: 'officer-sana', roles: ['program-officer'] as StaffRole[] };
const auditor = { user: 'auditor-hina', roles: ['auditor'] as StaffRole[] };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'madad-batch-job-'));
  stack = await startLocalStack({ dataDir, port: 0, seed: false, log: () => undefined });
  jwtSecret = (await loadSecrets()).jwtSecret;
  const { config, doc } = getRuntime();
  const campaign = stackCampaign(
    CAMPAIGN,
    {
      name: 'Batch job floods',
      areas: [{ district: 'Dadu' }, { district: 'Sanghar' }],
      closesAt: '2026-06-01T00:00:00.000Z',
      budgetCap: 1_000_000,
      maxHouseholds: 100,
    },
    { topUp: AMOUNT, newBeneficiary: 20_000 },
  );
  await new DynamoDbCampaignStore(doc, config.tables.operations).save(campaign, 0);
  const households = Array.from({ length: 11 }, (_, i) => household(i + 1));
  const { cnicPepper } = await loadSecrets();
  await seedRegistry(doc, config.tables.registry, cnicPepper, households, () => 'ALIVE');
  await enrollVertically(doc, config.tables.operations, CAMPAIGN, households, AMOUNT, {
    maxHouseholds: 100,
    budgetCap: 1_000_000,
  });
});

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a batch job on the embedded stack (the batch worker behind the batches queue)', () => {
  it("makes every district's batches and reports the job done, each household in one pending batch", async () => {
    // Act: the maker asks; the stack's poller hands each district to functions/batch-worker.
    const started = await call('/api/v1/payment-batch-jobs', maker, { campaignId: CAMPAIGN, maxLines: 4 });
    const { jobId } = (await started.json()) as { jobId: string };
    type Job = { status: string; areas: { done: number; total: number }; batches: number; lines: number };
    const deadline = Date.now() + DEADLINE_MS;
    let job: Job | undefined;
    while (Date.now() < deadline) {
      job = (await (await call(`/api/v1/payment-batch-jobs/${jobId}`, auditor)).json()) as Job;
      if (job.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const listed = (await (await call(`/api/v1/payment-batches?campaignId=${CAMPAIGN}`, auditor)).json()) as {
      items: { batchId: string; status: string; maker: string; lineCount: number }[];
    };

    // Assert: Dadu 6 households (4 + 2), Sanghar 5 (4 + 1).
    expect(started.status).toBe(202);
    expect(job).toMatchObject({ status: 'done', areas: { done: 2, total: 2 }, batches: 4, lines: 11 });
    expect(listed.items).toHaveLength(4);
    for (const batch of listed.items) {
      expect(batch).toMatchObject({ status: 'pending', maker: maker.user });
      expect(batch.lineCount).toBeLessThanOrEqual(4);
    }
    expect(listed.items.reduce((sum, b) => sum + b.lineCount, 0)).toBe(11);
  });
});
