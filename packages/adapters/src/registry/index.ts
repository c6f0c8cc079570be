export * from './dynamodb-change-request-store.js';
export * from './dynamodb-gazetteer.js';
export * from './dynamodb-household-changes.js';
export * from './dynamodb-household-profile-reads.js';
export * from './dynamodb-household-verifications.js';
export * from './import/index.js';
export * from './quality/index.js';
