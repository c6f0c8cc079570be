import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createDocumentClient,
  createSqsClient,
  issueStaffToken,
  loadRuntimeConfig,
  loadSecrets,
} from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { resolveDataDir } from '@madad/local/state';
import { useRunningStackEnv } from '../stack-env.js';
import { runSurge } from '../surge/run-surge.js';
import { StaffApi } from '../surge/staff-api.js';
import type { SurgeCaps } from '../surge/surge-caps.js';
import type { PayingStaff } from '../surge/surge-pay.js';
import { formatSurgeReport } from '../surge/surge-report.js';
import { localTarget, remoteTarget, type SurgeTarget } from '../surge/surge-target.js';

const USAGE = [
  'usage: madad surge [--households N] [--messages M] [--rate R] [--concurrency C] [--seed S] [--out DIR]',
  '                   [--repeat-factor F] [--keep-open] [--max-households N] [--budget-cap PKR]',
  '                   [--pay [--batch-lines L]]',
  '                   [--url URL --secret WEBHOOK_SECRET (--jwt-secret SECRET | --token JWT)]',
  '  Against the running local stack (npm start) unless --url is given; the population is imported only',
  '  into the local stack (a deployed one must already hold the same seed). Defaults: 1000 households,',
  '  5000 messages at 200/s over 32 connections, seed "surge", out .madad/surge.',
  '  --max-households / --budget-cap cap the campaign; the report proves enrolled = min(cap, eligible) and',
  '  that every household past the cap was waitlisted and told so (local stack only).',
  '  --pay: after the drain, batches are made, approved, exported and their results (all PAID) staged and',
  '  confirmed by three different staff users; the report proves bank files = batches = budget = ledger and',
  '  that the audit ledger verifies (batches of --batch-lines, default 1000, at most 5000; needs the local',
  '  stack or --jwt-secret). Exit 1 when any check fails.',
].join('\n');
const STAFF_ROLES = ['emergency-cell', 'program-officer'] as const;

/** `madad surge`: a load rehearsal through the real webhook, with a report that proves nothing was lost. */
export async function surgeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      'jwt-secret': { type: 'string' },
      token: { type: 'string' },
      households: { type: 'string', default: '1000' },
      messages: { type: 'string', default: '5000' },
      rate: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '32' },
      seed: { type: 'string', default: 'surge' },
      out: { type: 'string', default: '.madad/surge' },
      'repeat-factor': { type: 'string' },
      'keep-open': { type: 'boolean', default: false },
      'max-households': { type: 'string' },
      'budget-cap': { type: 'string' },
      pay: { type: 'boolean', default: false },
      'batch-lines': { type: 'string', default: '1000' },
    },
  });
  const numbers = {
    households: Number(values.households),
    messages: Number(values.messages),
    rate: Number(values.rate),
    concurrency: Number(values.concurrency),
  };
  const repeatFactor = values['repeat-factor'] === undefined ? undefined : Number(values['repeat-factor']);
  const caps = capsOf(values['max-households'], values['budget-cap']);
  if (
    caps === 'invalid' ||
    !(Number.isInteger(Number(values['batch-lines'])) && Number(values['batch-lines']) >= 1) ||
    Number(values['batch-lines']) > 5000 ||
    !Number.isInteger(numbers.households) ||
    numbers.households < 1 ||
    !Number.isInteger(numbers.messages) ||
    numbers.messages < 1 ||
    !(numbers.rate >= 0) ||
    !Number.isInteger(numbers.concurrency) ||
    numbers.concurrency < 1 ||
    (repeatFactor !== undefined && !(repeatFactor >= 1))
  ) {
    console.error(USAGE);
    return 2;
  }
  if (caps && values.url) {
    console.error(`A capped surge is counted through the local stack's tables: leave out --url\n${USAGE}`);
    return 2;
  }
  const target = await connect(values);
  if (!target) return 2;
  const pay = values.pay ? await payingStaff(target, values['jwt-secret']) : undefined;
  if (values.pay && !pay) {
    console.error(`--pay issues staff tokens for several users: with --url, give --jwt-secret\n${USAGE}`);
    return 2;
  }
  const report = await runSurge(target, {
    ...numbers,
    seed: values.seed,
    outDir: resolve(values.out),
    keepOpen: values['keep-open'],
    ...(repeatFactor ? { repeatFactor } : {}),
    ...(caps ? { caps } : {}),
    ...(pay ? { pay, payBatchLines: Number(values['batch-lines']) } : {}),
    progress: true,
    log: (line) => console.error(line),
  });
  target.local?.doc.destroy();
  target.local?.sqs.destroy();
  console.log(formatSurgeReport(report));
  return report.ok ? 0 : 1;
}

function capsOf(maxHouseholds?: string, budgetCap?: string): SurgeCaps | undefined | 'invalid' {
  if (maxHouseholds === undefined && budgetCap === undefined) return undefined;
  const caps = {
    ...(maxHouseholds === undefined ? {} : { maxHouseholds: Number(maxHouseholds) }),
    ...(budgetCap === undefined ? {} : { budgetCap: Number(budgetCap) }),
  };
  return Object.values(caps).every((v) => Number.isInteger(v) && v >= 1) ? caps : 'invalid';
}

/** Maker, approver, confirmer and auditor: four users, so that maker-checker is exercised for real. */
async function payingStaff(target: SurgeTarget, jwtSecret?: string): Promise<PayingStaff | undefined> {
  // The local stack's signing key is the one `connect` used; a deployed stack's must be given.
  const key = jwtSecret ?? (target.local ? (await loadSecrets()).jwtSecret : undefined);
  if (!key) return undefined;
  const baseUrl = target.baseUrl;
  const as = async (user: string, role: StaffRole) =>
    new StaffApi(baseUrl, await issueStaffToken(key, { user, roles: [role] }));
  return {
    maker: await as('surge-maker', 'program-officer'),
    approver: await as('surge-approver', 'approver'),
    confirmer: await as('surge-confirmer', 'approver'),
    auditor: await as('surge-auditor', 'auditor'),
  };
}

async function connect(values: {
  url?: string;
  secret?: string;
  'jwt-secret'?: string;
  token?: string;
}): Promise<SurgeTarget | undefined> {
  if (values.url) {
    if (!values.secret || !(values['jwt-secret'] || values.token)) {
      console.error(`--url needs --secret and --jwt-secret or --token\n${USAGE}`);
      return undefined;
    }
    const staffToken =
      values.token ??
      (await issueStaffToken(values['jwt-secret'] ?? '', { user: 'surge', roles: [...STAFF_ROLES] }));
    return remoteTarget({ baseUrl: values.url, webhookSecret: values.secret, staffToken });
  }
  const { httpUrl } = await useRunningStackEnv();
  if (!httpUrl) {
    console.error(
      `No running local stack found in ${resolveDataDir()}: start it with npm start, or give --url.`,
    );
    return undefined;
  }
  const config = loadRuntimeConfig();
  const secrets = await loadSecrets();
  return localTarget({
    baseUrl: httpUrl,
    webhookSecret: secrets.smsWebhookSecret,
    staffToken: await issueStaffToken(secrets.jwtSecret, { user: 'surge', roles: [...STAFF_ROLES] }),
    access: {
      doc: createDocumentClient(config),
      sqs: createSqsClient(config),
      config,
      pepper: secrets.cnicPepper,
    },
  });
}
