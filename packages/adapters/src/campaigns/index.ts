export * from './dynamodb-cap-ledger.js';
export * from './dynamodb-replay-jobs.js';
