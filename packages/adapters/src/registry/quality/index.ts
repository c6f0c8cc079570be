export * from './dynamodb-invitation-ledger.js';
export * from './dynamodb-quality-store.js';
export * from './quality-jobs.js';
export * from './quality-keys.js';
export * from './registry-reader.js';
