/** Secrets the handlers read from the environment in local mode. */
export interface LocalSecrets {
  readonly smsWebhookSecret?: string;
  readonly cnicPepper?: string;
  readonly jwtSecret?: string;
  /** The key the sender presents to the stack's SMS gateway; default a random one each start. */
  readonly smsProviderKey?: string;
}

const SECRET_VARIABLES = [
  ['smsWebhookSecret', 'MADAD_SMS_WEBHOOK_SECRET', 'local-dev-secret'],
  ['cnicPepper', 'MADAD_CNIC_PEPPER', 'local-dev-pepper'],
  ['jwtSecret', 'MADAD_JWT_SECRET', 'local-dev-jwt-secret'],
] as const;

export interface LocalEnvInput {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly region: string;
  /** Table and queue variables from the bootstrap. */
  readonly resources: Readonly<Record<string, string>>;
  readonly secrets?: LocalSecrets;
  /** The stack's SMS gateway and its key: where the sender hands replies, as it does in the cloud. */
  readonly smsGateway: { readonly url: string; readonly apiKey: string };
}

/**
 * The environment the handlers run with locally. Secrets come from the options, then the existing
 * environment, then the well-known local defaults; AWS credentials get dummy values only when none
 * are configured, so a real profile still works against an overridden endpoint.
 */
export function buildLocalEnv(input: LocalEnvInput, current: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {
    MADAD_STAGE: 'local',
    MADAD_DYNAMODB_ENDPOINT: input.dynamodbEndpoint,
    MADAD_SQS_ENDPOINT: input.sqsEndpoint,
    AWS_REGION: input.region,
    // Every function runs in this one process, so they share one service name in the logs.
    POWERTOOLS_SERVICE_NAME: current.POWERTOOLS_SERVICE_NAME || 'madad-local',
    MADAD_SMS_PROVIDER_URL: input.smsGateway.url,
    MADAD_SMS_PROVIDER_KEY: input.smsGateway.apiKey,
    ...input.resources,
  };
  for (const [option, variable, fallback] of SECRET_VARIABLES) {
    env[variable] = input.secrets?.[option] || current[variable] || fallback;
  }
  if (!current.AWS_ACCESS_KEY_ID && !current.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = 'test';
    env.AWS_SECRET_ACCESS_KEY = 'test';
  }
  return env;
}
