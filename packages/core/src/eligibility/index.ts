export * from './decision.js';
export * from './eligibility.js';
export * from './entitlement.js';
