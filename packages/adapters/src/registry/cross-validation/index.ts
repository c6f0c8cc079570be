export * from './dynamodb-rectification-store.js';
export * from './dynamodb-roster.js';
export * from './rectification-keys.js';
