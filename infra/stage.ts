import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const stageNames = ['dev', 'prod'] as const;
export type StageName = (typeof stageNames)[number];

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** What differs between a throwaway developer stack and the one households depend on. */
export interface StageConfig {
  readonly name: StageName;
  /** Applied to everything holding data (tables, key, secrets, log groups, the staff user pool). */
  readonly removalPolicy: RemovalPolicy;
  /**
   * DynamoDB and Cognito deletion protection. Off in dev on purpose: a dev stack is meant to be
   * destroyed with `cdk destroy`, which deletion protection would block.
   */
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  /**
   * Default-route throttling of the HTTP API (requests per second and burst). Prod is sized for 10x the
   * 2020 average (about 890 SMS a second) with headroom; the queue absorbs the rest of a surge.
   */
  readonly apiThrottle: Throttle;
  /**
   * Throttling of the household web routes (register, status, change request). HTTP APIs have no
   * per-client limit (WAF cannot attach to them), so a route limit below the SMS webhook's keeps a
   * scripted flood of the web form from eating the capacity the short code needs.
   */
  readonly publicWebThrottle: Throttle;
  /**
   * Concurrency reserved for the api function: ingest keeps its capacity when something else in the
   * account (another stack, a runaway script) uses up the regional pool. It is also a ceiling, so it is
   * sized above the stage's rate limit times the api's latency (9,000 rps x ~30 ms = 270). Undefined
   * in dev: new accounts start with a small concurrency quota that a reservation would exhaust.
   */
  readonly apiReservedConcurrency?: number;
  /** Staff sign-in: MFA required (prod) or optional (dev, throwaway test users). */
  readonly staffMfaRequired: boolean;
  /**
   * Cognito Plus tier with threat protection enforced (compromised-credential and risk-based checks).
   * Staff approve payments, so prod pays the Plus price (per staff user, not per household).
   */
  readonly staffThreatProtection: boolean;
  /**
   * Deploy options kept with the stage, by their `-c` names (infra/deploy-options.ts), so a `cdk deploy`
   * without `-c` keeps the SMS provider wiring; a `-c name=value` still overrides one for that deploy.
   */
  readonly deploy: Readonly<Record<string, string | number | boolean>>;
}

const configs: Record<StageName, StageConfig> = {
  dev: {
    name: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    apiThrottle: { rateLimit: 100, burstLimit: 200 },
    publicWebThrottle: { rateLimit: 20, burstLimit: 40 },
    staffMfaRequired: false,
    staffThreatProtection: false,
    // A throwaway stack: replies are recorded, not sent (`-c smsProviderUrl=...` to try an aggregator).
    deploy: {},
  },
  prod: {
    name: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.ONE_MONTH,
    apiThrottle: { rateLimit: 9_000, burstLimit: 10_000 },
    publicWebThrottle: { rateLimit: 1_000, burstLimit: 2_000 },
    apiReservedConcurrency: 400,
    staffMfaRequired: true,
    staffThreatProtection: true,
    deploy: {
      // The contracted SMS aggregator's send endpoint (docs/deploy.md, step 6): change it here, in review,
      // never on one deploy's command line. Its key lives in the stack's provider key secret.
      smsProviderUrl: 'https://sms-aggregator.example/v1/messages',
    },
  },
};

function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && (stageNames as readonly string[]).includes(value);
}

/** Reads the `stage` context value (`cdk synth -c stage=prod`); fails fast on anything unknown. */
export function stageConfig(value: unknown): StageConfig {
  const name = value ?? 'dev';
  if (!isStageName(name)) {
    throw new Error(`Unknown stage ${JSON.stringify(name)}: expected one of ${stageNames.join(', ')}`);
  }
  return configs[name];
}
