import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './config.js';

/** Environment variable the SMS webhook reads its secret's ARN from (the webhook's only secret). */
export const smsWebhookSecretEnvName = 'MADAD_SMS_WEBHOOK_SECRET_ARN';

let cached: Promise<string> | undefined;

/**
 * The SMS aggregator's signing key, read once per cold start: from its own secret (a plain string)
 * when `MADAD_SMS_WEBHOOK_SECRET_ARN` is set (cloud), otherwise from `MADAD_SMS_WEBHOOK_SECRET`, whose
 * well-known default is allowed in local mode only. Kept out of the application secrets so that the
 * function every inbound SMS invokes never holds the CNIC pepper or the staff JWT key.
 */
export function loadSmsWebhookSecret(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  cached ??= readSmsWebhookSecret(env).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readSmsWebhookSecret(env: NodeJS.ProcessEnv): Promise<string> {
  const arn = env[smsWebhookSecretEnvName];
  if (arn) {
    const client = new SecretsManagerClient({});
    const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const secret = result.SecretString?.trim() ?? '';
    if (secret.length < 16) throw new ConfigurationError(`Secret ${arn} holds no SMS webhook secret`);
    return secret;
  }
  const value = env.MADAD_SMS_WEBHOOK_SECRET;
  if (value) return value;
  if ((env.MADAD_STAGE ?? 'local') === 'local') return 'local-dev-secret';
  throw new ConfigurationError(
    `Missing ${smsWebhookSecretEnvName} (or MADAD_SMS_WEBHOOK_SECRET) outside local mode`,
  );
}
