export * from './dynamodb-cap-ledger.js';
