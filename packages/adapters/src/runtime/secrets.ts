import * as z from 'zod';
import { ConfigurationError } from './config.js';
import { readSecretString } from './secret-cache.js';

export interface Secrets {
  readonly smsWebhookSecret: string;
  readonly cnicPepper: string;
  readonly jwtSecret: string;
}

const SecretsSchema = z.object({
  smsWebhookSecret: z.string().min(16),
  cnicPepper: z.string().min(16),
  jwtSecret: z.string().min(16),
});

const LOCAL_DEFAULTS: Secrets = {
  smsWebhookSecret: 'local-dev-secret',
  cnicPepper: 'local-dev-pepper',
  jwtSecret: 'local-dev-jwt-secret',
};

/**
 * The application secrets: from Secrets Manager through Powertools Parameters when `MADAD_SECRETS_ARN`
 * is set (cloud; cached for `SECRET_MAX_AGE_SECONDS`, so a rotated value reaches warm functions),
 * otherwise from the environment, where the well-known defaults are allowed only in local mode.
 */
export async function loadSecrets(env: NodeJS.ProcessEnv = process.env): Promise<Secrets> {
  const arn = env.MADAD_SECRETS_ARN;
  if (arn) {
    const parsed = SecretsSchema.safeParse(JSON.parse((await readSecretString(arn)) ?? '{}'));
    if (!parsed.success)
      throw new ConfigurationError(`Secret ${arn} lacks smsWebhookSecret/cnicPepper/jwtSecret`);
    return parsed.data;
  }
  const local = (env.MADAD_STAGE ?? 'local') === 'local';
  const pick = (name: string, fallback: string): string => {
    const value = env[name];
    if (value) return value;
    if (local) return fallback;
    throw new ConfigurationError(`Missing ${name} (or MADAD_SECRETS_ARN) outside local mode`);
  };
  return {
    smsWebhookSecret: pick('MADAD_SMS_WEBHOOK_SECRET', LOCAL_DEFAULTS.smsWebhookSecret),
    cnicPepper: pick('MADAD_CNIC_PEPPER', LOCAL_DEFAULTS.cnicPepper),
    jwtSecret: pick('MADAD_JWT_SECRET', LOCAL_DEFAULTS.jwtSecret),
  };
}

/**
 * The SMS provider's API key: from its own secret (a plain string) through Powertools Parameters when
 * `MADAD_SMS_PROVIDER_SECRET_ARN` is set (cloud; cached for `SECRET_MAX_AGE_SECONDS`), otherwise from
 * `MADAD_SMS_PROVIDER_KEY`. It is kept out of the application secrets so that the sender, which needs
 * only this key, never holds the pepper.
 */
export async function loadSmsProviderKey(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const arn = env.MADAD_SMS_PROVIDER_SECRET_ARN;
  if (!arn) {
    const key = env.MADAD_SMS_PROVIDER_KEY;
    if (!key)
      throw new ConfigurationError('Missing MADAD_SMS_PROVIDER_SECRET_ARN (or MADAD_SMS_PROVIDER_KEY)');
    return key;
  }
  const key = (await readSecretString(arn))?.trim();
  if (!key) throw new ConfigurationError(`Secret ${arn} holds no SMS provider key`);
  return key;
}
