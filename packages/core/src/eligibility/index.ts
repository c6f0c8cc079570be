export * from './decision.js';
export * from './eligibility.js';
