import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createDocumentClient,
  createSqsClient,
  issueStaffToken,
  loadRuntimeConfig,
  loadSecrets,
} from '@madad/adapters';
import { resolveDataDir } from '@madad/local/state';
import { useRunningStackEnv } from '../stack-env.js';
import { runSurge } from '../surge/run-surge.js';
import { formatSurgeReport } from '../surge/surge-report.js';
import { localTarget, remoteTarget, type SurgeTarget } from '../surge/surge-target.js';

const USAGE = [
  'usage: madad surge [--households N] [--messages M] [--rate R] [--concurrency C] [--seed S] [--out DIR]',
  '                   [--repeat-factor F] [--keep-open]',
  '                   [--url URL --secret WEBHOOK_SECRET (--jwt-secret SECRET | --token JWT)]',
  '  Against the running local stack (npm start) unless --url is given; the population is imported only',
  '  into the local stack (a deployed one must already hold the same seed). Defaults: 1000 households,',
  '  5000 messages at 200/s over 32 connections, seed "surge", out .madad/surge.',
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
    },
  });
  const numbers = {
    households: Number(values.households),
    messages: Number(values.messages),
    rate: Number(values.rate),
    concurrency: Number(values.concurrency),
  };
  const repeatFactor = values['repeat-factor'] === undefined ? undefined : Number(values['repeat-factor']);
  if (
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
  const target = await connect(values);
  if (!target) return 2;
  const report = await runSurge(target, {
    ...numbers,
    seed: values.seed,
    outDir: resolve(values.out),
    keepOpen: values['keep-open'],
    ...(repeatFactor ? { repeatFactor } : {}),
    progress: true,
    log: (line) => console.error(line),
  });
  target.local?.doc.destroy();
  target.local?.sqs.destroy();
  console.log(formatSurgeReport(report));
  return report.counts.nothingLost && report.drained ? 0 : 1;
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
