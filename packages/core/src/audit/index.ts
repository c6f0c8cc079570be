export * from './audit-anchors.js';
export * from './audit-ledger.js';
export * from './ports.js';
export * from './search-ledger.js';
export * from './verify-ledger.js';
