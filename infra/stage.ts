import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const stageNames = ['dev', 'prod'] as const;
export type StageName = (typeof stageNames)[number];

/** What differs between a throwaway developer stack and the one households depend on. */
export interface StageConfig {
  readonly name: StageName;
  /** Applied to everything holding data (tables, key, secrets, log groups). */
  readonly removalPolicy: RemovalPolicy;
  /**
   * DynamoDB deletion protection. Off in dev on purpose: a dev stack is meant to be destroyed with
   * `cdk destroy`, which deletion protection would block.
   */
  readonly tableDeletionProtection: boolean;
  readonly logRetention: RetentionDays;
  /**
   * Default-route throttling of the HTTP API (requests per second and burst). Prod is sized for 10x the
   * 2020 average (about 890 SMS a second) with headroom; the queue absorbs the rest of a surge.
   */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

const configs: Record<StageName, StageConfig> = {
  dev: {
    name: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    tableDeletionProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    apiThrottle: { rateLimit: 100, burstLimit: 200 },
  },
  prod: {
    name: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_MONTH,
    apiThrottle: { rateLimit: 9_000, burstLimit: 10_000 },
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
