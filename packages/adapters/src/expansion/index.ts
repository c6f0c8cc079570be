export * from './dynamodb-activation-progress.js';
