import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadAuditKey, loadSecrets, SECRET_MAX_AGE_SECONDS } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';

const secrets = mockClient(SecretsManagerClient);
const APP_SECRETS = {
  smsWebhookSecret: 'webhook-0123456789abcdef',
  cnicPepper: 'pepper-0123456789abcdef',
  jwtSecret: 'jwt-0123456789abcdef0123',
};

afterEach(() => {
  secrets.reset();
  vi.useRealTimers();
});

describe('secrets through Powertools Parameters', () => {
  it('reads the application secret once for many calls, and again once its 5 minute lifetime is over (a rotated value arrives)', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T10:00:00Z'), toFake: ['Date'] });
    const arn = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:madad-app-cache';
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify(APP_SECRETS) })
      .resolves({ SecretString: JSON.stringify({ ...APP_SECRETS, jwtSecret: 'jwt-rotated-0123456789ab' }) });
    const env = { MADAD_STAGE: 'prod', MADAD_SECRETS_ARN: arn };

    const first = await Promise.all([loadSecrets(env), loadSecrets(env), loadSecrets(env)]);
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
    const warm = await loadSecrets(env);
    vi.setSystemTime(Date.now() + 2000);
    const rotated = await loadSecrets(env);

    expect(SECRET_MAX_AGE_SECONDS).toBe(300);
    expect(first.map((s) => s.jwtSecret)).toEqual([
      APP_SECRETS.jwtSecret,
      APP_SECRETS.jwtSecret,
      APP_SECRETS.jwtSecret,
    ]);
    expect(warm.jwtSecret).toBe(APP_SECRETS.jwtSecret);
    expect(rotated.jwtSecret).toBe('jwt-rotated-0123456789ab');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads the audit ledger key from its own secret through the same cache', async () => {
    const arn = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:madad-audit-key';
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'audit-ledger-key-0123456789\n' });
    const env = { MADAD_STAGE: 'prod', MADAD_AUDIT_KEY_SECRET_ARN: arn };

    const keys = await Promise.all([loadAuditKey(env), loadAuditKey(env)]);

    expect(keys).toEqual(['audit-ledger-key-0123456789', 'audit-ledger-key-0123456789']);
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([arn]);
  });
});
