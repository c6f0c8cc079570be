import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient, createSqsClient, issueStaffToken, loadRuntimeConfig } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSurge, type SurgeReport } from '../../packages/cli/src/surge/run-surge.js';
import { StaffApi } from '../../packages/cli/src/surge/staff-api.js';
import { formatSurgeReport } from '../../packages/cli/src/surge/surge-report.js';
import { localTarget, type SurgeTarget } from '../../packages/cli/src/surge/surge-target.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

// A file (and so a stack) of its own: handlers bind their configuration once per process, and the
// plain surge's reconcilers would cache its campaign list for 15 s before seeing this campaign.
let capped: TestStack;
let cappedTarget: SurgeTarget;
let cappedOut: string;
let paid: SurgeReport;

beforeAll(async () => {
  capped = await startTestStack({ seed: false, visibilityTimeoutSeconds: 10 });
  cappedOut = await mkdtemp(join(tmpdir(), 'madad-surge-capped-'));
  const env = capped.stack.env;
  const config = loadRuntimeConfig(env);
  const jwt = env.MADAD_JWT_SECRET ?? '';
  const as = async (user: string, role: StaffRole) =>
    new StaffApi(capped.stack.httpUrl, await issueStaffToken(jwt, { user, roles: [role] }));
  cappedTarget = localTarget({
    baseUrl: capped.stack.httpUrl,
    webhookSecret: env.MADAD_SMS_WEBHOOK_SECRET ?? '',
    staffToken: await issueStaffToken(jwt, {
      user: 'surge-test',
      roles: ['emergency-cell', 'program-officer'],
    }),
    access: {
      doc: createDocumentClient(config),
      sqs: createSqsClient(config),
      config,
      pepper: env.MADAD_CNIC_PEPPER ?? '',
    },
  });
  paid = await runSurge(cappedTarget, {
    households: 200,
    messages: 300,
    rate: 300,
    concurrency: 8,
    seed: 'surge-capped-test',
    outDir: cappedOut,
    campaignCacheSeconds: 0,
    drainTimeoutSeconds: 60,
    caps: { maxHouseholds: 20 },
    payBatchLines: 8,
    pay: {
      maker: await as('surge-maker', 'program-officer'),
      approver: await as('surge-approver', 'approver'),
      confirmer: await as('surge-confirmer', 'approver'),
      auditor: await as('surge-auditor', 'auditor'),
    },
  });
}, 90_000);

afterAll(async () => {
  cappedTarget?.local?.doc.destroy();
  cappedTarget?.local?.sqs.destroy();
  await capped?.stop();
  if (cappedOut) await rm(cappedOut, { recursive: true, force: true });
});

describe('madad surge --max-households 20 --pay on the embedded stack', () => {
  it('still loses nothing', () => {
    expect(paid.drained).toBe(true);
    expect(paid.counts.nothingLost).toBe(true);
  });

  it('enrolls exactly the cap when more households are eligible, and waitlists the rest', () => {
    const caps = paid.caps;
    expect(caps?.eligible).toBeGreaterThan(20);
    expect(caps?.enrolled).toBe(20);
    expect(caps?.expectedEnrolled).toBe(20);
    expect(caps?.waitlisted).toBe((caps?.eligible ?? 0) - 20);
    expect(caps?.waitlistJustified).toBe(true);
    expect(caps?.ok).toBe(true);
  });

  it('answers every message decided WAITLISTED with the waitlist reply', () => {
    const caps = paid.caps;
    expect(caps?.decidedWaitlisted).toBeGreaterThan(0);
    expect(paid.counts.decisionsByStatus.WAITLISTED).toBe(caps?.decidedWaitlisted);
    expect(caps?.toldWaitlist).toBe(caps?.decidedWaitlisted);
    expect(caps?.decidedWaitlistedNotOnWaitlist).toBe(0);
  });

  it('pays every enrolled household once, with bank files, batches, budget and ledger agreeing', () => {
    const p = paid.payment;
    // Batches of 8 lines: the maker goes on until none is left.
    expect(p?.batches).toBe(Math.ceil((p?.lines ?? 0) / 8));
    expect(p?.batches).toBeGreaterThan(1);
    expect((p?.lines ?? 0) + (p?.held ?? 0)).toBe(20);
    expect(p?.bankFilesVerified).toBe(true);
    expect(p?.bankFileTotal).toBe(p?.batchTotal);
    expect(p?.budgetPaid).toBe(p?.batchTotal);
    // The ledger's own rupees: the confirmations' paid amounts, nothing failed or paid twice.
    expect(p?.ledgerPaid).toBe(p?.batchTotal);
    expect(p?.ledgerFailed).toBe(0);
    expect(p?.ledgerDuplicates).toBe(0);
    expect(p?.budgetPaidHouseholds).toBe(p?.lines);
    expect(p?.ledgerResultsPaidLines).toBe(p?.lines);
    expect(p?.makers).toEqual(['surge-maker']);
    expect(p?.approvers).toEqual(['surge-approver']);
    expect(p?.confirmers).toEqual(['surge-confirmer']);
    expect(p?.ok).toBe(true);
  });

  it('ends with a ledger that verifies, and a report whose verdict is ok', () => {
    expect(paid.payment?.auditVerify.ok).toBe(true);
    expect(paid.ok).toBe(true);
    expect(formatSurgeReport(paid)).toMatch(
      /Caps {9}ok[\s\S]*Payment {6}ok[\s\S]*Verdict {6}every check holds/,
    );
  });
});
