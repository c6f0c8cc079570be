/** Environment variables of the ledger's key and anchors (set by the CDK stack or the local stack). */
export const auditEnv = {
  keySecretArn: 'MADAD_AUDIT_KEY_SECRET_ARN',
  key: 'MADAD_AUDIT_KEY',
  anchorBucket: 'MADAD_AUDIT_ANCHOR_BUCKET',
  anchorsFile: 'MADAD_AUDIT_ANCHORS_FILE',
} as const;
