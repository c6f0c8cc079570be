export * from './anchor-schema.js';
export * from './audit-env.js';
export * from './audit-trust.js';
export * from './dynamodb-audit-log.js';
export * from './file-audit-anchors.js';
export * from './s3-audit-anchors.js';
