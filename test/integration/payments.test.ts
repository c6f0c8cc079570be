import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbCampaignStore,
  getRuntime,
  issueStaffToken,
  loadSecrets,
  operationsKeys,
} from '@madad/adapters';
import { type HouseholdImport, type StaffRole, verifyInstructionsCsv } from '@madad/core';
import { type LocalStack, startLocalStack } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { enrollVertically, seedRegistry, stackCampaign } from '../support/stack-fixtures.js';

const CAMPAIGN = 'C-PAYIT1';
const AMOUNT = 10_000;
const CAP = 70_000;

let dataDir: string;
let stack: LocalStack;
let jwtSecret: string;

function household(n: number, womanHead: boolean): HouseholdImport {
  const digits = String(n).padStart(7, '0');
  return {
    householdId: `HH-PAY-${n}`,
    province: 'Sindh',
    district: n % 2 ? 'Dadu' : 'Sanghar',
    tehsil: 'Johi',
    pmtScore: 12,
    surveyedAt: '2024-05-01',
    programmes: ['KAFAALAT'],
    members: [
      {
        cnic: `41303${digits}1`,
        name: `Rashid ${n}`,
        gender: 'male',
        birthYear: 1980,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
      ...(womanHead
        ? [
            {
              cnic: `41303${digits}2`,
              name: `Nasreen ${n}`,
              gender: 'female' as const,
              birthYear: 1984,
              relation: 'spouse' as const,
              maritalStatus: 'married' as const,
              disabled: false,
            },
          ]
        : []),
    ],
    phones: ['03001234567'],
    source: 'survey',
  };
}

async function enroll(households: HouseholdImport[]) {
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  // Every member known to the ID authority as alive, except Nasreen 3, whom it records as deceased.
  await seedRegistry(doc, config.tables.registry, cnicPepper, households, (m) =>
    m.name === 'Nasreen 3' ? 'DECEASED' : 'ALIVE',
  );
  // Caps well above these households: enrollment within caps is tested in enrollment-caps tests.
  await enrollVertically(doc, config.tables.operations, CAMPAIGN, households, AMOUNT, {
    maxHouseholds: 1_000,
    budgetCap: 1_000_000_000,
  });
}

async function call(path: string, who: { user: string; roles: StaffRole[] }, init: RequestInit = {}) {
  const token = await issueStaffToken(jwtSecret, who);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${stack.httpUrl}${path}`, { ...init, headers });
}

const maker = { user: 'officer-sana', roles: ['program-officer'] as StaffRole[] };
const checker = { user: 'approver-imran', roles: ['approver'] as StaffRole[] };
const auditor = { user: 'auditor-hina', roles: ['auditor'] as StaffRole[] };

type Line = { paymentReference: string; householdId: string; amount: number; outcome?: string };
type Batch = {
  batchId: string;
  status: string;
  maker: string;
  lineCount: number;
  total: number;
  lines: Line[];
};

const createBatch = async (body: object = { campaignId: CAMPAIGN }) => {
  const response = await call('/api/v1/payment-batches', maker, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Batch;
};
const getBatch = async (id: string) =>
  (await (await call(`/api/v1/payment-batches/${id}`, auditor)).json()) as Batch;
const approve = (id: string, who = checker) =>
  call(`/api/v1/payment-batches/${id}/approve`, who, { method: 'POST' });
const stageResults = (id: string, body: string, type: string) =>
  call(`/api/v1/payment-batches/${id}/results`, maker, {
    method: 'POST',
    body,
    headers: { 'content-type': type },
  });
/** The maker uploads the results; the approver, a second person, confirms them. */
const sendResults = async (id: string, body: string, type: string) => {
  const staged = await stageResults(id, body, type);
  const { importId, status } = (await staged.clone().json()) as { importId: string; status: string };
  if (status !== 'staged') return staged;
  return call(`/api/v1/payment-batches/${id}/results/${importId}/confirm`, checker, { method: 'POST' });
};
const enrollmentOf = async (householdId: string) => {
  const { config, doc } = getRuntime();
  const key = operationsKeys.enrollment(CAMPAIGN, householdId);
  return (await doc.send(new GetCommand({ TableName: config.tables.operations, Key: key }))).Item;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'madad-payments-'));
  stack = await startLocalStack({ dataDir, port: 0, pollers: false, seed: false, log: () => undefined });
  jwtSecret = (await loadSecrets()).jwtSecret;
  const { config, doc } = getRuntime();
  const campaign = stackCampaign(
    CAMPAIGN,
    {
      name: 'Payments integration floods',
      areas: [{ district: 'Dadu' }, { district: 'Sanghar' }],
      closesAt: '2026-06-01T00:00:00.000Z',
      budgetCap: CAP,
      maxHouseholds: 10,
    },
    { topUp: AMOUNT, newBeneficiary: 20_000 },
  );
  await new DynamoDbCampaignStore(doc, config.tables.operations).save(campaign, 0);
  await enroll([1, 2, 3, 4, 5, 6].map((n) => household(n, n !== 6)));
});

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('payments on the embedded stack, from enrollments to paid households', () => {
  let first: Batch;
  let retry: Batch;

  it('creates a batch paying the woman of each household, and refuses self-approval', async () => {
    first = await createBatch();
    expect(first).toMatchObject({ status: 'pending', maker: maker.user, lineCount: 6, total: 6 * AMOUNT });

    const self = await approve(first.batchId, { user: maker.user, roles: ['approver'] });
    expect(self.status).toBe(403);
    expect(((await self.json()) as { error: { message: string } }).error.message).toMatch(/another approver/);
    const shown = await getBatch(first.batchId);
    expect(shown).toMatchObject({ maker: maker.user, status: 'pending' });
    expect(JSON.stringify(shown)).not.toContain('41303-0000001-2');
  });

  it('refuses the instruction file before approval, then approves and exports it with a valid checksum', async () => {
    expect((await call(`/api/v1/payment-batches/${first.batchId}/instructions.csv`, maker)).status).toBe(409);
    const approved = await approve(first.batchId);
    expect(approved.status).toBe(200);
    expect(
      await approve(first.batchId, { user: 'approver-two', roles: ['approver'] }).then((r) => r.status),
    ).toBe(409);

    const csv = await (await call(`/api/v1/payment-batches/${first.batchId}/instructions.csv`, maker)).text();
    expect(verifyInstructionsCsv(csv)).toEqual({ ok: true, lines: 6, total: 6 * AMOUNT });
    expect(csv).toContain('41303-0000001-2,Nasreen 1,10000,Dadu');
    expect(csv).toContain('41303-0000006-1,Rashid 6,10000,Sanghar');
    // Finding 3: the ID authority's deceased woman is passed over for the next valid member.
    expect(csv).toContain('41303-0000003-1,Rashid 3,10000,Dadu');
    expect(csv).not.toContain('Nasreen 3');
    const json = (await (
      await call(`/api/v1/payment-batches/${first.batchId}/instructions.json`, checker)
    ).json()) as {
      checksum: { lines: number; total: number };
    };
    expect(json.checksum).toMatchObject({ lines: 6, total: 6 * AMOUNT });
    const xml = await call(`/api/v1/payment-batches/${first.batchId}/instructions.xml`, checker);
    expect(xml.headers.get('content-type')).toMatch(/application\/xml/);
    const pain = await xml.text();
    expect(pain).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    expect(pain.match(/<NbOfTxs>6<\/NbOfTxs>/g)).toHaveLength(2);
    expect(pain.match(/<CtrlSum>60000\.00<\/CtrlSum>/g)).toHaveLength(2);
    expect((await enrollmentOf('HH-PAY-1'))?.paymentState).toBe('sent');
  });

  it('imports results with failures idempotently and reports unknown references', async () => {
    const refs = (await getBatch(first.batchId)).lines.sort((a, b) =>
      a.householdId < b.householdId ? -1 : 1,
    );
    const csv = [
      'paymentReference,status,reason',
      ...refs.map(
        (l, i) => `${l.paymentReference},${i < 4 ? 'PAID' : 'FAILED'},${i < 4 ? '' : 'WALLET_INACTIVE'}`,
      ),
      'P-ZZZZZZZZZZZZZZZZ,PAID,',
    ].join('\n');

    const staged = await stageResults(first.batchId, csv, 'text/csv');
    const { importId } = (await staged.clone().json()) as { importId: string };
    const selfConfirmed = await call(
      `/api/v1/payment-batches/${first.batchId}/results/${importId}/confirm`,
      maker,
      {
        method: 'POST',
      },
    );
    const stagedOnly = await enrollmentOf('HH-PAY-1');
    const report = await (await sendResults(first.batchId, csv, 'text/csv')).json();
    const again = await (await sendResults(first.batchId, csv, 'text/csv')).json();

    expect(staged.status).toBe(202);
    expect(selfConfirmed.status).toBe(403);
    expect(stagedOnly?.paymentState).toBe('sent');
    expect(report).toMatchObject({
      applied: 6,
      alreadyApplied: 0,
      paid: 4,
      failed: 2,
      unknownReferences: ['P-ZZZZZZZZZZZZZZZZ'],
    });
    expect(again).toMatchObject({ importId, status: 'applied', paid: 4, failed: 2 });
    expect((await enrollmentOf('HH-PAY-1'))?.paymentState).toBe('paid');
    expect((await enrollmentOf('HH-PAY-6'))?.paymentState).toBe('failed');
  });

  it('re-batches only the failures, once a second person confirmed them, under new references, and pays them', async () => {
    const early = await call('/api/v1/payment-batches', maker, {
      method: 'POST',
      body: JSON.stringify({ campaignId: CAMPAIGN }),
    });
    expect(early.status).toBe(409);
    const byUploader = await call(`/api/v1/payment-batches/${first.batchId}/failures/confirm`, maker, {
      method: 'POST',
      body: '{}',
    });
    expect(byUploader.status).toBe(403);
    const confirmed = await call(`/api/v1/payment-batches/${first.batchId}/failures/confirm`, checker, {
      method: 'POST',
      body: '{}',
    });
    expect(((await confirmed.json()) as { confirmed: string[] }).confirmed).toHaveLength(2);

    retry = await createBatch();
    const lines = (await getBatch(retry.batchId)).lines;
    expect(lines.map((l) => l.householdId).sort()).toEqual(['HH-PAY-5', 'HH-PAY-6']);
    const before = new Set((await getBatch(first.batchId)).lines.map((l) => l.paymentReference));
    expect(lines.every((l) => !before.has(l.paymentReference))).toBe(true);

    expect((await approve(retry.batchId)).status).toBe(200);
    const results = lines.map((l) => ({ paymentReference: l.paymentReference, status: 'PAID' }));
    const report = await (
      await sendResults(retry.batchId, JSON.stringify(results), 'application/json')
    ).json();
    expect(report).toMatchObject({ applied: 2, paid: 2, failed: 0 });
  });

  it('pays every household exactly once, within the budget', async () => {
    const listing = (await (
      await call(`/api/v1/payment-batches?campaignId=${CAMPAIGN}`, auditor)
    ).json()) as {
      budget: Record<string, number>;
      items: Batch[];
    };
    const paidLines = (await Promise.all(listing.items.map((b) => getBatch(b.batchId))))
      .flatMap((b) => b.lines)
      .filter((l) => l.outcome === 'PAID');

    expect(paidLines.map((l) => l.householdId).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `HH-PAY-${n}`));
    expect(listing.budget).toMatchObject({
      cap: CAP,
      reserved: 6 * AMOUNT,
      paid: 6 * AMOUNT,
      paidHouseholds: 6,
    });
    expect(listing.budget.paid).toBeLessThanOrEqual(CAP);
  });

  it('puts each new household in one batch with two makers at once, and refuses a batch over budget', async () => {
    await enroll([7, 8, 9, 10].map((n) => household(n, true)));
    const other = { user: 'officer-omar', roles: ['program-officer'] as StaffRole[] };
    const body = JSON.stringify({ campaignId: CAMPAIGN });
    const responses = await Promise.all(
      [maker, other].map((who) => call('/api/v1/payment-batches', who, { method: 'POST', body })),
    );
    const created = (await Promise.all(
      responses.filter((r) => r.status === 201).map((r) => r.json()),
    )) as Batch[];
    const lines = (await Promise.all(created.map((b) => getBatch(b.batchId)))).flatMap((b) => b.lines);
    expect(lines.map((l) => l.householdId).sort()).toEqual([7, 8, 9, 10].map((n) => `HH-PAY-${n}`).sort());

    const biggest = created.sort((a, b) => b.lineCount - a.lineCount)[0] as Batch;
    const refused = await approve(biggest.batchId);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /PKR 10000 and 4 households remain/,
    );
    for (const batch of created) {
      const rejected = await call(`/api/v1/payment-batches/${batch.batchId}/reject`, checker, {
        method: 'POST',
        body: JSON.stringify({ reason: 'Over budget; split it' }),
      });
      expect(rejected.status).toBe(200);
    }
    expect((await enrollmentOf('HH-PAY-7'))?.batchId).toBeUndefined();
    const listing = (await (
      await call(`/api/v1/payment-batches?campaignId=${CAMPAIGN}`, auditor)
    ).json()) as {
      budget: Record<string, number>;
    };
    expect(listing.budget).toMatchObject({ reserved: 6 * AMOUNT, households: 6 });
  });

  it('lets auditors read the ledger, and detects an entry altered in the table', async () => {
    expect((await call('/api/v1/audit', maker)).status).toBe(403);
    const ledger = (await (await call('/api/v1/audit?limit=100', auditor)).json()) as {
      items: { seq: number; action: string; actor: string }[];
    };
    // A re-sent results file adds nothing: its staging and confirmation are each recorded once.
    expect(ledger.items.map((e) => e.action).slice(0, 12)).toEqual([
      'payment-batch.create',
      'payment-batch.approve',
      'payment-batch.export',
      'payment-batch.export',
      'payment-batch.export',
      'payment-batch.results',
      'payment-batch.results-confirm',
      'payment-line.failure-confirm',
      'payment-batch.create',
      'payment-batch.approve',
      'payment-batch.results',
      'payment-batch.results-confirm',
    ]);
    expect(ledger.items.slice(12).filter((e) => e.action === 'payment-batch.reject').length).toBeGreaterThan(
      0,
    );
    expect(ledger.items[1]).toMatchObject({ actor: checker.user, role: 'approver' });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['audit', 'verify'])).toBe(0);
    expect(log).toHaveBeenCalledWith(`OK: audit ledger intact, ${ledger.items.length} entries`);

    const { config, doc } = getRuntime();
    await doc.send(
      new UpdateCommand({
        TableName: config.tables.operations,
        Key: operationsKeys.auditEntry(2),
        UpdateExpression: 'SET actor = :someone',
        ExpressionAttributeValues: { ':someone': 'officer-sana' },
      }),
    );

    expect(await main(['audit', 'verify'])).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/fails at seq 2/));
    const verdict = await (await call('/api/v1/audit/verify', auditor)).json();
    expect(verdict).toMatchObject({ ok: false, brokenSeq: 2 });
    log.mockRestore();
    error.mockRestore();
  });
});
