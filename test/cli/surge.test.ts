import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient, createSqsClient, issueStaffToken, loadRuntimeConfig } from '@madad/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSurge, type SurgeReport } from '../../packages/cli/src/surge/run-surge.js';
import { localTarget, type SurgeTarget } from '../../packages/cli/src/surge/surge-target.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

let t: TestStack;
let target: SurgeTarget;
let outDir: string;
let report: SurgeReport;

beforeAll(async () => {
  // A short visibility timeout: a batch the consumers fail (a reply still being claimed by another
  // sender) comes back in seconds rather than minutes, so the queues drain within the test.
  t = await startTestStack({ seed: false, visibilityTimeoutSeconds: 10 });
  outDir = await mkdtemp(join(tmpdir(), 'madad-surge-'));
  const config = loadRuntimeConfig(t.stack.env);
  const env = t.stack.env;
  target = localTarget({
    baseUrl: t.stack.httpUrl,
    webhookSecret: env.MADAD_SMS_WEBHOOK_SECRET ?? '',
    staffToken: await issueStaffToken(env.MADAD_JWT_SECRET ?? '', {
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
  // A fresh stack: no reconciler has cached the campaign list yet, so there is nothing to wait for.
  report = await runSurge(target, {
    households: 150,
    messages: 300,
    rate: 300,
    concurrency: 8,
    seed: 'surge-test',
    outDir,
    campaignCacheSeconds: 0,
    drainTimeoutSeconds: 60,
  });
}, 90_000);

afterAll(async () => {
  target?.local?.doc.destroy();
  target?.local?.sqs.destroy();
  await t?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('madad surge on the embedded stack', () => {
  it('accepts every message and drains every queue', () => {
    expect(report.counts.planned).toBe(300);
    expect(report.counts.accepted).toBe(300);
    expect(report.drained).toBe(true);
    expect(report.deadLetters).toBe(0);
  });

  it('records exactly one registration and one reply per accepted message', () => {
    const { counts } = report;
    expect(counts.registrations.found).toBe(counts.accepted);
    // Silenced: past a phone's hourly allowance, recorded but deliberately not answered.
    expect(counts.replies.exactlyOne + counts.replies.silenced).toBe(counts.accepted);
    expect(counts.replies.none + counts.replies.moreThanOne + counts.replies.silencedButAnswered).toBe(0);
    expect(counts.nothingLost).toBe(true);
  });

  it('has decisions (and help answers) that sum to the messages accepted', () => {
    const decided = Object.values(report.counts.decisionsByStatus).reduce((sum, n) => sum + n, 0);
    expect(decided).toBe(report.counts.accepted);
    expect(Object.keys(report.counts.decisionsByStatus)).toEqual(
      expect.arrayContaining(['ELIGIBLE', 'NOT_ELIGIBLE', 'DUPLICATE', 'INVALID_REQUEST']),
    );
  });

  it('absorbs repeats and redeliveries without enrolling a household twice', () => {
    const { counts } = report;
    expect(counts.duplicates.repeats).toBeGreaterThan(0);
    expect(counts.duplicates.householdsEnrolledTwice).toBe(0);
    expect(counts.redeliveries.posted).toBeGreaterThan(0);
    expect(counts.redeliveries.accepted).toBe(counts.redeliveries.posted);
  });

  it('writes the report and a plot of the rates', async () => {
    expect(JSON.parse(await readFile(report.files.json, 'utf8')).runId).toBe(report.runId);
    expect(await readFile(report.files.svg, 'utf8')).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
  });
});
