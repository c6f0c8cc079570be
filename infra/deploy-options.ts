import { type RunProfile, runProfiles } from './run-profiles.js';

/**
 * Optional deployment settings read from CDK context (`cdk deploy -c name=value`), validated once so a
 * typo fails the synth instead of deploying something else.
 */
export interface DeployOptions {
  /**
   * AWS End User Messaging two-way SMS: `create` makes an encrypted topic the service may publish to;
   * `arn` subscribes to an existing topic (one already wired to a phone number).
   */
  readonly smsInboundTopic?:
    | { readonly kind: 'create' }
    | { readonly kind: 'existing'; readonly arn: string };
  /** The SMS aggregator's send endpoint; without it replies go nowhere (the local provider). */
  readonly smsProviderUrl?: string;
  /** Overrides the stage's reserved concurrency of the api function; 0 removes the reservation. */
  readonly apiReservedConcurrency?: number;
  /** Messages a second the SMS aggregator takes from the deployment (its contract); senders share it. */
  readonly smsSendRate?: number;
  /** A large run's settings (`-c runProfile=national`): warm tables, more workers (infra/run-profiles.ts). */
  readonly runProfile?: RunProfile;
  /** The account's Lambda concurrency quota in the Region; with a run profile, the profile's figure. */
  readonly accountConcurrency?: number;
}

const topicArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

type Context = (key: string) => unknown;

/**
 * Reads `smsInboundTopic`, `smsProviderUrl`, `apiReservedConcurrency`, `smsSendRate`, `runProfile` and
 * `accountConcurrency` from the context.
 */
export function deployOptions(context: Context): DeployOptions {
  return {
    ...smsInboundTopic(context('smsInboundTopic')),
    ...smsProviderUrl(context('smsProviderUrl')),
    ...reservedConcurrency(context('apiReservedConcurrency')),
    ...sendRate(context('smsSendRate')),
    ...runProfile(context('runProfile')),
    ...accountConcurrency(context('accountConcurrency')),
  };
}

function runProfile(value: unknown): Pick<DeployOptions, 'runProfile'> {
  if (value === undefined || value === '') return {};
  const profile = typeof value === 'string' ? runProfiles[value] : undefined;
  if (profile) return { runProfile: profile };
  const names = Object.keys(runProfiles).join(', ');
  throw new Error(`runProfile must be one of ${names}, not ${JSON.stringify(value)}`);
}

function accountConcurrency(value: unknown): Pick<DeployOptions, 'accountConcurrency'> {
  if (value === undefined || value === '') return {};
  const number = typeof value === 'number' ? value : Number(value);
  if (Number.isInteger(number) && number >= 1) return { accountConcurrency: number };
  throw new Error(`accountConcurrency must be a whole number >= 1, not ${JSON.stringify(value)}`);
}

function smsInboundTopic(value: unknown): Pick<DeployOptions, 'smsInboundTopic'> {
  // `-c smsInboundTopic=true` arrives as a string; cdk.json or a test may pass a boolean.
  if (value === undefined || value === false || value === 'false' || value === '') return {};
  if (value === true || value === 'true') return { smsInboundTopic: { kind: 'create' } };
  if (typeof value === 'string' && topicArnPattern.test(value)) {
    return { smsInboundTopic: { kind: 'existing', arn: value } };
  }
  throw new Error(`smsInboundTopic must be true or an SNS topic ARN, not ${JSON.stringify(value)}`);
}

function smsProviderUrl(value: unknown): Pick<DeployOptions, 'smsProviderUrl'> {
  if (value === undefined || value === '') return {};
  if (typeof value === 'string' && /^https:\/\/[^\s]+$/.test(value)) return { smsProviderUrl: value };
  throw new Error(`smsProviderUrl must be an https:// URL, not ${JSON.stringify(value)}`);
}

function reservedConcurrency(value: unknown): Pick<DeployOptions, 'apiReservedConcurrency'> {
  if (value === undefined || value === '') return {};
  const number = typeof value === 'number' ? value : Number(value);
  if (Number.isInteger(number) && number >= 0) return { apiReservedConcurrency: number };
  throw new Error(`apiReservedConcurrency must be a whole number >= 0, not ${JSON.stringify(value)}`);
}

function sendRate(value: unknown): Pick<DeployOptions, 'smsSendRate'> {
  if (value === undefined || value === '') return {};
  const number = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(number) && number >= 1) return { smsSendRate: number };
  throw new Error(`smsSendRate must be messages a second (at least 1), not ${JSON.stringify(value)}`);
}
