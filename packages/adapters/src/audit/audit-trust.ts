import type { AuditAnchors, AuditTrust } from '@madad/core';
import { ConfigurationError } from '../runtime/config.js';
import { readSecretString } from '../runtime/secret-cache.js';
import { auditEnv } from './audit-env.js';
import { FileAuditAnchors } from './file-audit-anchors.js';
import { createS3Client, S3AuditAnchors } from './s3-audit-anchors.js';

let cachedLocalKey: Promise<string> | undefined;

/**
 * The ledger's MAC key: from its own secret (a plain string) through Powertools Parameters when
 * `MADAD_AUDIT_KEY_SECRET_ARN` is set (cloud; cached for `SECRET_MAX_AGE_SECONDS`), otherwise
 * `MADAD_AUDIT_KEY`, which the local stack generates in the data folder, read once. There is no
 * default: a well-known key would let anyone re-chain.
 */
export async function loadAuditKey(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const arn = env[auditEnv.keySecretArn];
  if (arn) {
    const key = (await readSecretString(arn))?.trim();
    if (!key || key.length < 16) throw new ConfigurationError(`Secret ${arn} holds no audit ledger key`);
    return key;
  }
  cachedLocalKey ??= readLocalAuditKey(env).catch((error: unknown) => {
    cachedLocalKey = undefined;
    throw error;
  });
  return cachedLocalKey;
}

async function readLocalAuditKey(env: NodeJS.ProcessEnv): Promise<string> {
  const key = env[auditEnv.key];
  if (!key || key.length < 16)
    throw new ConfigurationError(`Missing ${auditEnv.keySecretArn} (or ${auditEnv.key}, 16+ characters)`);
  return key;
}

/**
 * The anchors the environment names: the Object Lock bucket (cloud) or the data folder's file (local).
 * Resolved on first use, so a process that never appends or verifies needs neither.
 */
export function auditAnchorsFromEnv(env: NodeJS.ProcessEnv = process.env): AuditAnchors {
  let anchors: AuditAnchors | undefined;
  const resolve = (): AuditAnchors => {
    if (anchors) return anchors;
    const bucket = env[auditEnv.anchorBucket];
    const file = env[auditEnv.anchorsFile];
    if (bucket) anchors = new S3AuditAnchors(createS3Client(env.AWS_REGION ?? 'us-east-1'), bucket);
    else if (file) anchors = new FileAuditAnchors(file);
    else throw new ConfigurationError(`Missing ${auditEnv.anchorBucket} (or ${auditEnv.anchorsFile})`);
    return anchors;
  };
  return {
    record: (anchor) => resolve().record(anchor),
    latest: () => resolve().latest(),
    all: async () => {
      const resolved = resolve();
      if (!resolved.all) throw new ConfigurationError('These audit anchors cannot be listed');
      return resolved.all();
    },
  };
}

/** The key and anchors of this deployment, for appending and `verifyLedger`. */
export function auditTrustFromEnv(env: NodeJS.ProcessEnv = process.env): AuditTrust {
  return { key: () => loadAuditKey(env), anchors: auditAnchorsFromEnv(env) };
}
