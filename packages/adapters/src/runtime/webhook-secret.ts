import * as z from 'zod';
import { ConfigurationError } from './config.js';
import { readSecretString } from './secret-cache.js';

/** Environment variable the SMS webhook reads its secret's ARN from (the webhook's only secret). */
export const smsWebhookSecretEnvName = 'MADAD_SMS_WEBHOOK_SECRET_ARN';

/**
 * The webhook's signing keys. During a rotation the aggregator may still sign with the previous key:
 * it is accepted until `previousUntil` (ISO time), then refused.
 */
export interface WebhookSigningKeys {
  readonly current: string;
  readonly previous?: string;
  readonly previousUntil?: string;
}
/** What the webhook route takes: the keys, or a single key (the embedded stack's variable). */
export type WebhookKeys = string | WebhookSigningKeys;

const KEY = z.string().trim().min(16);
/** The secret's value: the key as a plain string, or, while rotating, the JSON of both keys. */
const RotatingKeysSchema = z.object({
  current: KEY,
  previous: KEY.optional(),
  previousUntil: z.iso.datetime({ offset: true }).optional(),
});

/** Reads a secret's value: a plain key, or `{"current","previous","previousUntil"}` during a rotation. */
export function parseWebhookSecret(value: string, source: string): WebhookSigningKeys {
  const text = value.trim();
  if (!text.startsWith('{')) {
    if (!KEY.safeParse(text).success)
      throw new ConfigurationError(`Secret ${source} holds no SMS webhook secret`);
    return { current: text };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`Secret ${source} is neither a key nor the JSON of a rotation`);
  }
  const keys = RotatingKeysSchema.safeParse(json);
  if (!keys.success) throw new ConfigurationError(`Secret ${source} lacks current (16+ characters)`);
  return keys.data;
}

/** The last secret value read and its keys: every inbound SMS reads the keys, a rotation changes them. */
let lastParsed: { value: string; source: string; keys: WebhookSigningKeys } | undefined;
function parsedOnce(value: string, source: string): WebhookSigningKeys {
  if (lastParsed?.value !== value || lastParsed.source !== source)
    lastParsed = { value, source, keys: parseWebhookSecret(value, source) };
  return lastParsed.keys;
}

/**
 * The SMS aggregator's signing keys: from their own secret through Powertools Parameters (cached for
 * five minutes, so a rotation reaches warm functions) when `MADAD_SMS_WEBHOOK_SECRET_ARN` is set
 * (cloud), otherwise from `MADAD_SMS_WEBHOOK_SECRET`, whose well-known default is allowed in local
 * mode only. Kept out of the application secrets so that the function every inbound SMS invokes never
 * holds the CNIC pepper or the staff JWT key.
 */
export async function loadSmsWebhookSecret(
  env: NodeJS.ProcessEnv = process.env,
): Promise<WebhookSigningKeys> {
  const arn = env[smsWebhookSecretEnvName];
  if (arn) return parsedOnce((await readSecretString(arn)) ?? '', arn);
  const value = env.MADAD_SMS_WEBHOOK_SECRET;
  if (value) return { current: value };
  if ((env.MADAD_STAGE ?? 'local') === 'local') return { current: 'local-dev-secret' };
  throw new ConfigurationError(
    `Missing ${smsWebhookSecretEnvName} (or MADAD_SMS_WEBHOOK_SECRET) outside local mode`,
  );
}
