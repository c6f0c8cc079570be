import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

/**
 * How long a secret read from Secrets Manager is reused before it is read again: a rotated key
 * reaches every warm Lambda within this time, and a surge costs one read per instance per period.
 */
export const SECRET_MAX_AGE_SECONDS = 300;

let provider: SecretsProvider | undefined;
/** Reads under way: concurrent first calls (a batch's records at once) share one GetSecretValue. */
const pending = new Map<string, Promise<string | undefined>>();

/** A secret's string through Powertools Parameters, cached for `SECRET_MAX_AGE_SECONDS`. */
export function readSecretString(secretId: string): Promise<string | undefined> {
  provider ??= new SecretsProvider();
  const secrets = provider;
  let read = pending.get(secretId);
  if (!read) {
    read = secrets
      .get(secretId, { maxAge: SECRET_MAX_AGE_SECONDS })
      .then((value) => (typeof value === 'string' ? value : undefined))
      .finally(() => pending.delete(secretId));
    pending.set(secretId, read);
  }
  return read;
}
