import { resolve } from 'node:path';
import {
  createDocumentClient,
  createSqsClient,
  issueStaffToken,
  loadRuntimeConfig,
  loadSecrets,
} from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { resolveDataDir } from '@madad/local/state';
import { type CommandInput, UsageError } from '../command.js';
import type { surgeOptions } from '../declarations/surge.js';
import { useRunningStackEnv } from '../stack-env.js';
import { runSurge } from '../surge/run-surge.js';
import { StaffApi } from '../surge/staff-api.js';
import type { SurgeCaps } from '../surge/surge-caps.js';
import type { PayingStaff } from '../surge/surge-pay.js';
import { formatSurgeReport } from '../surge/surge-report.js';
import { localTarget, remoteTarget, type SurgeTarget } from '../surge/surge-target.js';

const STAFF_ROLES = ['emergency-cell', 'program-officer'] as const;

/** `madad surge`: a load rehearsal through the real webhook, with a report that proves nothing was lost. */
export async function surgeCommand({ values }: CommandInput<typeof surgeOptions>): Promise<number> {
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
    throw new UsageError('a number is out of range (see --help)');
  }
  if (caps && values.url) {
    throw new UsageError("a capped surge is counted through the local stack's tables: leave out --url");
  }
  const target = await connect(values);
  if (!target) return 2;
  const pay = values.pay ? await payingStaff(target, values['jwt-secret']) : undefined;
  if (values.pay && !pay) {
    throw new UsageError('--pay issues staff tokens for several users: with --url, give --jwt-secret');
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
  console.log(values.json ? JSON.stringify(report) : formatSurgeReport(report));
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
      throw new UsageError('--url needs --secret and --jwt-secret or --token');
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
