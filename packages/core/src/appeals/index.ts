export * from './appeal-policy.js';
export * from './appeal-standing.js';
export * from './appeal-work.js';
export * from './appeals.js';
export * from './decide-appeal.js';
