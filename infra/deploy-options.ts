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
}

const topicArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

type Context = (key: string) => unknown;

/** Reads `smsInboundTopic`, `smsProviderUrl`, `apiReservedConcurrency` and `smsSendRate` from the context. */
export function deployOptions(context: Context): DeployOptions {
  return {
    ...smsInboundTopic(context('smsInboundTopic')),
    ...smsProviderUrl(context('smsProviderUrl')),
    ...reservedConcurrency(context('apiReservedConcurrency')),
    ...sendRate(context('smsSendRate')),
  };
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
